import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../../src/db/schema';
import { env, problem } from '../../helpers/api';
import { fixtureBytes } from '../../fixtures/media';
import { createTestUser, testDb } from '../../helpers/users';
import { bytesOf, createMemo, fetchUrl, requestUpload, storedKeys, uploadDirectly, type UploadTicket } from './helpers';

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
