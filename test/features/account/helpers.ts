import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { api, json } from '../../helpers/api';
import { claimsOf, googleUserinfo, signIn, uniqueEmail, type Person } from '../../helpers/oauth';
import { changeStatus, createSession, testRedis } from '../../helpers/sessions';
import { testDb, type TestUser } from '../../helpers/users';
import { createMemo, fixtureFile, uploadDirectly, type MemoBody } from '../memos/helpers';

/** A person with a Google account of their own: the same `id` signs in to the same Omood user. */
export const googlePerson = (name = 'Leaving Soon'): Required<Pick<Person, 'id' | 'email' | 'name'>> => ({
  id: `1${Array.from(crypto.getRandomValues(new Uint8Array(20)), (byte) => byte % 10).join('')}`,
  email: uniqueEmail('leaving'),
  name,
});

export async function signInWithGoogle(person: Person): Promise<TestUser> {
  const session = await signIn('google', googleUserinfo(person));
  return { userId: claimsOf(session.token).sub as string, ...session };
}

export const deleteMe = (headers: Record<string, string>, body: unknown) => api('/user/me', { method: 'DELETE', ...json(body, headers) });

/** Something of every kind a user keeps: a memo with a photo, a staged upload, a running session, a check-in (its answer kept for an Idempotency-Key), a category, today's summary (and its claim). */
export async function liveALittle(user: TestUser): Promise<{ memo: MemoBody; sessionId: string }> {
  const memo = await createMemo(user, { content: 'A walk by the river.', image_0: fixtureFile('photo.png') });
  await uploadDirectly(user, 'voice.webm', 'audio/webm');
  const session = await createSession(user);
  await changeStatus(user, session.id, 'started');
  const mood = await api('/moods', { method: 'POST', ...json({ score: 4, emotions: ['calm'], session_id: session.id }, { ...user.bearer, 'Idempotency-Key': 'check-in-1' }) });
  expect(mood.status, await mood.clone().text()).toBe(200);
  const category = await api('/categories/custom', { method: 'POST', ...json({ key: 'walks', name: 'Walks', description: 'walks', icon: 'lightbulb', color: '#F59E0B' }, user.bearer) });
  expect(category.status, await category.clone().text()).toBe(200);
  await waitForDaySummary(user);
  return { memo, sessionId: session.id };
}

/** How many rows of the user each table holds. */
export async function rowsOf(userId: string) {
  const result = await testDb().execute(sql`
    select
      (select count(*) from users where id = ${userId})::int as users,
      (select count(*) from user_identities where user_id = ${userId})::int as identities,
      (select count(*) from password_credentials where user_id = ${userId})::int as passwords,
      (select count(*) from email_tokens where user_id = ${userId})::int as email_tokens,
      (select count(*) from memos where user_id = ${userId})::int as memos,
      (select count(*) from pending_uploads where user_id = ${userId})::int as pending_uploads,
      (select count(*) from focus_sessions where user_id = ${userId})::int as sessions,
      (select count(*) from mood_checkins where user_id = ${userId})::int as moods,
      (select count(*) from custom_categories where user_id = ${userId})::int as categories,
      (select count(*) from daily_summaries where user_id = ${userId})::int as summaries,
      (select count(*) from sync_tombstones where user_id = ${userId})::int as tombstones`);
  return result.rows[0] as Record<string, number>;
}

/** Every Redis key whose name holds one of `needles` (the real Redis, scanned). */
export async function redisKeysNaming(...needles: string[]): Promise<string[]> {
  const redis = testRedis();
  const found = new Set<string>();
  for (const needle of needles) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, { match: `*${needle}*`, count: 1000 });
      cursor = String(next);
      for (const key of keys) found.add(key);
    } while (cursor !== '0');
  }
  return [...found].sort();
}

/** Polls today's summary as the web client does until the real queue has written it, so nothing of the user is still on its way. */
async function waitForDaySummary(user: TestUser) {
  const path = `/summary/daily?${new URLSearchParams({ date: new Date().toISOString().slice(0, 10), tz: 'UTC' })}`;
  for (let attempt = 0; attempt < 150; attempt++) {
    const response = await api(path, { headers: user.bearer });
    expect(response.status).toBe(200);
    const { summary } = (await response.json()) as { summary: { stale: boolean } | null };
    if (summary && !summary.stale) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no summary of today within 15 s');
}
