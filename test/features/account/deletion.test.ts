import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, json, problem, WEB_ORIGIN } from '../../helpers/api';
import { tokenIn, waitForMail } from '../../helpers/mail';
import { claimsOf, clientIp, credentialsFor, googleUserinfo, kakaoUserinfo, signIn, signInRequest, tokenFromCookie, uniqueEmail } from '../../helpers/oauth';
import { runCron, testRedis } from '../../helpers/sessions';
import { createTestUser, testDb } from '../../helpers/users';
import { createMemo, fetchUrl, fixtureFile, storedKeys } from '../memos/helpers';
import { deleteMe, googlePerson, liveALittle, redisKeysNaming, rowsOf, signInWithGoogle } from './helpers';

const DAY_MS = 86_400_000;

async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
const PASSWORD = 'a long walk by the river';

/** As the web client posts JSON, from a client address of its own (sign-in is limited per IP). */
const post = (path: string, body: unknown) => api(path, { method: 'POST', ...json(body, { Origin: WEB_ORIGIN, 'CF-Connecting-IP': clientIp() }) });

async function emailAccount() {
  const email = uniqueEmail('leaving');
  expect((await post('/auth/email/register', { email, password: PASSWORD, name: '민지' })).status).toBe(202);
  const verified = await post('/auth/email/verify', { token: tokenIn(await waitForMail(email), '/auth/verify') });
  expect(verified.status).toBe(200);
  const session = credentialsFor(tokenFromCookie(verified));
  return { email, user: { userId: claimsOf(session.token).sub as string, ...session } };
}

describe('DELETE /user/me: asking', () => {
  it.each([
    ['no confirm', () => ({}), 'body.confirm'],
    ['an empty confirm', () => ({ confirm: '' }), 'body.confirm'],
    ['another address', () => ({ confirm: 'someone-else@example.test' }), 'body.confirm'],
    ['a flag that is not a boolean', (email: string) => ({ confirm: email, immediately: 'yes' }), 'body.immediately'],
  ])('refuses %s with a 422 naming the field, and the account goes on', async (_case, body, field) => {
    const person = googlePerson();
    const user = await signInWithGoogle(person);
    const response = await deleteMe(user.cookie, body(person.email));
    expect(response.status).toBe(422);
    expect((await problem(response)).errors).toEqual([expect.objectContaining({ field })]);
    const me = await api('/user/me', { headers: user.bearer });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ deletion_scheduled_at: null });
  });

  it('refuses a cookie sent from another site (403), and the account goes on', async () => {
    const person = googlePerson();
    const user = await signInWithGoogle(person);
    const crossSite = await deleteMe({ ...user.cookie, Origin: 'https://evil.example' }, { confirm: person.email, immediately: true });
    expect(crossSite.status).toBe(403);
    expect(await (await api('/user/me', { headers: user.bearer })).json()).toMatchObject({ deletion_scheduled_at: null });
  });

  it('is a 401 without credentials, and nobody can delete another account with its address', async () => {
    const [person, other] = [googlePerson(), googlePerson()];
    const [user, victim] = [await signInWithGoogle(person), await signInWithGoogle(other)];
    expect((await deleteMe({}, { confirm: person.email })).status).toBe(401);
    expect((await deleteMe(user.bearer, { confirm: other.email })).status).toBe(422);
    expect((await api('/user/me', { headers: victim.bearer })).status).toBe(200);
    expect((await api('/user/me', { headers: user.bearer })).status).toBe(200);
  });

  it('confirms an account without an address with its user id', async () => {
    const session = await signIn('kakao', kakaoUserinfo({ name: 'No Mail' }));
    const userId = claimsOf(session.token).sub as string;
    const response = await deleteMe(session.bearer, { confirm: userId });
    expect(response.status).toBe(202);
  });

  it('answers 202 with the schedule, and signs the user out everywhere at once', async () => {
    const person = googlePerson();
    const [phone, laptop] = [await signInWithGoogle(person), await signInWithGoogle(person)];
    await liveALittle(phone);
    expect(await testRedis().get(`current_session:${phone.userId}`)).not.toBeNull();

    const before = Date.now();
    const response = await deleteMe(laptop.cookie, { confirm: person.email.toUpperCase() });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { deletion_scheduled_at: string; purge_after: string };
    expect(Object.keys(body).sort()).toEqual(['deletion_scheduled_at', 'purge_after']);
    expect(body.deletion_scheduled_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(body.deletion_scheduled_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(body.purge_after) - Date.parse(body.deletion_scheduled_at)).toBe(7 * DAY_MS);

    for (const headers of [phone.bearer, laptop.cookie, phone.cookie]) {
      for (const path of ['/auth/me', '/user/me', '/session/current', '/memo/list?tz=UTC&start_date=2026-01-01&end_date=2026-01-02']) {
        expect((await api(path, { headers })).status, path).toBe(401);
      }
    }
    expect(await testRedis().get(`current_session:${phone.userId}`)).toBeNull();
    expect(await testRedis().get(`current_session_state:${phone.userId}`)).toBeNull();
  });
});

describe('DELETE /user/me: the grace period', () => {
  it('leaves the account alone until it ends; signing in again restores it untouched', async () => {
    const person = googlePerson();
    const user = await signInWithGoogle(person);
    const { memo } = await liveALittle(user);
    const rowsBefore = await rowsOf(user.userId);
    const filesBefore = await storedKeys(user.userId);
    expect((await deleteMe(user.bearer, { confirm: person.email })).status).toBe(202);
    await runCron();
    expect(await rowsOf(user.userId)).toEqual(rowsBefore);

    const restoring = await signInRequest('google', googleUserinfo(person));
    expect(restoring.status).toBe(200);
    expect(await restoring.json()).toEqual({ message: 'Google callback success', restored: true });
    const restored = await signInWithGoogle(person);
    expect(restored.userId).toBe(user.userId);

    const me = await api('/user/me', { headers: restored.bearer });
    expect(await me.json()).toMatchObject({ id: user.userId, deletion_scheduled_at: null });
    const kept = await api(`/memo/${memo.id}`, { headers: restored.bearer });
    expect(kept.status).toBe(200);
    expect((await fetchUrl(memo.attachments[0]!.url)).status).toBe(200);
    expect(await storedKeys(user.userId)).toEqual(filesBefore);
    expect(await rowsOf(user.userId)).toEqual(rowsBefore);
    // A token from before the deletion stays revoked: restoring signs in anew, it does not undo the sign-out.
    expect((await api('/auth/me', { headers: user.bearer })).status).toBe(401);
  });

  it('restores an email account when it logs in with its password', async () => {
    const { email, user } = await emailAccount();
    expect((await deleteMe(user.bearer, { confirm: email })).status).toBe(202);
    const login = await post('/auth/email/login', { email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(await login.json()).toEqual({ message: 'Email login success', restored: true });
    const me = await api('/user/me', { headers: credentialsFor(tokenFromCookie(login)).bearer });
    expect(await me.json()).toMatchObject({ id: user.userId, sign_in_methods: ['email'], email_verified: true, deletion_scheduled_at: null });
  });

  it('answers a second sign-in without `restored`', async () => {
    const person = googlePerson();
    const user = await signInWithGoogle(person);
    expect((await deleteMe(user.bearer, { confirm: person.email })).status).toBe(202);
    expect(await (await signInRequest('google', googleUserinfo(person))).json()).toMatchObject({ restored: true });
    expect(await (await signInRequest('google', googleUserinfo(person))).json()).toEqual({ message: 'Google callback success' });
  });

  it('refuses to sign in to an account whose grace period is over, and never restores it', async () => {
    const person = googlePerson();
    const user = await signInWithGoogle(person);
    expect((await deleteMe(user.bearer, { confirm: person.email })).status).toBe(202);
    await testDb().execute(sql`update users set purge_after = now() - interval '1 second' where id = ${user.userId}`);
    const response = await signInRequest('google', googleUserinfo(person));
    // Either the purge has it (409), or another test's cron run finished it and this is a new account.
    if (response.status === 409) {
      expect((await problem(response)).detail).toMatch(/being deleted/);
    } else {
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ message: 'Google callback success' });
      expect((await signInWithGoogle(person)).userId).not.toBe(user.userId);
    }
  });
});

describe('DELETE /user/me immediately: the purge', () => {
  it("erases every row, file and Redis key of the user at the next cron run, and nothing of anyone else's", async () => {
    const person = googlePerson();
    const user = await signInWithGoogle(person);
    const { memo, sessionId } = await liveALittle(user);
    const neighbour = await createTestUser('Neighbour');
    const neighbourMemo = await createMemo(neighbour, { content: 'Still here.', image_0: fixtureFile('photo.png') });
    expect((await storedKeys(user.userId)).length).toBe(2);

    const response = await deleteMe(user.cookie, { confirm: person.email, immediately: true });
    expect(response.status).toBe(202);
    const schedule = (await response.json()) as { deletion_scheduled_at: string; purge_after: string };
    expect(schedule.purge_after).toBe(schedule.deletion_scheduled_at);
    await runCron();

    expect(await rowsOf(user.userId)).toEqual({
      users: 0, identities: 0, passwords: 0, email_tokens: 0, memos: 0, pending_uploads: 0, sessions: 0, moods: 0, categories: 0, summaries: 0, tombstones: 0,
    });
    expect(await storedKeys(user.userId)).toEqual([]);
    expect((await fetchUrl(memo.attachments[0]!.url)).status).toBe(404);
    // Only the closure is left, refusing tokens still around, and it expires with the last of them.
    expect(await redisKeysNaming(user.userId, sessionId)).toEqual([`account_state:${user.userId}`]);
    expect(await testRedis().ttl(`account_state:${user.userId}`)).toBeGreaterThan(0);
    expect(await testRedis().zscore('session_queue', sessionId)).toBeNull();
    expect((await api('/auth/me', { headers: user.bearer })).status).toBe(401);

    expect((await api(`/memo/${neighbourMemo.id}`, { headers: neighbour.bearer })).status).toBe(200);
    expect((await fetchUrl(neighbourMemo.attachments[0]!.url)).status).toBe(200);

    // The same Google account now makes a brand-new, empty account.
    const again = await signInWithGoogle(person);
    expect(again.userId).not.toBe(user.userId);
    expect((await api(`/memo/${memo.id}`, { headers: again.bearer })).status).toBe(404);
    expect(await (await api('/memo/list?tz=UTC&start_date=2020-01-01&end_date=2030-01-01', { headers: again.bearer })).json()).toEqual([]);
  });

  it('erases an email account with its password and the links mailed to its address; the address can sign up anew', async () => {
    const { email, user } = await emailAccount();
    expect((await post('/auth/password/forgot', { email })).status).toBe(202);
    await waitForMail(email, 2);
    expect((await deleteMe(user.cookie, { confirm: email, immediately: true })).status).toBe(202);
    await runCron();

    expect(Object.values(await rowsOf(user.userId)).every((count) => count === 0)).toBe(true);
    const links = await testDb().execute(sql`select count(*)::int as n from email_tokens where lower(email) = lower(${email})`);
    expect(links.rows[0]).toEqual({ n: 0 });
    // The keys named by the address's digest (mail throttles, sign-in limit windows) went with it.
    expect(await redisKeysNaming(await sha256Hex(email.toLowerCase()))).toEqual([]);
    expect((await post('/auth/email/login', { email, password: PASSWORD })).status).toBe(401);
    const fresh = await emailAccountAt(email);
    expect(fresh).not.toBe(user.userId);
  });
});

async function emailAccountAt(email: string): Promise<string> {
  expect((await post('/auth/email/register', { email, password: PASSWORD, name: '새 계정' })).status).toBe(202);
  const mail = await waitForMail(email, 3);
  const verified = await post('/auth/email/verify', { token: tokenIn(mail, '/auth/verify') });
  expect(verified.status).toBe(200);
  return claimsOf(tokenFromCookie(verified)).sub as string;
}
