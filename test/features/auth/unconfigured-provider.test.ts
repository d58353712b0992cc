import { describe, expect, it } from 'vitest';
import { json, problem, WEB_ORIGIN } from '../../helpers/api';
import { apiWith } from '../../helpers/env-override';
import { authorizationCode, callbackRequest, clientIp, userinfoFor, type Provider } from '../../helpers/oauth';

const unconfigured: [Provider, keyof Env][] = [
  ['kakao', 'KAKAO_CLIENT_ID'],
  ['naver', 'NAVER_CLIENT_ID'],
  ['google', 'GOOGLE_CLIENT_ID'],
];

describe.each(unconfigured)('%s without a client id', (provider, clientIdVariable) => {
  it('answers 404 (not enabled) at once and never calls the provider', async () => {
    const state = 'state-1';
    const code = authorizationCode(userinfoFor[provider](), provider === 'naver' ? { state } : {});
    const body = provider === 'naver' ? { code, state } : { code };
    const response = await apiWith({ [clientIdVariable]: '' }, `/auth/${provider}/callback`, {
      method: 'POST',
      ...json(body, { Origin: WEB_ORIGIN, 'CF-Connecting-IP': clientIp() }),
    });
    expect(response.status).toBe(404);
    expect((await problem(response)).detail).toMatch(/sign-in is not enabled/);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    // The stand-in redeems a code once: it still works, so nothing reached the provider.
    expect((await callbackRequest(provider, body)).status).toBe(200);
  });
});
