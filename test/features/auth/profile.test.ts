import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../../src/db/schema';
import { api, problem } from '../../helpers/api';
import { claimsOf, credentialsFor, epochSeconds, kakaoUserinfo, mintToken, signIn, uniqueEmail } from '../../helpers/oauth';
import { createTestUser, testDb } from '../../helpers/users';

const deleteUser = (userId: string) => testDb().delete(users).where(eq(users.id, userId));

describe('GET /auth/me', () => {
  it('reads the profile of a user whose token predates the profile cache from Postgres', async () => {
    const user = await createTestUser('Park Seoyeon');
    const response = await api('/auth/me', { headers: user.cookie });
    expect(await response.json()).toEqual({ user_id: user.userId, email: `${user.userId}@example.test`, name: 'Park Seoyeon', picture: null });
  });

  it('answers from the sign-in even once the user row is gone, as the original did', async () => {
    const email = uniqueEmail();
    const session = await signIn('kakao', kakaoUserinfo({ email, name: '서연' }));
    const userId = claimsOf(session.token).sub as string;
    await deleteUser(userId);

    const response = await api('/auth/me', { headers: session.bearer });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user_id: userId, email, name: '서연' });
  });

  it('answers a valid token for an unknown user with an empty profile', async () => {
    const neverSignedUp = crypto.randomUUID();
    const token = await mintToken({ sub: neverSignedUp, exp: epochSeconds() + 600 });
    const response = await api('/auth/me', { headers: credentialsFor(token).bearer });
    expect(await response.json()).toEqual({ user_id: neverSignedUp, email: null, name: null, picture: null });
  });
});

describe('GET /user/me', () => {
  it('answers the contract UserResponse; users from before identities have no provider', async () => {
    const user = await createTestUser('Choi');
    const response = await api('/user/me', { headers: user.bearer });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: user.userId,
      provider: null,
      provider_id: null,
      email: `${user.userId}@example.test`,
      name: 'Choi',
      picture: null,
      email_verified: false,
      sign_in_methods: [],
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      deletion_scheduled_at: null,
    });
  });

  it.each(['bearer', 'cookie'] as const)('is a 404 problem once the user no longer exists (%s)', async (via) => {
    const user = await createTestUser();
    await deleteUser(user.userId);
    const response = await api('/user/me', { headers: user[via] });
    expect(response.status).toBe(404);
    expect((await problem(response)).detail).toBe('User not found');
  });
});
