import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memos, users } from '../../../src/db/schema';
import { newObjectId } from '../../../src/lib/ids';
import { api, env, problem } from '../../helpers/api';
import { fixtureBytes } from '../../fixtures/media';
import { createTestUser, testDb } from '../../helpers/users';
import { bytesOf, createMemo, fetchUrl, requestUpload, storedKeys, uploadDirectly, type MemoBody, type UploadTicket } from './helpers';

/** The object key an upload URL writes: what a presigned S3 PUT replayed against R2 would overwrite. */
const keyOfTicket = (ticket: UploadTicket) => decodeURIComponent(new URL(ticket.upload_url).pathname.replace(/^\/files\//, ''));

describe('an upload URL after its file is attached', () => {
  it('can no longer write the object the memo references', async () => {
    const user = await createTestUser();
    const ticket = await uploadDirectly(user, 'photo.png', 'image/png');
    const memo = await createMemo(user, { content: 'x', upload_ids: ticket.id });
    const attachment = memo.attachments[0]!;
    // Replaying the URL writes its key in R2, HTML bytes of the same length and declared type: the
    // Worker URL refuses that itself, a presigned S3 URL cannot, so the write goes to the bucket.
    const html = new TextEncoder().encode('<html><script>alert(1)</script>'.padEnd(fixtureBytes('photo.png').length, ' '));
    await env.BUCKET.put(keyOfTicket(ticket), html, { httpMetadata: { contentType: 'image/png' } });

    const served = await fetchUrl(attachment.url);
    expect(served.status).toBe(200);
    expect(await bytesOf(served)).toEqual(fixtureBytes('photo.png'));
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(served.headers.get('Content-Disposition')).toBe(`inline; filename="${attachment.filename}"`);
  });

  it('leaves only the attached copy once the memo is saved: the staged upload is removed', async () => {
    const user = await createTestUser();
    const ticket = await uploadDirectly(user, 'voice.ogg', 'audio/ogg');
    const memo = await createMemo(user, { content: 'x', upload_ids: ticket.id });
    expect(await storedKeys(user.userId)).toEqual([`${user.userId}/${memo.attachments[0]!.filename}`]);
  });
});

describe('writes of a deleted account', () => {
  it('POST /memo/uploads answers 401, as POST /memo does, not a foreign-key 500', async () => {
    const user = await createTestUser();
    await testDb().delete(users).where(eq(users.id, user.userId));
    const response = await requestUpload(user, { content_type: 'image/png', size: 1000 });
    expect(response.status).toBe(401);
    expect((await problem(response)).detail).toBe('Invalid token');
  });
});

describe('a day whose memos add up to more than 10 MB (Neon answers at most 10 MB)', () => {
  const MEMOS = 110;
  const CONTENT = 100_000;
  const query = 'tz=UTC&start_date=2026-03-10&end_date=2026-03-10';

  /** 110 memos of 100,000 characters on 2026-03-10, written straight to Postgres, 11 at a time. */
  async function seedBigDay(userId: string) {
    const ids: string[] = [];
    for (let batch = 0; batch < MEMOS / 11; batch++) {
      const rows = Array.from({ length: 11 }, (_, i) => {
        const n = batch * 11 + i;
        const createdAt = new Date(Date.UTC(2026, 2, 10, 0, 0, n));
        const id = newObjectId(createdAt.getTime());
        ids.push(id);
        return { id, userId, content: `${n}:`.padEnd(CONTENT, 'x'), tags: ['big'], attachments: [], createdAt, updatedAt: createdAt };
      });
      await testDb().insert(memos).values(rows);
    }
    return ids;
  }

  it('GET /memo/list answers the whole day as one bare array, and pages with limit and cursor', async () => {
    const user = await createTestUser();
    const ids = await seedBigDay(user.userId);

    const whole = await api(`/memo/list?${query}`, { headers: user.bearer });
    expect(whole.status).toBe(200);
    const text = await whole.text();
    expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
    const all = JSON.parse(text) as MemoBody[];
    expect(all.map((memo) => memo.id)).toEqual(ids);
    expect(all[109]?.content).toBe('109:'.padEnd(CONTENT, 'x'));

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await api(`/memo/list?${query}&limit=40${cursor ? `&cursor=${cursor}` : ''}`, { headers: user.bearer });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: MemoBody[]; next_cursor: string | null };
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.length).toBeLessThanOrEqual(40);
      paged.push(...page.items.map((memo) => memo.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(paged).toEqual(ids);
  });

  it('refuses a cursor it did not hand out, naming query.cursor', async () => {
    const user = await createTestUser();
    const response = await api(`/memo/list?${query}&limit=10&cursor=bogus`, { headers: user.bearer });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.[0]?.field).toBe('query.cursor');
  });
});
