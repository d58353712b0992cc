import { describe, expect, it } from 'vitest';
import { api, problem } from '../../helpers/api';
import { createTestUser, type TestUser } from '../../helpers/users';
import { createMemo, memoForm, putMemo, type MemoBody } from './helpers';

const pin = (user: TestUser, id: string) => api(`/memo/${id}/pin`, { method: 'PUT', headers: user.cookie });
const unpin = (user: TestUser, id: string) => api(`/memo/${id}/pin`, { method: 'DELETE', headers: user.cookie });

async function getMemo(user: TestUser, id: string): Promise<MemoBody> {
  const response = await api(`/memo/${id}`, { headers: user.bearer });
  expect(response.status).toBe(200);
  return (await response.json()) as MemoBody;
}

async function pinned(user: TestUser): Promise<MemoBody[]> {
  const response = await api('/memo/pinned', { headers: user.bearer });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as MemoBody[];
}

/** Pin times are the server's milliseconds: a pause keeps pins made one after another apart. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('pins', () => {
  it('pin and unpin answer 204 with no body, are idempotent, and leave updated_at alone', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'pin me' });
    expect(memo).toMatchObject({ pinned: false, pinned_at: null });

    const first = await pin(user, memo.id);
    expect(first.status).toBe(204);
    expect(await first.text()).toBe('');
    const afterPin = await getMemo(user, memo.id);
    expect(afterPin.pinned).toBe(true);
    expect(afterPin.pinned_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(afterPin.updated_at).toBe(memo.updated_at);

    await tick();
    expect((await pin(user, memo.id)).status).toBe(204);
    expect((await getMemo(user, memo.id)).pinned_at).toBe(afterPin.pinned_at);

    expect((await unpin(user, memo.id)).status).toBe(204);
    expect((await unpin(user, memo.id)).status).toBe(204);
    const afterUnpin = await getMemo(user, memo.id);
    expect(afterUnpin).toMatchObject({ pinned: false, pinned_at: null, updated_at: memo.updated_at });
  });

  it('GET /memo/pinned lists only pinned memos, newest pin first, as a bare array', async () => {
    const user = await createTestUser();
    const [a, b, c, d] = [await createMemo(user, { content: 'a' }), await createMemo(user, { content: 'b' }), await createMemo(user, { content: 'c' }), await createMemo(user, { content: 'd' })];
    expect(await pinned(user)).toEqual([]);
    for (const memo of [b!, a!, d!]) {
      expect((await pin(user, memo.id)).status).toBe(204);
      await tick();
    }
    // Pinning again keeps the first pin time, so it does not move b up.
    expect((await pin(user, b!.id)).status).toBe(204);
    const list = await pinned(user);
    expect(list.map((memo) => memo.content)).toEqual(['d', 'a', 'b']);
    expect(list.every((memo) => memo.pinned && memo.pinned_at !== null)).toBe(true);
    expect(list.map((memo) => memo.pinned_at)).toEqual([...list.map((memo) => memo.pinned_at)].sort().reverse());

    expect((await unpin(user, a!.id)).status).toBe(204);
    expect((await pinned(user)).map((memo) => memo.content)).toEqual(['d', 'b']);
    expect(c).toBeDefined();
  });

  it("another user's memo is 403 both ways and stays as it was; unknown and malformed ids are 404", async () => {
    const owner = await createTestUser();
    const stranger = await createTestUser();
    const memo = await createMemo(owner, { content: 'mine' });
    for (const response of [await pin(stranger, memo.id), await unpin(stranger, memo.id)]) {
      expect(response.status).toBe(403);
      expect((await problem(response)).status).toBe(403);
    }
    expect((await getMemo(owner, memo.id)).pinned).toBe(false);
    expect((await pin(owner, memo.id)).status).toBe(204);
    expect((await unpin(stranger, memo.id)).status).toBe(403);
    expect((await getMemo(owner, memo.id)).pinned).toBe(true);
    expect(await pinned(stranger)).toEqual([]);

    for (const id of ['0123456789abcdef01234567', 'not-an-id']) {
      expect((await pin(owner, id)).status).toBe(404);
      expect((await unpin(owner, id)).status).toBe(404);
    }
  });

  it('needs credentials: 401 without them', async () => {
    const owner = await createTestUser();
    const memo = await createMemo(owner, { content: 'x' });
    for (const response of [
      await api(`/memo/${memo.id}/pin`, { method: 'PUT' }),
      await api(`/memo/${memo.id}/pin`, { method: 'DELETE' }),
      await api('/memo/pinned'),
    ]) {
      expect(response.status).toBe(401);
      await problem(response);
    }
  });

  it('every memo answer carries pinned and pinned_at: lists, edits and the pinned list agree', async () => {
    const user = await createTestUser();
    const memo = await createMemo(user, { content: 'kept pinned', tags: 'x' });
    expect((await pin(user, memo.id)).status).toBe(204);
    const { pinned_at } = await getMemo(user, memo.id);

    const edited = await putMemo(user, memo.id, memoForm({ content: 'edited', tags: 'x', keep_attachments: '' }));
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ content: 'edited', pinned: true, pinned_at });

    const day = memo.created_at.slice(0, 10);
    const list = await api(`/memo/list?tz=UTC&start_date=${day}&end_date=${day}`, { headers: user.bearer });
    expect(((await list.json()) as MemoBody[]).find((each) => each.id === memo.id)).toMatchObject({ pinned: true, pinned_at });
    const paged = await api(`/memo/list?tz=UTC&start_date=${day}&end_date=${day}&limit=10`, { headers: user.bearer });
    expect(((await paged.json()) as { items: MemoBody[] }).items.find((each) => each.id === memo.id)).toMatchObject({ pinned: true, pinned_at });
    expect((await pinned(user))[0]).toMatchObject({ id: memo.id, content: 'edited', pinned: true, pinned_at });
  });
});
