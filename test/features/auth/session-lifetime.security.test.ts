import { describe, expect, it } from 'vitest';
import { api, problem, WEB_ORIGIN } from '../../helpers/api';
import { claimsOf, credentialsFor, epochSeconds, googleUserinfo, kakaoUserinfo, mintToken, signIn, tokenFromCookie, uniqueEmail } from '../../helpers/oauth';
import { createTestUser } from '../../helpers/users';

const MINUTE = 60;
const DAY = 24 * 3600;
const MAX_LIFETIME = 30 * DAY;

/** A token as this API issues them, with its clock set by the test. */
async function tokenOf(userId: string, { expiresIn, signedInAgo }: { expiresIn: number; signedInAgo: number }) {
  const now = epochSeconds();
  return mintToken({ sub: userId, exp: now + expiresIn, iat: now - 60, jti: crypto.randomUUID(), sid: crypto.randomUUID(), sia: now - signedInAgo });
}

const logout = (headers: Record<string, string>) => api('/auth/logout', { method: 'POST', headers });

describe('renewal in the last 15 minutes', () => {
  it('gives a bearer client a fresh token of the same sign-in in X-New-Token', async () => {
    const { userId } = await createTestUser();
    const token = await tokenOf(userId, { expiresIn: 10 * MINUTE, signedInAgo: DAY });
    const response = await api('/auth/me', { headers: credentialsFor(token).bearer });

    expect(response.status).toBe(200);
    const renewed = response.headers.get('X-New-Token');
    expect(renewed).toBeTruthy();
    const [before, after] = [claimsOf(token), claimsOf(renewed as string)];
    expect(after).toMatchObject({ sub: userId, sid: before.sid, sia: before.sia });
    expect(after.exp).toBeGreaterThanOrEqual(epochSeconds() + 3600 - 5);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect((await api('/user/me', { headers: credentialsFor(renewed as string).bearer })).status).toBe(200);
  });

  it('gives a cookie client a fresh cookie with the contract attributes', async () => {
    const { userId } = await createTestUser();
    const token = await tokenOf(userId, { expiresIn: 14 * MINUTE, signedInAgo: DAY });
    const response = await api('/user/me', { headers: credentialsFor(token).cookie });

    expect(response.status).toBe(200);
    expect(response.headers.get('Set-Cookie')).toMatch(/^omood_at=[\w.-]+; Max-Age=3600; Path=\/; HttpOnly; Secure; SameSite=None$/);
    expect(claimsOf(tokenFromCookie(response)).sid).toBe(claimsOf(token).sid);
    // Never in a header page script could read: the cookie is HttpOnly for a reason.
    expect(response.headers.get('X-New-Token')).toBeNull();
  });

  it('leaves a token far from expiry alone', async () => {
    const { userId } = await createTestUser();
    const token = await tokenOf(userId, { expiresIn: 40 * MINUTE, signedInAgo: DAY });
    const response = await api('/auth/me', { headers: credentialsFor(token).cookie });

    expect(response.status).toBe(200);
    expect(response.headers.get('X-New-Token')).toBeNull();
    expect(response.headers.get('Set-Cookie')).toBeNull();
  });

  it("renews the original backend's tokens too", async () => {
    const user = await createTestUser();
    const legacy = await mintToken({ sub: user.userId, exp: epochSeconds() + 5 * MINUTE });
    const response = await api('/auth/me', { headers: credentialsFor(legacy).bearer });
    expect(claimsOf(response.headers.get('X-New-Token') as string).sub).toBe(user.userId);
  });
});

describe('the maximum lifetime of a sign-in (30 days)', () => {
  it('stops renewing once it is over; the token works until it expires', async () => {
    const { userId } = await createTestUser();
    const token = await tokenOf(userId, { expiresIn: 10 * MINUTE, signedInAgo: MAX_LIFETIME + MINUTE });
    const response = await api('/auth/me', { headers: credentialsFor(token).bearer });

    expect(response.status).toBe(200);
    expect(response.headers.get('X-New-Token')).toBeNull();
    expect(response.headers.get('Set-Cookie')).toBeNull();
  });

  it('caps the last renewal at the end of the lifetime', async () => {
    const { userId } = await createTestUser();
    const token = await tokenOf(userId, { expiresIn: 2 * MINUTE, signedInAgo: MAX_LIFETIME - 5 * MINUTE });
    const response = await api('/auth/me', { headers: credentialsFor(token).bearer });

    const renewed = claimsOf(response.headers.get('X-New-Token') as string);
    expect(renewed.exp).toBe((claimsOf(token).sia as number) + MAX_LIFETIME);
    const fromCookie = await api('/auth/me', { headers: credentialsFor(token).cookie });
    expect(Number(fromCookie.headers.get('Set-Cookie')?.match(/Max-Age=(\d+)/)?.[1])).toBeLessThanOrEqual(5 * MINUTE);
  });
});

describe('logout', () => {
  it('clears the cookie exactly as the contract says and answers the original message', async () => {
    const response = await logout({ Origin: WEB_ORIGIN });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Logged out' });
    expect(response.headers.get('Set-Cookie')).toBe('omood_at=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=None');
  });

  it('revokes the sign-in: its token is refused afterwards as cookie and as bearer', async () => {
    const session = await signIn('google', googleUserinfo({ email: uniqueEmail() }));
    expect((await api('/auth/me', { headers: session.cookie })).status).toBe(200);

    expect((await logout(session.cookie)).status).toBe(200);

    for (const headers of [session.cookie, session.bearer]) {
      for (const path of ['/auth/me', '/user/me']) {
        const response = await api(path, { headers });
        expect(response.status).toBe(401);
        expect((await problem(response)).detail).toBe('Invalid token');
      }
    }
  });

  it('revokes a bearer sign-in and every renewal of it', async () => {
    const { userId } = await createTestUser();
    const original = await tokenOf(userId, { expiresIn: 10 * MINUTE, signedInAgo: DAY });
    const renewed = (await api('/auth/me', { headers: credentialsFor(original).bearer })).headers.get('X-New-Token') as string;

    expect((await logout(credentialsFor(renewed).bearer)).status).toBe(200);

    expect((await api('/auth/me', { headers: credentialsFor(original).bearer })).status).toBe(401);
    expect((await api('/auth/me', { headers: credentialsFor(renewed).cookie })).status).toBe(401);
  });

  it("revokes an original backend's token", async () => {
    const user = await createTestUser();
    expect((await logout(user.bearer)).status).toBe(200);
    expect((await api('/auth/me', { headers: user.cookie })).status).toBe(401);
  });

  it("leaves the user's other sign-ins signed in", async () => {
    const userinfo = googleUserinfo({ email: uniqueEmail() });
    const [laptop, phone] = [await signIn('google', userinfo), await signIn('google', userinfo)];
    await logout(laptop.cookie);
    expect((await api('/auth/me', { headers: phone.bearer })).status).toBe(200);
  });

  it('needs no valid credentials', async () => {
    for (const headers of [{}, credentialsFor('garbage').cookie, credentialsFor(await mintToken({ sub: 'x', exp: epochSeconds() - 1 })).bearer]) {
      expect((await logout(headers)).status).toBe(200);
    }
  });

  it('refuses a cookie-carrying logout from another site (403) and revokes nothing', async () => {
    const session = await signIn('kakao', kakaoUserinfo());
    const foreignOrNone: Record<string, string>[] = [{ Origin: 'https://evil.example' }, {}];
    for (const origin of foreignOrNone) {
      const response = await logout({ Cookie: `omood_at=${session.token}`, ...origin });
      expect(response.status).toBe(403);
      expect(response.headers.get('Set-Cookie')).toBeNull();
    }
    expect((await api('/auth/me', { headers: session.cookie })).status).toBe(200);
  });
});
