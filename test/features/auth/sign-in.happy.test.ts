import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { userIdentities, users } from '../../../src/db/schema';
import { api } from '../../helpers/api';
import {
  claimsOf,
  credentialsFor,
  epochSeconds,
  googleUserinfo,
  kakaoUserinfo,
  naverUserinfo,
  signIn,
  signInRequest,
  tokenFromCookie,
  uniqueEmail,
  userinfoFor,
  type Provider,
  type SignedIn,
} from '../../helpers/oauth';
import { testDb } from '../../helpers/users';

const labels: Record<Provider, string> = { google: 'Google', kakao: 'Kakao', naver: 'Naver' };
/** Google and Kakao say the stand-in's address is verified; Naver never says so. */
const PROVIDER_VERIFIES_EMAIL: Record<Provider, boolean> = { google: true, kakao: true, naver: false };

async function whoIs(session: SignedIn) {
  const response = await api('/user/me', { headers: session.bearer });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; provider: string; provider_id: string; email: string | null; name: string | null };
}

describe.each(['google', 'kakao', 'naver'] as const)('sign-in with %s', (provider) => {
  it('answers the contract message and sets the contract cookie with a fresh token', async () => {
    const before = epochSeconds();
    const response = await signInRequest(provider, userinfoFor[provider]({ email: uniqueEmail(), name: 'Kim Minji' }));

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: `${labels[provider]} callback success` });
    expect(response.headers.get('Set-Cookie')).toMatch(/^omood_at=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=3600; Path=\/; HttpOnly; Secure; SameSite=None$/);
    const claims = claimsOf(tokenFromCookie(response));
    expect(claims).toMatchObject({ sub: expect.any(String), jti: expect.any(String), sid: expect.any(String) });
    expect(claims.sia).toBeGreaterThanOrEqual(before);
    expect(claims.exp).toBe((claims.iat as number) + 3600);
  });

  it('creates the user with the identity and profile the provider reported', async () => {
    const email = uniqueEmail();
    const userinfo = userinfoFor[provider]({ email, name: '김민지', picture: `https://img.example.test/${provider}.png` });
    const session = await signIn(provider, userinfo);

    const user = await whoIs(session);
    expect(user).toEqual({
      id: claimsOf(session.token).sub,
      provider,
      provider_id: String(provider === 'naver' ? (userinfo as ReturnType<typeof naverUserinfo>).response.id : (userinfo as { id: string | number }).id),
      email,
      name: '김민지',
      picture: `https://img.example.test/${provider}.png`,
      email_verified: PROVIDER_VERIFIES_EMAIL[provider],
      sign_in_methods: [provider],
      created_at: expect.stringMatching(/Z$/),
      deletion_scheduled_at: null,
    });
    const me = await api('/auth/me', { headers: session.cookie });
    expect(await me.json()).toEqual({ user_id: user.id, email, name: '김민지', picture: `https://img.example.test/${provider}.png` });
  });

  it('signs a returning identity into the same user and refreshes its profile', async () => {
    // Kakao ids are numbers.
    const id = provider === 'kakao' ? String(3_000_000_000 + Math.floor(Math.random() * 900_000_000)) : `returning-${crypto.randomUUID()}`;
    const person = { id, email: uniqueEmail() };
    const first = await signIn(provider, userinfoFor[provider]({ ...person, name: 'Old Name' }));
    const second = await signIn(provider, userinfoFor[provider]({ ...person, name: 'New Name' }));

    expect(claimsOf(second.token).sub).toBe(claimsOf(first.token).sub);
    expect(claimsOf(second.token).sid).not.toBe(claimsOf(first.token).sid);
    expect((await whoIs(second)).name).toBe('New Name');
    expect(await (await api('/auth/me', { headers: second.bearer })).json()).toMatchObject({ name: 'New Name' });
  });
});

describe('one person, several providers', () => {
  it('links a new identity to the user who holds the same verified address', async () => {
    const email = uniqueEmail('linked');
    const viaGoogle = await signIn('google', googleUserinfo({ email, emailVerified: true, name: 'Lee Jiwoo' }));
    // Addresses are matched case-insensitively.
    const viaKakao = await signIn('kakao', kakaoUserinfo({ email: email.toUpperCase(), emailVerified: true, name: '지우' }));

    expect(claimsOf(viaKakao.token).sub).toBe(claimsOf(viaGoogle.token).sub);
    // The user keeps the identity it was created with; the profile follows the latest sign-in.
    expect(await whoIs(viaKakao)).toMatchObject({ provider: 'google', name: '지우' });
    const identities = await testDb().select().from(userIdentities).where(eq(userIdentities.userId, claimsOf(viaGoogle.token).sub as string));
    expect(identities.map((identity) => identity.provider).sort()).toEqual(['google', 'kakao']);
  });

  it('never links on an unverified address, and a duplicate address is no error', async () => {
    const email = uniqueEmail('unverified');
    const viaGoogle = await signIn('google', googleUserinfo({ email, emailVerified: true }));
    const viaNaver = await signIn('naver', naverUserinfo({ email }));
    const viaKakao = await signIn('kakao', kakaoUserinfo({ email, emailVerified: false }));

    const ids = new Set([viaGoogle, viaNaver, viaKakao].map((session) => claimsOf(session.token).sub));
    expect(ids.size).toBe(3);
    expect((await whoIs(viaNaver)).email).toBe(email);
  });

  it('links nothing when only the newcomer verified the address', async () => {
    const email = uniqueEmail('one-sided');
    const viaNaver = await signIn('naver', naverUserinfo({ email }));
    const viaGoogle = await signIn('google', googleUserinfo({ email, emailVerified: true }));

    expect(claimsOf(viaGoogle.token).sub).not.toBe(claimsOf(viaNaver.token).sub);
  });

  it('does not trust a Kakao address that is verified but no longer valid', async () => {
    const email = uniqueEmail('stale');
    const viaGoogle = await signIn('google', googleUserinfo({ email, emailVerified: true }));
    const viaKakao = await signIn('kakao', kakaoUserinfo({ email, emailVerified: true, emailValid: false }));

    expect(claimsOf(viaKakao.token).sub).not.toBe(claimsOf(viaGoogle.token).sub);
  });

  it('signs in without an address when the user shared none', async () => {
    const session = await signIn('kakao', kakaoUserinfo({ name: '익명' }));
    expect(await whoIs(session)).toMatchObject({ email: null, name: '익명' });
  });
});

describe('concurrent first sign-ins of one account', () => {
  it('make exactly one user and one identity', async () => {
    const userinfo = googleUserinfo({ email: uniqueEmail('race'), name: 'Racer' });
    const responses = await Promise.all(Array.from({ length: 6 }, () => signInRequest('google', userinfo)));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const subjects = new Set(responses.map((response) => claimsOf(tokenFromCookie(response)).sub));
    expect(subjects.size).toBe(1);
    const db = testDb();
    const identities = await db
      .select()
      .from(userIdentities)
      .where(and(eq(userIdentities.provider, 'google'), eq(userIdentities.providerId, userinfo.id)));
    expect(identities).toHaveLength(1);
    expect(await db.select().from(users).where(eq(users.email, userinfo.email as string))).toHaveLength(1);
  });
});

describe('the OpenAPI document', () => {
  it('documents every auth route with its problems and the two credentials', async () => {
    const document = (await (await api('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    for (const provider of ['google', 'kakao', 'naver']) {
      expect(Object.keys(document.paths[`/auth/${provider}/callback`]?.post?.responses ?? {})).toEqual(
        expect.arrayContaining(['200', '400', '422', '429', '502']),
      );
    }
    expect(document.paths['/auth/logout']?.post).toBeDefined();
    expect(document.paths['/auth/me']?.get?.security).toEqual([{ cookieAuth: [] }, { bearerAuth: [] }]);
    expect(Object.keys(document.paths['/user/me']?.get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '404']));
    expect(Object.keys(document.components.securitySchemes)).toEqual(expect.arrayContaining(['cookieAuth', 'bearerAuth']));
  });
});
