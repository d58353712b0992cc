import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/env';
import { env, problem } from '../../helpers/api';
import { createTestUser } from '../../helpers/users';
import { fixtureBytes } from '../../fixtures/media';
import {
  bytesOf,
  createMemo,
  fetchUrl,
  fixtureFile,
  memoForm,
  postMemo,
  putMemo,
  requestUpload,
  storedKeys,
  uploadDirectly,
  type MemoBody,
  type UploadTicket,
} from './helpers';

const config = loadConfig(env);

/** The object key a ticket's URL writes to: `/files/{user}/{id}.{ext}`. */
const keyOfTicket = (ticket: UploadTicket) => decodeURIComponent(new URL(ticket.upload_url).pathname.replace(/^\/files\//, ''));

describe('direct uploads: happy path', () => {
  it('hands out a short-lived signed PUT URL for a key typed from the declared content type', async () => {
    const user = await createTestUser();
    const before = Date.now();
    const response = await requestUpload(user, { content_type: 'audio/webm', size: 3001 });
    const after = Date.now();
    expect(response.status).toBe(200);
    const ticket = (await response.json()) as UploadTicket;
    expect(ticket).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'audio/webm' } });
    expect(keyOfTicket(ticket)).toBe(`${user.userId}/${ticket.id}.upload.webm`);
    const url = new URL(ticket.upload_url);
    expect(url.searchParams.get('sig')).toMatch(/^[\w-]{43}$/);
    const expiresAt = Date.parse(ticket.expires_at);
    expect(expiresAt).toBe(Number(url.searchParams.get('exp')) * 1000);
    // Fifteen minutes from when the request was served (the expiry is in whole seconds).
    expect(expiresAt).toBeGreaterThan(before + 15 * 60_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + 15 * 60_000);
  });

  it('stores the PUT body under that key, then a create attaches it after the posted files, in the listed order', async () => {
    const user = await createTestUser();
    const voice = await uploadDirectly(user, 'recorded-webm-named.wav', 'audio/webm');
    const photo = await uploadDirectly(user, 'photo.avif', 'image/avif');
    const stored = await env.BUCKET.head(keyOfTicket(photo));
    expect(stored?.httpMetadata?.contentType).toBe('image/avif');

    const memo = await createMemo(user, { content: 'big files', image_0: fixtureFile('photo.png'), upload_ids: ` ${voice.id}, ${photo.id},${voice.id}` });
    expect(memo.attachments.map((attachment) => attachment.id).slice(1)).toEqual([voice.id, photo.id]);
    expect(memo.attachments[1]).toMatchObject({ type: 'audio', filename: `${voice.id}.webm` });
    expect(memo.attachments[2]).toMatchObject({ type: 'image', filename: `${photo.id}.avif` });
    const served = await fetchUrl(memo.attachments[1]!.url);
    expect(served.headers.get('Content-Type')).toBe('audio/webm');
    expect(await bytesOf(served)).toEqual(fixtureBytes('recorded-webm-named.wav'));

    // Claimed: an upload belongs to one memo only.
    const again = await postMemo(user, memoForm({ content: 'twice', upload_ids: voice.id }));
    expect(again.status).toBe(422);
    expect((await problem(again)).errors).toEqual([{ field: 'body.upload_ids', message: expect.stringContaining(voice.id) }]);
  });

  it('an edit appends uploads after the kept attachments and the new files', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'x', audio_0: fixtureFile('voice.ogg') });
    const upload = await uploadDirectly(user, 'voice.mp3', 'audio/mpeg');
    const response = await putMemo(
      user,
      memo.id,
      memoForm({ content: 'x', keep_attachments: memo.attachments[0]!.id, new_upload_ids: upload.id, new_image_0: fixtureFile('photo.jpg') }),
    );
    expect(response.status).toBe(200);
    const edited = (await response.json()) as MemoBody;
    expect(edited.attachments.map((attachment) => attachment.filename.split('.')[1])).toEqual(['ogg', 'jpg', 'mp3']);
    expect(edited.attachments[2]?.id).toBe(upload.id);
    expect(await storedKeys(user.userId)).toHaveLength(3);
  });
});

describe('direct uploads: refusals', () => {
  it.each([
    [{ content_type: 'image/svg+xml', size: 64 }, 415, 'body.content_type'],
    [{ content_type: 'text/html', size: 64 }, 415, 'body.content_type'],
    [{ content_type: 'image/png', size: config.files.maxUploadBytes + 1 }, 413, 'body.size'],
    [{ content_type: 'image/png', size: 0 }, 422, 'body.size'],
    [{ content_type: 'image/png' }, 422, 'body.size'],
    [{ size: 10 }, 422, 'body.content_type'],
  ])('a ticket for %j → %i naming %s', async (body, status, field) => {
    const user = await createTestUser();
    const response = await requestUpload(user, body);
    expect(response.status).toBe(status);
    expect((await problem(response)).errors?.map((error) => error.field)).toEqual([field]);
  });

  async function ticketFor(contentType: string, size = 1000) {
    const user = await createTestUser();
    const ticket = (await (await requestUpload(user, { content_type: contentType, size })).json()) as UploadTicket;
    const put = (body: BodyInit) => fetchUrl(ticket.upload_url, { method: 'PUT', headers: ticket.headers, body });
    return { user, ticket, put };
  }

  it('the Worker PUT refuses bytes that are not the declared type, or nothing, storing nothing', async () => {
    const { user, put } = await ticketFor('image/png');
    for (const [body, status] of [
      [fixtureBytes('photo.jpg'), 415],
      [fixtureBytes('disguised-exe.png'), 415],
      [fixtureBytes('script.svg'), 415],
      [new Uint8Array(), 422],
    ] as const) {
      const response = await put(body);
      expect(response.status).toBe(status);
      await problem(response);
    }
    expect(await storedKeys(user.userId)).toEqual([]);
  });

  it('the Worker PUT refuses a body over MAX_UPLOAD_BYTES with 413', async () => {
    const { user, put } = await ticketFor('image/png', config.files.maxUploadBytes);
    const big = new Uint8Array(config.files.maxUploadBytes + 1);
    big.set(fixtureBytes('photo.png'));
    const response = await put(big);
    expect(response.status).toBe(413);
    expect(await storedKeys(user.userId)).toEqual([]);
  });

  it('refuses a tampered PUT URL and a PUT URL used for downloading with 403', async () => {
    const { ticket, put } = await ticketFor('image/png');
    const tampered = new URL(ticket.upload_url);
    tampered.searchParams.set('exp', String(Number(tampered.searchParams.get('exp')) + 60));
    expect((await fetchUrl(tampered.toString(), { method: 'PUT', body: fixtureBytes('photo.png') })).status).toBe(403);
    expect((await put(fixtureBytes('photo.png'))).status).toBe(200);
    expect((await fetchUrl(ticket.upload_url)).status).toBe(403);
  });

  it('the Worker PUT URL may be retried until its upload is attached, then writes nothing more (409)', async () => {
    const { user, ticket, put } = await ticketFor('image/png');
    expect((await put(fixtureBytes('truncated.png'))).status).toBe(415);
    expect((await put(fixtureBytes('photo.png'))).status).toBe(200);
    const memo = await createMemo(user, { content: 'x', upload_ids: ticket.id });

    // Still a PNG by its bytes, but not the one the memo's attach checked and sized.
    const other = new Uint8Array([...fixtureBytes('photo.png'), ...new Uint8Array(1000)]);
    const overwrite = await put(other);
    expect(overwrite.status).toBe(409);
    expect((await problem(overwrite)).detail).toBe('This upload has already been attached to a memo, or has expired');
    expect(await bytesOf(await fetchUrl(memo.attachments[0]!.url))).toEqual(fixtureBytes('photo.png'));
  });

  it('a create naming an upload whose bytes never arrived is a 422, and stores none of its files', async () => {
    const { user, ticket } = await ticketFor('image/png');
    const response = await postMemo(user, memoForm({ content: 'x', image_0: fixtureFile('photo.gif'), upload_ids: ticket.id }));
    expect(response.status).toBe(422);
    expect((await problem(response)).detail).toContain('has not been received');
    expect(await storedKeys(user.userId)).toEqual([]);
  });

  it('checks the bytes again when attaching: a presigned S3 PUT never passes through the Worker', async () => {
    const { user, ticket } = await ticketFor('image/png');
    // What a client could do with a presigned URL: put anything there.
    await env.BUCKET.put(keyOfTicket(ticket), fixtureBytes('page-named.jpg'), { httpMetadata: { contentType: 'image/png' } });
    const response = await postMemo(user, memoForm({ content: 'x', upload_ids: ticket.id }));
    expect(response.status).toBe(415);
    expect((await problem(response)).errors?.[0]?.field).toBe('body.upload_ids');

    await env.BUCKET.put(keyOfTicket(ticket), fixtureBytes('photo.webp'));
    const mislabelled = await postMemo(user, memoForm({ content: 'x', upload_ids: ticket.id }));
    expect(mislabelled.status).toBe(415);
    expect((await problem(mislabelled)).detail).toBe(`Upload ${ticket.id} is image/webp, not the declared image/png`);
  });

  it('refuses an empty object at attach time with 422, not a server error', async () => {
    const { user, ticket } = await ticketFor('audio/webm;codecs=opus');
    expect(keyOfTicket(ticket)).toMatch(/\.webm$/);
    await env.BUCKET.put(keyOfTicket(ticket), new Uint8Array());
    const response = await postMemo(user, memoForm({ content: 'x', upload_ids: ticket.id }));
    expect(response.status).toBe(422);
    expect((await problem(response)).detail).toBe('File is empty');
  });

  it('refuses upload ids that are not ids', async () => {
    const user = await createTestUser();
    const response = await postMemo(user, memoForm({ content: 'x', upload_ids: 'abc,../../etc' }));
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.[0]?.field).toBe('body.upload_ids');
  });
});
