import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/env';
import { signFileLink } from '../../../src/features/memos/urls';
import { api, env, problem, WEB_ORIGIN } from '../../helpers/api';
import { createTestUser } from '../../helpers/users';
import { fixtureBytes, type MediaFixture } from '../../fixtures/media';
import { createMemo, fetchUrl, fixtureFile, memoForm, postMemo, putMemo, requestUpload, storedKeys, zeroStream, type UploadTicket } from './helpers';

const config = loadConfig(env);

async function expectProblem(response: Response, status: number, field?: string) {
  expect(response.status).toBe(status);
  const body = await problem(response);
  if (field) expect(body.errors?.map((error) => error.field)).toContain(field);
  return body;
}

describe('missing memos', () => {
  it.each(['66bb2f7e9a1c4d2e8f0a1b2c', 'not-an-object-id'])('GET, PUT and DELETE of %s answer 404 Memo not found, never 500', async (id) => {
    const user = await createTestUser();
    const responses = [
      await api(`/memo/${id}`, { headers: user.cookie }),
      await putMemo(user, id, memoForm({ content: 'x', new_image_0: fixtureFile('photo.png') })),
      await api(`/memo/${id}`, { method: 'DELETE', headers: user.cookie }),
    ];
    for (const response of responses) expect((await expectProblem(response, 404)).detail).toBe('Memo not found');
    expect(await storedKeys(user.userId)).toEqual([]);
  });

  it.each(['%00', '66bb2f7e9a1c4d2e8f0a1b2%00'])('GET, PUT and DELETE of %s answer 422 naming path.id, never 500', async (id) => {
    const user = await createTestUser();
    await expectProblem(await api(`/memo/${id}`, { headers: user.cookie }), 422, 'path.id');
    await expectProblem(await putMemo(user, id, memoForm({ content: 'x', new_image_0: fixtureFile('photo.png') })), 422, 'path.id');
    await expectProblem(await api(`/memo/${id}`, { method: 'DELETE', headers: user.cookie }), 422, 'path.id');
    expect(await storedKeys(user.userId)).toEqual([]);
  });
});

describe('form validation (422 naming the field)', () => {
  it('requires content, also after trimming', async () => {
    const user = await createTestUser();
    await expectProblem(await postMemo(user, memoForm({ tags: 'a' })), 422, 'body.content');
    await expectProblem(await postMemo(user, memoForm({ content: ' \n\t ' })), 422, 'body.content');
    const memo = await createMemo(user, { content: 'x' });
    await expectProblem(await putMemo(user, memo.id, memoForm({ content: '' })), 422, 'body.content');
  });

  it('refuses NUL characters in content and tags, which Postgres cannot store, on create and on edit', async () => {
    const user = await createTestUser();
    await expectProblem(await postMemo(user, memoForm({ content: 'a\u0000b' })), 422, 'body.content');
    await expectProblem(await postMemo(user, memoForm({ content: 'x', tags: 'ok, b\u0000d' })), 422, 'body.tags');
    const memo = await createMemo(user, { content: 'x', tags: 'ok' });
    await expectProblem(await putMemo(user, memo.id, memoForm({ content: '\u0000' })), 422, 'body.content');
    await expectProblem(await putMemo(user, memo.id, memoForm({ content: 'y', tags: '\u0000' })), 422, 'body.tags');
    expect(await (await api(`/memo/${memo.id}`, { headers: user.cookie })).json()).toMatchObject({ content: 'x', tags: ['ok'] });
  });

  it('caps content at 100000 characters and tags at 50 of at most 64 characters each', async () => {
    const user = await createTestUser();
    const tags = (count: number, length = 1) => Array.from({ length: count }, (_, index) => String(index).padStart(length, 't')).join(',');
    const longest = await createMemo(user, { content: 'c'.repeat(100_000), tags: tags(50, 64) });
    expect(longest.content).toHaveLength(100_000);
    expect(longest.tags).toHaveLength(50);

    await expectProblem(await postMemo(user, memoForm({ content: 'c'.repeat(100_001) })), 422, 'body.content');
    await expectProblem(await postMemo(user, memoForm({ content: 'x', tags: tags(51) })), 422, 'body.tags');
    await expectProblem(await postMemo(user, memoForm({ content: 'x', tags: `ok, ${'t'.repeat(65)}` })), 422, 'body.tags');
    await expectProblem(await putMemo(user, longest.id, memoForm({ content: 'c'.repeat(100_001) })), 422, 'body.content');
    await expectProblem(await putMemo(user, longest.id, memoForm({ content: 'x', tags: tags(51) })), 422, 'body.tags');
  });

  it('refuses text where a file belongs, on create and on edit', async () => {
    const user = await createTestUser();
    await expectProblem(await postMemo(user, memoForm({ content: 'x', image_0: 'not a file' })), 422, 'body.image_0');
    await expectProblem(await postMemo(user, memoForm({ content: 'x', audio: 'also not' })), 422, 'body.audio');
    const memo = await createMemo(user, { content: 'x' });
    await expectProblem(await putMemo(user, memo.id, memoForm({ content: 'y', new_audio_1: 'text' })), 422, 'body.new_audio_1');
    // Keys outside the file patterns are just ignored text, as in the original.
    expect((await putMemo(user, memo.id, memoForm({ content: 'y', new_image_a_b: 'text', imagery: 'text' }))).status).toBe(200);
  });

  it('refuses a body that is not a form with 415', async () => {
    const user = await createTestUser();
    const response = await api('/memo', { method: 'POST', headers: { ...user.cookie, 'Content-Type': 'application/json' }, body: JSON.stringify({ content: 'x' }) });
    await expectProblem(response, 415);
  });

  it('declares the memo forms as multipart only, and still takes a URL-encoded text-only memo', async () => {
    const document = (await (await api('/openapi.json')).json()) as { paths: Record<string, Record<string, { requestBody: { content: object } }>> };
    expect(Object.keys(document.paths['/memo']!.post!.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(document.paths['/memo/{id}']!.put!.requestBody.content)).toEqual(['multipart/form-data']);

    const user = await createTestUser();
    const created = await api('/memo', { method: 'POST', headers: user.cookie, body: new URLSearchParams({ content: 'text only', tags: 'a,b' }) });
    expect(created.status).toBe(200);
    const memo = (await created.json()) as { id: string };
    const edited = await api(`/memo/${memo.id}`, { method: 'PUT', headers: user.cookie, body: new URLSearchParams({ content: '' }) });
    await expectProblem(edited, 422, 'body.content');
  });

  it('refuses more attachments than a memo may have, naming the first one past the limit', async () => {
    const user = await createTestUser();
    const max = config.files.maxAttachmentsPerMemo;
    const files = Object.fromEntries(Array.from({ length: max + 1 }, (_, index) => [`image_${index}`, fixtureFile('photo.png')]));
    await expectProblem(await postMemo(user, memoForm({ content: 'x', ...files })), 422, `body.image_${max}`);

    const full = await createMemo(user, { content: 'x', ...Object.fromEntries(Object.entries(files).slice(0, max)) });
    const keepAllButOne = full.attachments.slice(1).map((attachment) => attachment.id).join(',');
    const response = await putMemo(user, full.id, memoForm({ content: 'x', keep_attachments: keepAllButOne, new_image_0: fixtureFile('photo.gif'), new_image_1: fixtureFile('photo.gif') }));
    await expectProblem(response, 422, 'body.new_image_1');
    expect(await storedKeys(user.userId)).toHaveLength(max);
  });
});

describe('request body size', () => {
  const MiB = 1024 * 1024;
  const formLimit = config.files.maxFormBytes;
  const multipart = { 'Content-Type': 'multipart/form-data; boundary=limit' };

  it.each(['POST', 'PUT'])('%s of a memo form over MAX_FORM_BYTES is a 413 that stops reading it', async (method) => {
    const user = await createTestUser();
    const path = method === 'POST' ? '/memo' : `/memo/${(await createMemo(user, { content: 'x' })).id}`;
    const total = formLimit + 8 * MiB;
    const stream = zeroStream(total);
    const response = await api(path, { method, headers: { ...user.cookie, ...multipart }, body: stream.body });
    expect(response.status).toBe(413);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe(WEB_ORIGIN);
    expect((await problem(response)).detail).toBe(`The request body is larger than the limit of ${formLimit} bytes`);
    expect(stream.pulled()).toBeLessThan(total);
  });

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    const user = await createTestUser();
    const total = 16 * MiB;
    const stream = zeroStream(total);
    const response = await api('/memo', { method: 'POST', headers: { ...user.cookie, ...multipart, 'Content-Length': String(formLimit + 1) }, body: stream.body });
    expect(response.status).toBe(413);
    // The runtime reads one chunk ahead of the Worker; the Worker reads none.
    expect(stream.pulled()).toBeLessThan(total);
  });

  it('checks credentials first: an oversized form without them is a 401', async () => {
    const response = await api('/memo', { method: 'POST', headers: multipart, body: zeroStream(formLimit + 8 * MiB).body });
    expect(response.status).toBe(401);
  });

  it('the Worker PUT of a direct upload stops reading at MAX_UPLOAD_BYTES', async () => {
    const user = await createTestUser();
    const ticket = (await (await requestUpload(user, { content_type: 'image/png', size: 1000 })).json()) as UploadTicket;
    const total = config.files.maxUploadBytes + 8 * MiB;
    const stream = zeroStream(total);
    const response = await fetchUrl(ticket.upload_url, { method: 'PUT', headers: ticket.headers, body: stream.body });
    expect(response.status).toBe(413);
    expect(stream.pulled()).toBeLessThan(total);
    expect(await storedKeys(user.userId)).toEqual([]);
  });
});

describe('list query (422 naming the field)', () => {
  it.each([
    [{}, ['query.tz', 'query.start_date', 'query.end_date']],
    [{ tz: 'Mars/Olympus_Mons', start_date: '2025-08-13', end_date: '2025-08-13' }, ['query.tz']],
    [{ tz: '', start_date: '2025-08-13', end_date: '2025-08-13' }, ['query.tz']],
    [{ tz: '+09:00', start_date: '2025-08-13', end_date: '2025-08-13' }, ['query.tz']],
    [{ tz: 'Asia/Seoul', start_date: '2025-02-30', end_date: '2025-03-01' }, ['query.start_date']],
    [{ tz: 'Asia/Seoul', start_date: '2025-08-13', end_date: '13/08/2025' }, ['query.end_date']],
    [{ tz: 'Asia/Seoul', start_date: '2025-08-14', end_date: '2025-08-13' }, ['query.end_date']],
  ])('%j → 422 on %j', async (query, fields) => {
    const user = await createTestUser();
    const response = await api(`/memo/list?${new URLSearchParams(query)}`, { headers: user.cookie });
    const body = await expectProblem(response, 422);
    expect(body.errors?.map((error) => error.field).sort()).toEqual([...fields].sort());
  });
});

describe('file checks', () => {
  it.each<[MediaFixture, string, number]>([
    ['disguised-exe.png', 'image/png', 415],
    ['page-named.jpg', 'image/jpeg', 415],
    ['script.svg', 'image/svg+xml', 415],
    ['truncated.png', 'image/png', 415],
    ['empty.png', 'image/png', 422],
  ])('refuses %s (declared %s) with %i, storing nothing', async (fixture, declared, status) => {
    const user = await createTestUser();
    const response = await postMemo(user, memoForm({ content: 'x', image_0: fixtureFile('photo.png'), image_1: fixtureFile(fixture, fixture, declared) }));
    await expectProblem(response, status, 'body.image_1');
    expect(await storedKeys(user.userId)).toEqual([]);
  });

  it('refuses an image under an audio key and audio under an image key with 415', async () => {
    const user = await createTestUser();
    const imageAsAudio = await expectProblem(await postMemo(user, memoForm({ content: 'x', audio_0: fixtureFile('photo.png', 'a.wav', 'audio/wav') })), 415, 'body.audio_0');
    expect(imageAsAudio.detail).toBe('Expected audio, got image/png');
    await expectProblem(await postMemo(user, memoForm({ content: 'x', image_0: fixtureFile('voice.mp3', 'a.jpg', 'image/jpeg') })), 415, 'body.image_0');
    const memo = await createMemo(user, { content: 'x' });
    await expectProblem(await putMemo(user, memo.id, memoForm({ content: 'x', new_audio_0: fixtureFile('photo.gif') })), 415, 'body.new_audio_0');
  });

  it('refuses a file over MAX_UPLOAD_BYTES with 413', async () => {
    const user = await createTestUser();
    const max = config.files.maxUploadBytes;
    const big = new Uint8Array(max + 1);
    big.set(fixtureBytes('photo.png'));
    const response = await postMemo(user, memoForm({ content: 'x', image_0: new File([big], 'big.png', { type: 'image/png' }) }));
    const body = await expectProblem(response, 413, 'body.image_0');
    expect(body.detail).toContain(String(max));
    expect(await storedKeys(user.userId)).toEqual([]);
  });
});

describe('file URLs', () => {
  async function servedUrl() {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'x', image_0: fixtureFile('photo.png') });
    return { user, memo, url: new URL(memo.attachments[0]!.url) };
  }

  it('refuses a tampered signature, expiry or key with 403', async () => {
    const { user, url } = await servedUrl();
    expect((await fetchUrl(url.toString())).status).toBe(200);

    const badSignature = new URL(url);
    const sig = url.searchParams.get('sig')!;
    badSignature.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    const longerExpiry = new URL(url);
    longerExpiry.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
    const otherKey = new URL(url.toString().replace(/[0-9a-f-]{36}\.png/, `${crypto.randomUUID()}.png`));
    const otherOwner = new URL(url.toString().replace(user.userId, crypto.randomUUID()));
    const unsigned = new URL(url.origin + url.pathname);

    for (const tampered of [badSignature, longerExpiry, otherKey, otherOwner, unsigned]) {
      const body = await expectProblem(await fetchUrl(tampered.toString()), 403);
      expect(body.detail).toBe('Invalid or expired file URL');
    }
  });

  it('refuses an expired URL with 403', async () => {
    const { user, memo } = await servedUrl();
    const key = `${user.userId}/${memo.attachments[0]!.filename}`;
    const expired = await signFileLink(config.files.urlSecret, 'https://api.omood.test', 'GET', key, Math.floor(Date.now() / 1000) - 1);
    await expectProblem(await fetchUrl(expired), 403);
    const fresh = await signFileLink(config.files.urlSecret, 'https://api.omood.test', 'GET', key, Math.floor(Date.now() / 1000) + 60);
    expect((await fetchUrl(fresh)).status).toBe(200);
  });

  it('refuses a download URL used to upload', async () => {
    const { url } = await servedUrl();
    await expectProblem(await fetchUrl(url.toString(), { method: 'PUT', body: fixtureBytes('photo.png') }), 403);
  });
});
