import { neon, neonConfig } from '@neondatabase/serverless';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, env, json, problem } from '../../helpers/api';
import { changeStatus, createSession, getSession, runCron } from '../../helpers/sessions';
import { createTestUser, testDb } from '../../helpers/users';
import { createCategory, quickCreate } from '../categories/helpers';
import { createMemo, memoForm, putMemo } from '../memos/helpers';
import { createMood, patchMood, type MoodBody } from '../moods/helpers';
import { applyChanges, syncAll, syncPage, syncRequest, type SyncChange } from './helpers';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ids = (changes: SyncChange[]) => changes.map((change) => `${change.type}:${change.op}:${change.id}`);

async function getJson(path: string, headers: Record<string, string>) {
  const response = await api(path, { headers });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('GET /sync from the beginning', () => {
  it('answers every type, each as its own GET route answers it', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'first memo', category: 'idea', tags: 'a, b' });
    const session = await createSession(user);
    const mood = await createMood(user, { session_id: session.id, note: 'ok' });
    const category = await createCategory(user, quickCreate('Side project'));

    const { changes, pages } = await syncAll(user);
    expect(pages).toHaveLength(1);
    expect(changes.map((change) => [change.type, change.id, change.op])).toEqual([
      ['memo', memo.id, 'upsert'],
      ['session', session.id, 'upsert'],
      ['mood', mood.id, 'upsert'],
      ['category', category.id, 'upsert'],
    ]);
    for (const change of changes) expect(change.changed_at).toMatch(ISO);
    const [memoChange, sessionChange, moodChange, categoryChange] = changes;
    expect(memoChange?.data).toEqual(await getJson(`/memo/${memo.id}`, user.cookie));
    expect(sessionChange?.data).toEqual(await getSession(user, session.id));
    expect(moodChange?.data).toEqual(await getJson(`/moods/${mood.id}`, user.bearer));
    const { categories } = (await getJson('/categories/custom', user.cookie)) as { categories: unknown[] };
    expect(categoryChange?.data).toEqual(categories[0]);
  });

  it('answers an empty feed with a cursor to come back with', async () => {
    const user = await createTestUser();
    const page = await syncPage(user);
    expect(page).toEqual({ changes: [], next_cursor: expect.any(String), has_more: false });
    const memo = await createMemo(user, { content: 'later', category: 'idea' });
    expect(ids((await syncPage(user, page.next_cursor)).changes)).toEqual([`memo:upsert:${memo.id}`]);
  });
});

describe('GET /sync from a cursor', () => {
  it('answers only what changed since, updates and deletions (tombstones) alike, in the order they were made', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'to edit', category: 'idea' });
    const doomed = await createMemo(user, { content: 'to delete', category: 'idea' });
    const session = await createSession(user);
    const doomedSession = await createSession(user);
    const mood = await createMood(user);
    const category = await createCategory(user, quickCreate('Reading'));
    const { cursor } = await syncAll(user);

    expect((await putMemo(user, memo.id, memoForm({ content: 'edited' }))).status).toBe(200);
    await changeStatus(user, session.id, 'started');
    expect((await patchMood(user, mood.id, { score: 1 })).status).toBe(200);
    expect((await api(`/categories/custom/${category.id}`, { method: 'PUT', ...json(quickCreate('Books'), user.cookie) })).status).toBe(200);
    expect((await api(`/memo/${doomed.id}`, { method: 'DELETE', headers: user.cookie })).status).toBe(200);
    expect((await api(`/session/${doomedSession.id}`, { method: 'DELETE', headers: user.bearer })).status).toBe(200);
    expect((await api(`/moods/${mood.id}`, { method: 'DELETE', headers: user.bearer })).status).toBe(200);

    const { changes } = await syncAll(user, cursor);
    expect(ids(changes)).toEqual([
      `memo:upsert:${memo.id}`,
      `session:upsert:${session.id}`,
      `category:upsert:${category.id}`,
      `memo:delete:${doomed.id}`,
      `session:delete:${doomedSession.id}`,
      `mood:delete:${mood.id}`,
    ]);
    expect(changes[0]?.data).toMatchObject({ id: memo.id, content: 'edited' });
    expect(changes[1]?.data).toMatchObject({ id: session.id, status: 'started' });
    expect(changes[2]?.data).toMatchObject({ id: category.id, key: 'books', name: 'Books' });
    for (const deletion of changes.slice(3)) {
      expect(deletion).toEqual({ type: deletion.type, id: deletion.id, op: 'delete', changed_at: expect.stringMatching(ISO) });
    }
  });

  it('moves nothing for a write that changes nothing a GET shows', async () => {
    const user = await createTestUser();
    // A chosen category: no classification job lands a (real) change meanwhile.
    const memo = await createMemo(user, { content: 'quiet', category: 'idea' });
    const session = await createSession(user);
    const { cursor } = await syncAll(user);
    await testDb().execute(sql`update memos set classify_requested_at = now() where id = ${memo.id}`);
    await testDb().execute(sql`update focus_sessions set subject = subject where id = ${session.id}`);
    // Nor can a write place a row in the feed by itself.
    await testDb().execute(sql`update memos set change_seq = 1, change_xid = '1' where id = ${memo.id}`);
    expect((await syncPage(user, cursor)).changes).toEqual([]);
  });

  it('keeps pages in order: a change made while a client pages through arrives on a later page', async () => {
    const user = await createTestUser();
    const moods: MoodBody[] = [];
    for (let i = 0; i < 7; i++) moods.push(await createMood(user, { score: 1 + (i % 5) }));
    const first = await syncPage(user, undefined, 3);
    expect(first.changes.map((change) => change.id)).toEqual(moods.slice(0, 3).map((mood) => mood.id));
    expect(first.has_more).toBe(true);

    // While the client is between pages: one it already has changes, one it has not reached yet is deleted, a new one appears.
    expect((await patchMood(user, moods[0]!.id, { note: 'changed while paging' })).status).toBe(200);
    expect((await api(`/moods/${moods[4]!.id}`, { method: 'DELETE', headers: user.bearer })).status).toBe(200);
    const added = await createMood(user);

    const rest = await syncAll(user, first.next_cursor, 3);
    expect(rest.pages.length).toBeGreaterThanOrEqual(2);
    expect(ids(rest.changes)).toEqual([
      ...[3, 5, 6].map((i) => `mood:upsert:${moods[i]!.id}`),
      `mood:upsert:${moods[0]!.id}`,
      `mood:delete:${moods[4]!.id}`,
      `mood:upsert:${added.id}`,
    ]);
    const store = applyChanges([...first.changes, ...rest.changes]);
    expect([...store.keys()].sort()).toEqual([...moods.filter((_, i) => i !== 4), added].map((mood) => `mood:${mood.id}`).sort());
    expect(store.get(`mood:${moods[0]!.id}`)?.data).toMatchObject({ note: 'changed while paging' });
  });

  it('never skips a change whose transaction commits after a later one was read', async () => {
    const user = await createTestUser();
    const slow = await createMood(user, { note: 'before' });
    const { cursor } = await syncAll(user);

    // A transaction writes first (taking the earlier feed position), then holds on for a while before it commits.
    neonConfig.fetchEndpoint = env.NEON_FETCH_ENDPOINT;
    const client = neon(env.DATABASE_URL);
    const slowCommit = client.transaction([
      client.query(`update mood_checkins set note = 'committed late' where id = $1`, [slow.id]),
      client.query('select pg_sleep(1.5)'),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Meanwhile a later write commits at once, and a client reads the feed.
    const fast = await createMood(user, { note: 'committed first' });
    const during = await syncPage(user, cursor);
    // Handing out the later change now would move the cursor past the one still committing.
    expect(during.changes).toEqual([]);
    expect(during.has_more).toBe(true);
    expect(during.next_cursor).toBe(cursor);

    await slowCommit;
    const after = await syncAll(user, during.next_cursor);
    expect(ids(after.changes)).toEqual([`mood:upsert:${slow.id}`, `mood:upsert:${fast.id}`]);
    expect(after.changes[0]?.data).toMatchObject({ note: 'committed late' });
  });

  it('bounds a page by size as well as by count: huge memos come a few at a time, and all of them come', async () => {
    const user = await createTestUser();
    const big = 'x'.repeat(99_990);
    // 25 memos of 100,000 characters (2.5 MB of text), written straight to Postgres: the triggers see every write path.
    await testDb().execute(sql`
      insert into memos (id, user_id, content, created_at, updated_at)
      select lpad(to_hex(g), 24, '0'), ${user.userId}, ${big} || lpad(g::text, 10, '0'), now(), now() from generate_series(1, 25) g`);
    const { changes, pages } = await syncAll(user, undefined, 1000);
    expect(changes).toHaveLength(25);
    expect(new Set(changes.map((change) => change.id)).size).toBe(25);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(JSON.stringify(page).length).toBeLessThan(3_000_000);
    expect(changes.every((change) => (change.data?.content as string).length === 100_000)).toBe(true);
  });
});

describe('GET /sync refusals', () => {
  it('is 410 for a cursor older than a tombstone the sweep removed, and fine for a newer one or none', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'short-lived', category: 'idea' });
    const { cursor: beforeDelete } = await syncAll(user);
    expect((await api(`/memo/${memo.id}`, { method: 'DELETE', headers: user.cookie })).status).toBe(200);
    const { cursor: afterDelete, changes } = await syncAll(user, beforeDelete);
    expect(ids(changes)).toEqual([`memo:delete:${memo.id}`]);

    await testDb().execute(sql`update sync_tombstones set deleted_at = now() - interval '91 days' where user_id = ${user.userId}`);
    await runCron();
    expect((await testDb().execute(sql`select 1 from sync_tombstones where user_id = ${user.userId}`)).rows).toHaveLength(0);

    const expired = await syncRequest(user, { since: beforeDelete });
    expect(expired.status).toBe(410);
    const body = await problem(expired);
    expect(body).toMatchObject({ type: 'urn:omood:problem:gone', status: 410 });
    expect(body.detail).toMatch(/without since/);

    expect((await syncPage(user, afterDelete)).changes).toEqual([]);
    expect((await syncPage(user)).changes).toEqual([]);
  });

  it('keeps a tombstone younger than 90 days through the sweep', async () => {
    const user = await createTestUser();
    const mood = await createMood(user);
    const { cursor } = await syncAll(user);
    expect((await api(`/moods/${mood.id}`, { method: 'DELETE', headers: user.bearer })).status).toBe(200);
    await testDb().execute(sql`update sync_tombstones set deleted_at = now() - interval '89 days' where user_id = ${user.userId}`);
    await runCron();
    expect(ids((await syncPage(user, cursor)).changes)).toEqual([`mood:delete:${mood.id}`]);
  });

  it('is 422 for a cursor it did not hand out', async () => {
    const user = await createTestUser();
    const b64 = (text: string) => btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
    for (const since of ['garbage', '', b64('v1:abc:1'), b64('v2:1:1'), b64(`v1:${'9'.repeat(20)}:1`), b64('v1:1:99999999999999999'), '!!!!', 'x'.repeat(200)]) {
      const response = await syncRequest(user, { since });
      expect(response.status, since).toBe(422);
      expect((await problem(response)).errors?.map((error) => error.field)).toEqual(['query.since']);
    }
  });

  it('is 422 for a limit out of bounds', async () => {
    const user = await createTestUser();
    for (const limit of ['0', '1001', '-1', '2.5', 'ten']) {
      const response = await syncRequest(user, { limit });
      expect(response.status, limit).toBe(422);
      expect((await problem(response)).errors?.map((error) => error.field)).toEqual(['query.limit']);
    }
    expect((await syncRequest(user, { limit: '1000' })).status).toBe(200);
    expect((await syncRequest(user, { limit: '1' })).status).toBe(200);
  });

  it('is 401 without credentials', async () => {
    const response = await api('/sync');
    expect(response.status).toBe(401);
    expect((await problem(response)).status).toBe(401);
  });

  it("never shows another user's changes or deletions", async () => {
    const me = await createTestUser();
    const other = await createTestUser();
    const mine = await createMemo(me, { content: 'mine', category: 'idea' });
    const theirs = await createMemo(other, { content: 'theirs', category: 'idea' });
    await createSession(other);
    await createMood(other);
    await createCategory(other, quickCreate('Secret'));
    expect((await api(`/memo/${theirs.id}`, { method: 'DELETE', headers: other.cookie })).status).toBe(200);
    const { changes } = await syncAll(me);
    expect(ids(changes)).toEqual([`memo:upsert:${mine.id}`]);
    // Their cursor is only a place in the feed: it shows me nothing of theirs either.
    const { cursor } = await syncAll(other);
    expect((await syncPage(me, cursor)).changes).toEqual([]);
  });
});

describe('GET /sync and transactions elsewhere', () => {
  it('is not held back by a transaction of another database of the cluster, which cannot write these tables', async () => {
    const user = await createTestUser();
    neonConfig.fetchEndpoint = env.NEON_FETCH_ENDPOINT;
    const elsewhere = neon(env.DATABASE_URL.replace(/\/[^/]+$/, '/postgres'));
    const open = elsewhere.transaction([elsewhere.query('select pg_current_xact_id()'), elsewhere.query('select pg_sleep(1.5)')]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const mood = await createMood(user);
    const page = await syncPage(user);
    expect(ids(page.changes)).toEqual([`mood:upsert:${mood.id}`]);
    await open;
  });
});
