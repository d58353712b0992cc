import { describe, expect, it } from 'vitest';
import { api, problem, WEB_ORIGIN } from '../../helpers/api';
import { credentialsFor, epochSeconds, mintToken } from '../../helpers/oauth';
import { createTestUser } from '../../helpers/users';

const protectedRoutes = ['/auth/me', '/user/me'];
const base64url = (value: unknown) => btoa(JSON.stringify(value)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_');

type Presentation = 'bearer' | 'cookie';
const present = (token: string, via: Presentation) => credentialsFor(token)[via];

async function expectUnauthorized(response: Response, detail: string) {
  expect(response.status).toBe(401);
  expect(response.headers.get('Set-Cookie')).toBeNull();
  expect((await problem(response)).detail).toBe(detail);
}

describe.each(protectedRoutes)('%s refuses', (path) => {
  it('a request without credentials: "Authentication required"', async () => {
    await expectUnauthorized(await api(path), 'Authentication required');
    await expectUnauthorized(await api(path, { headers: { Origin: WEB_ORIGIN, Authorization: 'Basic dXNlcjpwYXNz' } }), 'Authentication required');
  });

  describe.each(['bearer', 'cookie'] as const)('presented as %s', (via) => {
    const now = epochSeconds();
    const cases: [string, () => Promise<string>, string][] = [
      ['garbage', async () => 'not-a-jwt', 'Invalid token'],
      ['a token signed with another secret', () => mintToken({ sub: 'someone', exp: now + 600 }, 'another-secret-that-is-at-least-32-chars'), 'Invalid token'],
      ['an unsigned token (alg: none)', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'someone', exp: now + 600 })}.`, 'Invalid token'],
      ['a token with its payload altered', async () => {
        const [header, , signature] = (await mintToken({ sub: 'someone', exp: now + 600 })).split('.');
        return `${header}.${base64url({ sub: 'someone-else', exp: now + 600 })}.${signature}`;
      }, 'Invalid token'],
      ['an expired token', () => mintToken({ sub: 'someone', exp: now - 1 }), 'Invalid token'],
      ['a token without exp', () => mintToken({ sub: 'someone' }), 'Invalid token'],
      ['a token whose sub is not a string', () => mintToken({ sub: 42, exp: now + 600 }), 'Invalid token'],
      ['a token without sub: "Invalid token payload"', () => mintToken({ exp: now + 600 }), 'Invalid token payload'],
    ];
    it.each(cases)('%s', async (_case, makeToken, detail) => {
      await expectUnauthorized(await api(path, { headers: present(await makeToken(), via) }), detail);
    });
  });
});

describe('valid credentials', () => {
  it.each(['bearer', 'cookie'] as const)("accept the original backend's {sub, exp} token as %s", async (via) => {
    const user = await createTestUser('Legacy Lee');
    const response = await api('/user/me', { headers: present(user.token, via) });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: user.userId, name: 'Legacy Lee' });
  });

  it('prefer the bearer header over a cookie', async () => {
    const user = await createTestUser();
    const response = await api('/auth/me', { headers: { ...user.bearer, Cookie: 'omood_at=garbage' } });
    expect(response.status).toBe(200);
  });

  it("only ever show the caller's own user", async () => {
    const [ann, bob] = await Promise.all([createTestUser('Ann'), createTestUser('Bob')]);
    const [asAnn, asBob] = await Promise.all([api('/user/me', { headers: ann.cookie }), api('/user/me', { headers: bob.bearer })]);
    expect(await asAnn.json()).toMatchObject({ id: ann.userId, name: 'Ann' });
    expect(await asBob.json()).toMatchObject({ id: bob.userId, name: 'Bob' });
  });
});
