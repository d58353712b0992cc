// The stand-in must refuse what the real providers refuse, or the sign-in tests prove nothing.
import { describe, expect, it, inject } from 'vitest';
import { authorizationCode, userinfoFor, type Provider } from '../../helpers/oauth';

const standIns = inject('providerStandIns');

function setting(provider: Provider, name: string) {
  const value = standIns[`${provider.toUpperCase()}_${name}`];
  if (!value) throw new Error(`the stand-in set no ${provider} ${name}`);
  return value;
}

function redeem(provider: Provider, overrides: Record<string, string> = {}) {
  const code = authorizationCode(userinfoFor[provider](), { state: 'state-1' });
  const form = {
    grant_type: 'authorization_code',
    code,
    client_id: setting(provider, 'CLIENT_ID'),
    client_secret: setting(provider, 'CLIENT_SECRET'),
    ...(provider === 'naver' ? { state: 'state-1' } : { redirect_uri: setting(provider, 'REDIRECT_URI') }),
    ...overrides,
  };
  return fetch(setting(provider, 'TOKEN_URL'), { method: 'POST', body: new URLSearchParams(form) });
}

/** Google and Kakao refuse with a 4xx status; Naver with 200 and an `error` field. */
async function expectRefusal(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject({ error });
}

describe.each([
  ['google', 400, 401],
  ['kakao', 400, 401],
  ['naver', 200, 200],
] as const)('the %s stand-in', (provider, grantRefusal, clientRefusal) => {
  it('grants a well-formed request an access token that opens the userinfo endpoint', async () => {
    const response = await redeem(provider);
    expect(response.status).toBe(200);
    const { access_token } = (await response.json()) as { access_token: string };
    const userinfo = await fetch(setting(provider, 'USERINFO_URL'), { headers: { Authorization: `Bearer ${access_token}` } });
    expect(userinfo.status).toBe(200);
  });

  it('refuses a wrong client secret', async () => {
    await expectRefusal(await redeem(provider, { client_secret: 'wrong' }), clientRefusal, 'invalid_client');
  });

  it('refuses a wrong client id', async () => {
    await expectRefusal(await redeem(provider, { client_id: 'someone-else' }), clientRefusal, 'invalid_client');
  });

  it('refuses a code it never issued', async () => {
    await expectRefusal(await redeem(provider, { code: 'forged' }), grantRefusal, provider === 'naver' ? 'invalid_request' : 'invalid_grant');
  });

  it('refuses another grant type', async () => {
    await expectRefusal(await redeem(provider, { grant_type: 'client_credentials' }), grantRefusal, 'unsupported_grant_type');
  });

  it('refuses an unknown access token at userinfo (401)', async () => {
    const response = await fetch(setting(provider, 'USERINFO_URL'), { headers: { Authorization: 'Bearer made-up' } });
    expect(response.status).toBe(401);
  });
});

it.each(['google', 'kakao'] as const)('the %s stand-in refuses a redirect_uri the code was not issued for', async (provider) => {
  const response = await redeem(provider, { redirect_uri: 'https://evil.example/callback' });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ error: provider === 'google' ? 'redirect_uri_mismatch' : 'invalid_grant' });
});

it('the naver stand-in refuses a state the code was not issued with', async () => {
  await expectRefusal(await redeem('naver', { state: 'another-state' }), 200, 'invalid_request');
});
