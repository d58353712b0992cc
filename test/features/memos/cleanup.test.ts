import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memos, pendingUploads, users } from '../../../src/db/schema';
import { expirePendingUploads, sweepOrphanObjects } from '../../../src/features/memos';
import { createServices } from '../../../src/platform/services';
import { api, env, problem } from '../../helpers/api';
import { createTestUser, testDb } from '../../helpers/users';
import { fixtureBytes } from '../../fixtures/media';
import { createMemo, fetchUrl, fixtureFile, keyOf, memoForm, postMemo, putMemo, storedKeys, uploadDirectly, type MemoBody, type UploadTicket } from './helpers';

const DAY_MS = 86_400_000;
const services = () => createServices(env);
const keyOfTicket = (ticket: UploadTicket) => decodeURIComponent(new URL(ticket.upload_url).pathname.replace(/^\/files\//, ''));

describe('a failure between upload and row write', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /**
   * Intercepts the Worker's fetch of the first Neon query matching `statement`, on the network side
   * (no hook in the code under test): `before` runs first, or `afterCommit` replaces the answer of
   * a query Postgres did run and commit, with an error thrown or a response returned.
   */
  function interceptQuery(statement: RegExp, effect: { before: () => Promise<unknown> } | { afterCommit: () => Response }) {
    const realFetch = globalThis.fetch;
    let done = false;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const query = typeof init?.body === 'string' ? (JSON.parse(init.body) as { query?: string }).query : undefined;
      if (done || !query || !statement.test(query)) return realFetch(input, init);
      done = true;
      if ('before' in effect) {
        await effect.before();
        return realFetch(input, init);
      }
      // The Worker logs the failure as unexpected; here it is expected.
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      await (await realFetch(input, init)).arrayBuffer();
      return effect.afterCommit();
    });
  }

  /** Outcomes the Worker cannot tell from "not written": the memo may reference its new files. */
  const unknownOutcomes: [string, () => Response][] = [
    [
      'the reply is lost',
      () => {
        throw new TypeError('Network connection lost.');
      },
    ],
    [
      'the backend is terminated after committing (57P01)',
      () => Response.json({ message: 'terminating connection due to administrator command', code: '57P01' }, { status: 400 }),
    ],
  ];

  it('removes the objects it had already stored when Postgres refuses the write', async () => {
    const user = await createTestUser();
    // A real failure, no test hook: the account is deleted while its token is still valid, so the
    // memo insert breaks memos.user_id's foreign key after both files were stored.
    await testDb().delete(users).where(eq(users.id, user.userId));
    const response = await postMemo(user, memoForm({ content: 'x', image_0: fixtureFile('photo.png'), audio_0: fixtureFile('voice.webm') }));
    expect(response.status).toBe(401);
    expect((await problem(response)).detail).toBe('Invalid token');
    expect(await storedKeys(user.userId)).toEqual([]);
  });

  it('removes the new objects when an edit finds the memo changed and writes nothing', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'x', image_0: fixtureFile('photo.png') });
    interceptQuery(/update "memos"/, { before: () => testDb().update(memos).set({ attachments: [] }).where(eq(memos.id, memo.id)) });
    const response = await putMemo(user, memo.id, memoForm({ content: 'y', keep_attachments: memo.attachments[0]!.id, new_image_0: fixtureFile('photo.gif') }));
    expect(response.status).toBe(409);
    vi.restoreAllMocks();
    expect(await storedKeys(user.userId)).toEqual([keyOf(user, memo.attachments[0]!)]);
  });

  it.each(unknownOutcomes)('keeps the objects of a create when %s: the memo was saved and references them', async (_outcome, afterCommit) => {
    const user = await createTestUser();
    interceptQuery(/insert into "memos"/, { afterCommit });
    const response = await postMemo(user, memoForm({ content: 'saved', image_0: fixtureFile('photo.png') }));
    expect(response.status).toBe(_outcome === 'the reply is lost' ? 503 : 500);
    vi.restoreAllMocks();

    const [saved] = await testDb().select().from(memos).where(eq(memos.userId, user.userId));
    expect(saved?.content).toBe('saved');
    const memo = (await (await api(`/memo/${saved!.id}`, { headers: user.cookie })).json()) as MemoBody;
    expect(await storedKeys(user.userId)).toEqual([keyOf(user, memo.attachments[0]!)]);
    expect((await fetchUrl(memo.attachments[0]!.url)).status).toBe(200);
  });

  it.each(unknownOutcomes)('keeps the new objects of an edit when %s', async (_outcome, afterCommit) => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'x' });
    interceptQuery(/update "memos"/, { afterCommit });
    const response = await putMemo(user, memo.id, memoForm({ content: 'edited', new_audio_0: fixtureFile('voice.ogg') }));
    expect(response.status).toBe(_outcome === 'the reply is lost' ? 503 : 500);
    vi.restoreAllMocks();

    const edited = (await (await api(`/memo/${memo.id}`, { headers: user.cookie })).json()) as MemoBody;
    expect(edited).toMatchObject({ content: 'edited', attachments: [{ type: 'audio' }] });
    expect(await storedKeys(user.userId)).toEqual([keyOf(user, edited.attachments[0]!)]);
    expect((await fetchUrl(edited.attachments[0]!.url)).status).toBe(200);
  });
});

describe('cron: pending uploads', () => {
  it('deletes uploads nobody attached within 24 hours, row and object, and leaves younger ones', async () => {
    const user = await createTestUser();
    const stale = await uploadDirectly(user, 'photo.png', 'image/png');
    const fresh = await uploadDirectly(user, 'voice.ogg', 'audio/ogg');
    await testDb()
      .update(pendingUploads)
      .set({ createdAt: new Date(Date.now() - DAY_MS - 60_000) })
      .where(eq(pendingUploads.id, stale.id));

    const result = await expirePendingUploads(services(), new Date());
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(await storedKeys(user.userId)).toEqual([keyOfTicket(fresh)]);
    expect((await postMemo(user, memoForm({ content: 'late', upload_ids: stale.id }))).status).toBe(422);
    expect((await createMemo(user, { content: 'in time', upload_ids: fresh.id })).attachments).toHaveLength(1);
  });
});

describe('cron: orphan sweep', () => {
  /** Runs the sweep, a page per run as the cron would, until it has been through the whole bucket. */
  async function sweepWholeBucket(now: Date) {
    const runs = [];
    do runs.push(await sweepOrphanObjects(services(), now));
    while (runs.at(-1)?.passFinished === 0 && runs.length < 10);
    return runs;
  }

  it('removes objects older than a day that nothing references, never referenced or pending ones', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'kept', image_0: fixtureFile('photo.png') });
    const pending = await uploadDirectly(user, 'photo.gif', 'image/gif');
    // What a crash between storing a file and writing its row leaves behind.
    const orphan = `${user.userId}/${crypto.randomUUID()}.png`;
    await env.BUCKET.put(orphan, fixtureBytes('photo.png'));
    const survivors = [keyOf(user, memo.attachments[0]!), keyOfTicket(pending)].sort();

    // Young: it may be a file whose memo is being written right now.
    await sweepWholeBucket(new Date());
    expect(await storedKeys(user.userId)).toEqual([...survivors, orphan].sort());

    const runs = await sweepWholeBucket(new Date(Date.now() + 2 * DAY_MS));
    expect(runs.at(-1)?.passFinished).toBe(1);
    expect(await storedKeys(user.userId)).toEqual(survivors);
    expect((await createMemo(user, { content: 'still attachable', upload_ids: pending.id })).attachments).toHaveLength(1);
  });

  it('goes through a large bucket one bounded page per run, resuming where the last run stopped', async () => {
    // Finish any pass an earlier test left half-way (young objects are untouched), so this one starts at the first key.
    await sweepWholeBucket(new Date());
    const user = await createTestUser();
    const orphans = Array.from({ length: 1001 }, () => `${user.userId}/${crypto.randomUUID()}.png`);
    await Promise.all(orphans.map((key) => env.BUCKET.put(key, 'x')));
    const later = new Date(Date.now() + 2 * DAY_MS);

    const first = await sweepOrphanObjects(services(), later);
    expect(first).toMatchObject({ listed: 1000, passFinished: 0 });
    const second = await sweepOrphanObjects(services(), later);
    expect(second.passFinished).toBe(1);
    expect(first.deleted + second.deleted).toBe(orphans.length);
    expect(await storedKeys(user.userId)).toEqual([]);
  });
});
