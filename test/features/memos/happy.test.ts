import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { memos } from '../../../src/db/schema';
import { api, problem } from '../../helpers/api';
import { createTestUser, testDb, type TestUser } from '../../helpers/users';
import { fixtureBytes, type MediaFixture } from '../../fixtures/media';
import {
  bytesOf,
  createMemo,
  fetchUrl,
  fixtureFile,
  keyOf,
  listMemos,
  memoForm,
  postMemo,
  putMemo,
  storedKeys,
  type MemoBody,
} from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function expectServed(url: string, fixture: MediaFixture, contentType: string) {
  const response = await fetchUrl(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('Content-Type')).toBe(contentType);
  expect(await bytesOf(response)).toEqual(fixtureBytes(fixture));
}

describe('create (M1)', () => {
  it('stores an image and a recording, answers the memo, and serves the bytes back with their real type', async () => {
    const user = await createTestUser();
    const response = await postMemo(
      user,
      memoForm({
        content: '  Walk in the park  ',
        tags: 'outdoors,mood',
        category: 'idea',
        image_0: fixtureFile('photo.jpg', 'IMG_0001.JPG', 'image/jpeg'),
        // What the web client really sends: a MediaRecorder WebM blob named and typed as WAV.
        audio_0: fixtureFile('recorded-webm-named.wav', 'audio_0.wav', 'audio/wav'),
      }),
    );
    expect(response.status).toBe(200);
    const memo = (await response.json()) as MemoBody;

    expect(memo).toMatchObject({ user_id: user.userId, content: 'Walk in the park', tags: ['outdoors', 'mood'], category: 'idea', category_confidence: 1, is_archived: false, pinned: false, pinned_at: null });
    expect(memo.id).toMatch(/^[0-9a-f]{24}$/);
    expect(memo.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(memo.updated_at).toBe(memo.created_at);
    const [image, audio] = memo.attachments;
    expect(image).toMatchObject({ type: 'image', filename: `${image?.id}.jpg` });
    expect(audio).toMatchObject({ type: 'audio', filename: `${audio?.id}.webm` });
    expect(image?.id).toMatch(UUID);
    expect(await storedKeys(user.userId)).toEqual([keyOf(user, image!), keyOf(user, audio!)].sort());

    await expectServed(image!.url, 'photo.jpg', 'image/jpeg');
    await expectServed(audio!.url, 'recorded-webm-named.wav', 'audio/webm');
  });

  it('also answers on the trailing-slash path the original registered', async () => {
    const user = await createTestUser();
    const response = await postMemo(user, memoForm({ content: 'slash' }), '/memo/');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ content: 'slash', tags: [], attachments: [] });
  });

  it('accepts every supported image and audio format, typed and named from the bytes', async () => {
    const user = await createTestUser();
    const images: [MediaFixture, string, string][] = [
      ['photo.png', 'image/png', 'png'],
      ['photo.jpg', 'image/jpeg', 'jpg'],
      ['photo.gif', 'image/gif', 'gif'],
      ['photo.webp', 'image/webp', 'webp'],
      ['photo.avif', 'image/avif', 'avif'],
      ['photo.heic', 'image/heic', 'heic'],
    ];
    const audio: [MediaFixture, string, string][] = [
      ['voice.wav', 'audio/wav', 'wav'],
      ['voice.webm', 'audio/webm', 'webm'],
      ['voice.ogg', 'audio/ogg', 'ogg'],
      ['voice.mp3', 'audio/mpeg', 'mp3'],
      ['voice.m4a', 'audio/mp4', 'm4a'],
    ];
    for (const [kind, cases] of [['image', images], ['audio', audio]] as const) {
      // Names without extensions and a generic type: only the bytes can tell.
      const files = Object.fromEntries(cases.map(([fixture], index) => [`${kind}_${index}`, fixtureFile(fixture, `blob${index}`, 'application/octet-stream')]));
      const memo = await createMemo(user, { content: kind, ...files });
      expect(memo.attachments.map((attachment) => attachment.type)).toEqual(cases.map(() => kind));
      for (const [index, [fixture, contentType, extension]] of cases.entries()) {
        const attachment = memo.attachments[index]!;
        expect(attachment.filename).toBe(`${attachment.id}.${extension}`);
        await expectServed(attachment.url, fixture, contentType);
      }
    }
  });

  it('trims content and normalises tags: split on commas, trimmed, empties dropped', async () => {
    const user = await createTestUser();
    expect(await createMemo(user, { content: '\n note \t', tags: ' a, ,b ,,  c d ,' })).toMatchObject({ content: 'note', tags: ['a', 'b', 'c d'] });
    expect(await createMemo(user, { content: 'no tags', tags: '' })).toMatchObject({ tags: [] });
    expect(await createMemo(user, { content: 'absent tags' })).toMatchObject({ tags: [] });
  });

  it('keeps the last value of a repeated key, as the original did', async () => {
    const user = await createTestUser();
    const form = memoForm({ content: 'first' });
    form.append('content', 'second');
    form.append('image_0', fixtureFile('photo.gif'));
    form.append('image_0', fixtureFile('photo.png'));
    const response = await postMemo(user, form);
    const memo = (await response.json()) as MemoBody;
    expect(memo.content).toBe('second');
    expect(memo.attachments).toHaveLength(1);
    await expectServed(memo.attachments[0]!.url, 'photo.png', 'image/png');
  });

  it('serves files with private caching bounded by the URL validity, Range support and no sniffing', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'voice', audio_0: fixtureFile('voice.wav') });
    const { url } = memo.attachments[0]!;
    const bytes = fixtureBytes('voice.wav');

    const before = Math.floor(Date.now() / 1000);
    const whole = await fetchUrl(url);
    expect(whole.headers.get('Accept-Ranges')).toBe('bytes');
    expect(whole.headers.get('Content-Length')).toBe(String(bytes.length));
    expect(whole.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const maxAge = Number(whole.headers.get('Cache-Control')?.match(/^private, max-age=(\d+)$/)?.[1]);
    // Never beyond the URL's expiry, which is at most an hour away.
    const validity = Number(new URL(url).searchParams.get('exp')) - before;
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(validity);
    expect(validity).toBeLessThanOrEqual(3600);
    await whole.arrayBuffer();

    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=30000-', 30000, bytes.length - 1],
      ['bytes=-78', bytes.length - 78, bytes.length - 1],
      ['bytes=32000-999999', 32000, bytes.length - 1],
    ];
    for (const [range, first, last] of cases) {
      const partial = await fetchUrl(url, { headers: { Range: range } });
      expect(partial.status, range).toBe(206);
      expect(partial.headers.get('Content-Range')).toBe(`bytes ${first}-${last}/${bytes.length}`);
      expect(partial.headers.get('Content-Type')).toBe('audio/wav');
      expect(await bytesOf(partial)).toEqual(bytes.subarray(first, last + 1));
    }

    const outside = await fetchUrl(url, { headers: { Range: `bytes=${bytes.length}-` } });
    expect(outside.status).toBe(416);
    expect(outside.headers.get('Content-Range')).toBe(`bytes */${bytes.length}`);
    // Every error is problem+json, this one too (it used to have an empty body).
    expect((await problem(outside)).status).toBe(416);
    // Not a single satisfiable-looking range: ignored, the whole file is sent.
    const ignored = await fetchUrl(url, { headers: { Range: 'bytes=5-2' } });
    expect(ignored.status).toBe(200);
    expect(await bytesOf(ignored)).toEqual(bytes);
  });
});

describe('list (M2)', () => {
  /** Creates a memo and moves its creation time, which is the server's clock and cannot be sent. */
  async function memoAt(user: TestUser, content: string, createdAt: string) {
    const memo = await createMemo(user, { content });
    await testDb().update(memos).set({ createdAt: new Date(createdAt) }).where(eq(memos.id, memo.id));
    return content;
  }

  const contents = (list: MemoBody[]) => list.map((memo) => memo.content);

  it('returns local days in Asia/Seoul, oldest first, with fresh URLs', async () => {
    const user = await createTestUser();
    await memoAt(user, 'late on the 12th', '2025-08-12T14:59:59.999Z');
    await memoAt(user, 'evening', '2025-08-13T11:00:00.000Z');
    await memoAt(user, 'midnight', '2025-08-12T15:00:00.000Z');
    await memoAt(user, 'last instant', '2025-08-13T14:59:59.999Z');
    await memoAt(user, 'the 14th', '2025-08-13T15:00:00.000Z');
    const withFile = await createMemo(user, { content: 'photo', image_0: fixtureFile('photo.png') });
    await testDb().update(memos).set({ createdAt: new Date('2025-08-13T05:00:00.000Z') }).where(eq(memos.id, withFile.id));

    const day = await listMemos(user, { tz: 'Asia/Seoul', start_date: '2025-08-13', end_date: '2025-08-13' });
    expect(contents(day)).toEqual(['midnight', 'photo', 'evening', 'last instant']);
    expect(day[1]?.created_at).toBe('2025-08-13T05:00:00.000Z');
    await expectServed(day[1]!.attachments[0]!.url, 'photo.png', 'image/png');
    // Python strptime also took one-digit months and days.
    expect(contents(await listMemos(user, { tz: 'Asia/Seoul', start_date: '2025-8-12', end_date: '2025-8-14' }))).toHaveLength(6);
  });

  it('gives a spring-forward day 23 hours and a fall-back day 25 hours in America/New_York', async () => {
    const user = await createTestUser();
    await memoAt(user, 'Mar 8, 23:59:59.999 EST', '2025-03-09T04:59:59.999Z');
    await memoAt(user, 'Mar 9, 00:00 EST', '2025-03-09T05:00:00.000Z');
    await memoAt(user, 'Mar 9, 23:59:59.999 EDT', '2025-03-10T03:59:59.999Z');
    await memoAt(user, 'Mar 10, 00:00 EDT', '2025-03-10T04:00:00.000Z');
    await memoAt(user, 'Nov 2, 00:00 EDT', '2025-11-02T04:00:00.000Z');
    await memoAt(user, 'Nov 2, 01:30 EST (second time)', '2025-11-02T06:30:00.000Z');
    await memoAt(user, 'Nov 2, 23:59:59.999 EST', '2025-11-03T04:59:59.999Z');
    await memoAt(user, 'Nov 3, 00:00 EST', '2025-11-03T05:00:00.000Z');

    const newYork = (date: string) => listMemos(user, { tz: 'America/New_York', start_date: date, end_date: date });
    expect(contents(await newYork('2025-03-09'))).toEqual(['Mar 9, 00:00 EST', 'Mar 9, 23:59:59.999 EDT']);
    expect(contents(await newYork('2025-11-02'))).toEqual(['Nov 2, 00:00 EDT', 'Nov 2, 01:30 EST (second time)', 'Nov 2, 23:59:59.999 EST']);
  });

  it("lists only the caller's memos", async () => {
    const [owner, other] = [await createTestUser(), await createTestUser()];
    await createMemo(owner, { content: 'mine' });
    await createMemo(other, { content: 'theirs' });
    const today = new Date().toISOString().slice(0, 10);
    // A wide range in UTC covers "today" wherever the test runs.
    const list = await listMemos(owner, { tz: 'UTC', start_date: '2000-01-01', end_date: `${Number(today.slice(0, 4)) + 1}-01-01` });
    expect(contents(list)).toEqual(['mine']);
  });
});

describe('get (M3)', () => {
  it('answers the memo with fresh URLs', async () => {
    const user = await createTestUser();
    const created = await createMemo(user, { content: 'one', image_0: fixtureFile('photo.webp') });
    const response = await api(`/memo/${created.id}`, { headers: user.bearer });
    expect(response.status).toBe(200);
    const memo = (await response.json()) as MemoBody;
    expect({ ...memo, attachments: memo.attachments.map(({ url: _url, ...rest }) => rest) }).toEqual({
      ...created,
      attachments: created.attachments.map(({ url: _url, ...rest }) => rest),
    });
    await expectServed(memo.attachments[0]!.url, 'photo.webp', 'image/webp');
  });
});

describe('edit (M4)', () => {
  it('with keep_attachments empty keeps none, deletes the dropped objects after saving, and stops serving them', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'before', tags: 'x', image_0: fixtureFile('photo.png'), audio_0: fixtureFile('voice.ogg') });
    const response = await putMemo(user, memo.id, memoForm({ content: ' after ', tags: '', keep_attachments: '' }));
    expect(response.status).toBe(200);
    const edited = (await response.json()) as MemoBody;
    expect(edited).toMatchObject({ id: memo.id, content: 'after', tags: [], attachments: [], created_at: memo.created_at });
    expect(edited.updated_at >= memo.updated_at).toBe(true);
    expect(await storedKeys(user.userId)).toEqual([]);
    // The old URL is still correctly signed and unexpired, but the file is gone.
    expect((await fetchUrl(memo.attachments[0]!.url)).status).toBe(404);
  });

  it('without keep_attachments keeps none (the original answered 422), which is how the web client edits a memo without files', async () => {
    const user = await createTestUser();
    const plain = await createMemo(user, { content: 'text only' });
    const response = await putMemo(user, plain.id, memoForm({ content: 'edited', tags: 'a' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ content: 'edited', tags: ['a'], attachments: [] });
  });

  it('keeps a subset in original order, then appends new files in form order, and deletes only the dropped one', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, {
      content: 'album',
      image_0: fixtureFile('photo.png'),
      image_1: fixtureFile('photo.gif'),
      audio_0: fixtureFile('voice.mp3'),
    });
    const [png, gif, mp3] = memo.attachments as [MemoBody['attachments'][number], MemoBody['attachments'][number], MemoBody['attachments'][number]];
    const response = await putMemo(
      user,
      memo.id,
      memoForm({
        content: 'album',
        // The client's order and an unknown id do not matter: kept ones stay in their original order.
        keep_attachments: `${mp3.id},not-an-attachment, ${png.id}`,
        new_audio_0: fixtureFile('recorded-webm-named.wav', 'new_audio_0.wav', 'audio/wav'),
        new_image_0: fixtureFile('photo.heic'),
      }),
    );
    expect(response.status).toBe(200);
    const edited = (await response.json()) as MemoBody;
    const [keptPng, keptMp3, newWebm, newHeic] = edited.attachments;
    expect(edited.attachments.map((attachment) => attachment.id).slice(0, 2)).toEqual([png.id, mp3.id]);
    expect(edited.attachments).toHaveLength(4);
    expect(newWebm).toMatchObject({ type: 'audio', filename: `${newWebm?.id}.webm` });
    expect(newHeic).toMatchObject({ type: 'image', filename: `${newHeic?.id}.heic` });

    expect(await storedKeys(user.userId)).toEqual(edited.attachments.map((attachment) => keyOf(user, attachment)).sort());
    expect((await fetchUrl(gif.url)).status).toBe(404);
    await expectServed(keptPng!.url, 'photo.png', 'image/png');
    await expectServed(keptMp3!.url, 'voice.mp3', 'audio/mpeg');
    await expectServed(newWebm!.url, 'recorded-webm-named.wav', 'audio/webm');
    await expectServed(newHeic!.url, 'photo.heic', 'image/heic');
  });
});

describe('delete (M5)', () => {
  it('deletes the row, then every object', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'bye', image_0: fixtureFile('photo.png'), audio_0: fixtureFile('voice.m4a') });
    const response = await api(`/memo/${memo.id}`, { method: 'DELETE', headers: user.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'memo deleted successfully' });
    expect(await storedKeys(user.userId)).toEqual([]);
    expect((await api(`/memo/${memo.id}`, { headers: user.cookie })).status).toBe(404);
    for (const attachment of memo.attachments) expect((await fetchUrl(attachment.url)).status).toBe(404);
  });
});
