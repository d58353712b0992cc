import { describe, expect, it } from 'vitest';
import { api, problem, WEB_ORIGIN } from '../../helpers/api';
import { capturedLogs } from '../../helpers/logs';
import {
  authorizationCode,
  callbackRequest,
  clientIp,
  googleUserinfo,
  naverUserinfo,
  userinfoFor,
  type Provider,
} from '../../helpers/oauth';

const providers = ['google', 'kakao', 'naver'] as const;
const labels: Record<Provider, string> = { google: 'Google', kakao: 'Kakao', naver: 'Naver' };

/** The callback body for `code`; Naver's carries the state its code was issued with. */
function callbackBody(provider: Provider, code: string, state = 'state-1') {
  return provider === 'naver' ? { code, state } : { code };
}

function codeFor(provider: Provider, scenario: Parameters<typeof authorizationCode>[1] = {}) {
  return authorizationCode(userinfoFor[provider](), provider === 'naver' ? { state: 'state-1', ...scenario } : scenario);
}

async function expectNoSignIn(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Set-Cookie')).toBeNull();
  return problem(response);
}

describe.each(providers)('%s callback refusals', (provider) => {
  it('names the missing code field (422)', async () => {
    const body = await expectNoSignIn(await callbackRequest(provider, provider === 'naver' ? { state: 's' } : {}), 422);
    expect(body.errors).toEqual([{ field: 'body.code', message: 'Field required' }]);
  });

  it('refuses an empty code (422)', async () => {
    const body = await expectNoSignIn(await callbackRequest(provider, callbackBody(provider, '')), 422);
    expect(body.errors?.map((error) => error.field)).toEqual(['body.code']);
  });

  it('answers 400 when the provider rejects the code', async () => {
    const body = await expectNoSignIn(await callbackRequest(provider, callbackBody(provider, 'not-a-code-the-provider-issued')), 400);
    expect(body.detail).toMatch(new RegExp(`^${labels[provider]} rejected the authorization code`));
  });

  it('answers 400 when a code is redeemed twice', async () => {
    const code = codeFor(provider);
    expect((await callbackRequest(provider, callbackBody(provider, code))).status).toBe(200);
    await expectNoSignIn(await callbackRequest(provider, callbackBody(provider, code)), 400);
  });

  it('answers 502, never 500, when the token endpoint is down', async () => {
    const code = codeFor(provider, { outage: { endpoint: 'token', kind: 'unavailable' } });
    const body = await expectNoSignIn(await callbackRequest(provider, callbackBody(provider, code)), 502);
    expect(body.detail).toBe(`${labels[provider]} is unavailable right now; try again`);
    expect(capturedLogs()).toContainEqual({ level: 'warn', provider, stage: 'code exchange', reason: 'status 503' });
  });

  it('answers 502 when the provider drops the connection', async () => {
    const code = codeFor(provider, { outage: { endpoint: 'token', kind: 'disconnect' } });
    await expectNoSignIn(await callbackRequest(provider, callbackBody(provider, code)), 502);
    expect(capturedLogs()).toContainEqual({ level: 'warn', provider, stage: 'code exchange', reason: 'Error: Network connection lost.' });
  });

  it('answers 502 when the profile endpoint is down', async () => {
    const code = codeFor(provider, { outage: { endpoint: 'userinfo', kind: 'unavailable' } });
    await expectNoSignIn(await callbackRequest(provider, callbackBody(provider, code)), 502);
    expect(capturedLogs()).toContainEqual({ level: 'warn', provider, stage: 'profile request', reason: 'status 503' });
  });

  it('answers 502 when the profile is not in the provider shape', async () => {
    const code = authorizationCode({ unexpected: true }, provider === 'naver' ? { state: 'state-1' } : {});
    const body = await expectNoSignIn(await callbackRequest(provider, callbackBody(provider, code)), 502);
    expect(body.detail).toBe(`${labels[provider]} answered the profile request unexpectedly`);
    // What the provider sent is the user's profile: the log names the stage, never the content.
    expect(capturedLogs()).toEqual([{ level: 'warn', provider, stage: 'profile request', reason: 'unexpected answer with status 200' }]);
  });
});

describe('Naver callback refusals', () => {
  it('names the missing state field (422)', async () => {
    const body = await expectNoSignIn(await callbackRequest('naver', { code: codeFor('naver') }), 422);
    expect(body.errors).toEqual([{ field: 'body.state', message: 'Field required' }]);
  });

  it('answers 400 when the state is not the one the code was issued with', async () => {
    const code = authorizationCode(naverUserinfo(), { state: 'issued-state' });
    const body = await expectNoSignIn(await callbackRequest('naver', { code, state: 'another-state' }), 400);
    expect(body.detail).toBe('Naver rejected the authorization code (invalid_request)');
  });
});

describe('malformed callback requests', () => {
  it('answers 400 for a body that is not JSON', async () => {
    const response = await api('/auth/google/callback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': clientIp() },
      body: '{"code":',
    });
    await expectNoSignIn(response, 400);
  });

  it('answers 415 for a form instead of JSON', async () => {
    const response = await api('/auth/google/callback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': clientIp() },
      body: 'code=abc',
    });
    await expectNoSignIn(response, 415);
  });
});

describe('sign-in rate limit (5 per minute per client IP in tests)', () => {
  it('answers 429 with Retry-After once an IP has used its attempts, whatever they were', async () => {
    const ip = clientIp();
    const attempts = [
      callbackRequest('google', { code: authorizationCode(googleUserinfo()) }, { 'CF-Connecting-IP': ip }),
      callbackRequest('kakao', { code: 'rejected-code' }, { 'CF-Connecting-IP': ip }),
      callbackRequest('naver', {}, { 'CF-Connecting-IP': ip }),
      callbackRequest('google', { code: 'rejected-code' }, { 'CF-Connecting-IP': ip }),
      callbackRequest('google', { code: authorizationCode(googleUserinfo()) }, { 'CF-Connecting-IP': ip }),
    ];
    expect((await Promise.all(attempts)).map((response) => response.status).sort()).toEqual([200, 200, 400, 400, 422]);

    const limited = await callbackRequest('kakao', { code: authorizationCode(userinfoFor.kakao()) }, { 'CF-Connecting-IP': ip });
    const body = await expectNoSignIn(limited, 429);
    const retryAfter = Number(limited.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body.detail).toBe(`Too many sign-in attempts; try again in ${retryAfter} seconds`);
    // Browsers may read it: the CORS policy exposes Retry-After.
    expect(limited.headers.get('Access-Control-Allow-Origin')).toBe(WEB_ORIGIN);
  });

  it('counts each client IP on its own', async () => {
    const busy = clientIp();
    for (let attempt = 0; attempt < 6; attempt++) await callbackRequest('google', { code: 'rejected-code' }, { 'CF-Connecting-IP': busy });
    expect((await callbackRequest('google', { code: 'rejected-code' }, { 'CF-Connecting-IP': busy })).status).toBe(429);

    const other = await callbackRequest('google', { code: authorizationCode(googleUserinfo()) }, { 'CF-Connecting-IP': clientIp() });
    expect(other.status).toBe(200);
  });
});
