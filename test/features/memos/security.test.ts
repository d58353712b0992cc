import { describe, expect, it } from 'vitest';
import { api, json, problem } from '../../helpers/api';
import { createTestUser } from '../../helpers/users';
import { createMemo, fetchUrl, fixtureFile, keyOf, memoForm, postMemo, putMemo, storedKeys, uploadDirectly, type MemoBody } from './helpers';

const ID = '66bb2f7e9a1c4d2e8f0a1b2c';

/** Every protected memo route, with a body that would otherwise fail validation: credentials are checked first. */
const protectedRequests: [string, string, RequestInit][] = [
  ['POST /memo', '/memo', { method: 'POST', body: memoForm({ image_0: 'not a file' }) }],
  ['POST /memo/', '/memo/', { method: 'POST', body: memoForm({}) }],
  ['GET /memo/list', '/memo/list?tz=Nowhere', {}],
  ['POST /memo/uploads', '/memo/uploads', { method: 'POST', ...json({ content_type: 'text/html', size: -1 }) }],
  ['GET /memo/{id}', `/memo/${ID}`, {}],
  ['PUT /memo/{id}', `/memo/${ID}`, { method: 'PUT', body: memoForm({}) }],
  ['DELETE /memo/{id}', `/memo/${ID}`, { method: 'DELETE' }],
];

describe('no credentials', () => {
  it.each(protectedRequests)('%s answers 401 before looking at the body', async (_name, path, init) => {
    const response = await api(path, init);
    expect(response.status).toBe(401);
    expect((await problem(response)).detail).toBe('Authentication required');
  });

  it('an unknown path under /memo stays 404 without credentials (the web client treats 401 as logged out)', async () => {
    expect((await api('/memo/list/extra')).status).toBe(404);
  });

  it('refuses a cookie-authenticated create from a foreign origin (CSRF)', async () => {
    const user = await createTestUser();
    const response = await postMemo({ ...user, cookie: { ...user.cookie, Origin: 'https://evil.example' } }, memoForm({ content: 'x' }));
    expect(response.status).toBe(403);
    expect(await storedKeys(user.userId)).toEqual([]);
  });
});

describe("another user's memo", () => {
  async function victimMemo() {
    const [owner, intruder] = [await createTestUser('Owner'), await createTestUser('Intruder')];
    const memo = await createMemo(owner, { content: 'private', tags: 'secret', image_0: fixtureFile('photo.png') });
    return { owner, intruder, memo };
  }

  async function expectUntouched(owner: Awaited<ReturnType<typeof createTestUser>>, memo: MemoBody) {
    const response = await api(`/memo/${memo.id}`, { headers: owner.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ content: memo.content, tags: memo.tags, attachments: [{ id: memo.attachments[0]!.id }] });
    expect(await storedKeys(owner.userId)).toEqual([keyOf(owner, memo.attachments[0]!)]);
  }

  it('cannot be read: 403 Forbidden', async () => {
    const { owner, intruder, memo } = await victimMemo();
    const response = await api(`/memo/${memo.id}`, { headers: intruder.bearer });
    expect(response.status).toBe(403);
    expect((await problem(response)).detail).toBe('Forbidden');
    await expectUntouched(owner, memo);
  });

  it('cannot be edited, and the intruder’s new files are not left behind', async () => {
    const { owner, intruder, memo } = await victimMemo();
    const response = await putMemo(intruder, memo.id, memoForm({ content: 'mine now', keep_attachments: '', new_image_0: fixtureFile('photo.gif') }));
    expect(response.status).toBe(403);
    expect(await storedKeys(intruder.userId)).toEqual([]);
    await expectUntouched(owner, memo);
  });

  it('cannot be deleted', async () => {
    const { owner, intruder, memo } = await victimMemo();
    expect((await api(`/memo/${memo.id}`, { method: 'DELETE', headers: intruder.cookie })).status).toBe(403);
    await expectUntouched(owner, memo);
  });

  it('does not appear in the intruder’s list', async () => {
    const { intruder } = await victimMemo();
    const response = await api('/memo/list?tz=UTC&start_date=2000-01-01&end_date=2999-12-31', { headers: intruder.cookie });
    expect(await response.json()).toEqual([]);
  });
});

describe("another user's files", () => {
  it('cannot be adopted by keeping their attachment ids in one’s own memo', async () => {
    const [owner, intruder] = [await createTestUser(), await createTestUser()];
    const theirs = await createMemo(owner, { content: 'x', image_0: fixtureFile('photo.png') });
    const mine = await createMemo(intruder, { content: 'y' });
    const response = await putMemo(intruder, mine.id, memoForm({ content: 'y', keep_attachments: theirs.attachments[0]!.id }));
    expect(await response.json()).toMatchObject({ attachments: [] });
    expect(await storedKeys(owner.userId)).toEqual([keyOf(owner, theirs.attachments[0]!)]);
  });

  it('cannot be fetched by re-pointing one’s own signed URL at their key', async () => {
    const [owner, intruder] = [await createTestUser(), await createTestUser()];
    const theirs = await createMemo(owner, { content: 'x', image_0: fixtureFile('photo.png') });
    const mine = await createMemo(intruder, { content: 'y', image_0: fixtureFile('photo.gif') });
    const ownUrl = new URL(mine.attachments[0]!.url);
    const repointed = new URL(ownUrl);
    repointed.pathname = `/files/${keyOf(owner, theirs.attachments[0]!)}`;
    expect((await fetchUrl(repointed.toString())).status).toBe(403);
    expect((await fetchUrl(ownUrl.toString())).status).toBe(200);
  });

  it('cannot be attached through their direct-upload id, which stays theirs to use', async () => {
    const [owner, intruder] = [await createTestUser(), await createTestUser()];
    const ticket = await uploadDirectly(owner, 'photo.png', 'image/png');

    const stolen = await postMemo(intruder, memoForm({ content: 'x', upload_ids: ticket.id }));
    expect(stolen.status).toBe(422);
    expect((await problem(stolen)).errors?.[0]?.field).toBe('body.upload_ids');
    const mine = await createMemo(intruder, { content: 'y' });
    expect((await putMemo(intruder, mine.id, memoForm({ content: 'y', new_upload_ids: ticket.id }))).status).toBe(422);

    const used = await createMemo(owner, { content: 'mine', upload_ids: ticket.id });
    expect(used.attachments.map((attachment) => attachment.id)).toEqual([ticket.id]);
  });

  it('are served with no sniffing and a sandbox, so stored bytes can never run as a page of the API origin', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'x', image_0: fixtureFile('photo.png') });
    const response = await fetchUrl(memo.attachments[0]!.url);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Content-Security-Policy')).toBe("default-src 'none'; sandbox");
    await response.arrayBuffer();
  });
});
