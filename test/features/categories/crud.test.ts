import { describe, expect, it } from 'vitest';
import { api, problem } from '../../helpers/api';
import { createTestUser, testDb } from '../../helpers/users';
import { customCategories } from '../../../src/db/schema';
import { createCategory, deleteCategory, postCategory, putCategory, quickCreate, type CustomCategory } from './helpers';
import { createMemo } from '../memos/helpers';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

async function fieldOf(response: Response) {
  expect(response.status).toBe(422);
  return (await problem(response)).errors?.[0]?.field;
}

describe('custom categories', () => {
  it('creates, lists oldest first, updates and deletes, in the client’s shapes', async () => {
    const user = await createTestUser();
    const first = await createCategory(user, quickCreate('운동'));
    expect(first).toMatchObject({ key: '운동', name: '운동', description: '사용자 정의 카테고리: 운동', icon: 'lightbulb', color: '#F59E0B', user_id: user.userId });
    expect(first.created_at).toMatch(ISO);
    const second = await createCategory(user, { name: 'Side Project', description: '', icon: 'book', color: '#112233' });
    expect(second.key).toBe('side_project');

    const listed = (await (await api('/categories/custom', { headers: user.cookie })).json()) as { categories: CustomCategory[] };
    expect(listed.categories.map((category) => category.key)).toEqual(['운동', 'side_project']);

    const updated = await putCategory(user, second.id, { key: 'side-project', name: 'Side project', description: 'd', icon: 'clock', color: '#ABCDEF' });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ id: second.id, key: 'side-project', icon: 'clock' });
    expect((await deleteCategory(user, first.id)).status).toBe(200);
    expect((await deleteCategory(user, first.id)).status).toBe(404);
  });

  it('answers 422 naming the field', async () => {
    const user = await createTestUser();
    expect(await fieldOf(await postCategory(user, quickCreate('   ')))).toBe('body.name');
    expect(await fieldOf(await postCategory(user, quickCreate('x'.repeat(41), { key: 'long' })))).toBe('body.name');
    expect(await fieldOf(await postCategory(user, quickCreate('ok', { description: 'd'.repeat(501) })))).toBe('body.description');
    expect(await fieldOf(await postCategory(user, quickCreate('ok', { key: 'a b' })))).toBe('body.key');
    expect(await fieldOf(await postCategory(user, quickCreate('ok', { icon: 'rocket' })))).toBe('body.icon');
    expect(await fieldOf(await postCategory(user, quickCreate('ok', { color: 'red' })))).toBe('body.color');
    expect(await fieldOf(await postCategory(user, { name: 'a.b!', icon: 'book', color: '#000000' }))).toBe('body.key');
  });

  it('answers 409 for a key the user has or a built-in key, and refuses past 50', async () => {
    const user = await createTestUser();
    await createCategory(user, quickCreate('hobby'));
    expect((await postCategory(user, quickCreate('hobby'))).status).toBe(409);
    expect((await postCategory(user, quickCreate('idea'))).status).toBe(409);
    expect((await postCategory(user, quickCreate('uncategorized'))).status).toBe(409);
    const other = await createCategory(user, quickCreate('other'));
    expect((await putCategory(user, other.id, quickCreate('hobby'))).status).toBe(409);

    const now = Date.now();
    await testDb()
      .insert(customCategories)
      .values(Array.from({ length: 48 }, (_, index) => ({ id: `${user.userId}-${index}`, userId: user.userId, key: `k${index}`, name: `k${index}`, icon: 'book', color: '#000000', createdAt: new Date(now + index) })));
    expect(await fieldOf(await postCategory(user, quickCreate('one too many')))).toBe('body.name');
  });

  it('hides another user’s categories (404) and requires credentials (401)', async () => {
    const owner = await createTestUser();
    const stranger = await createTestUser();
    const category = await createCategory(owner, quickCreate('private'));
    expect((await putCategory(stranger, category.id, quickCreate('mine'))).status).toBe(404);
    expect((await deleteCategory(stranger, category.id)).status).toBe(404);
    const listed = (await (await api('/categories/custom', { headers: stranger.cookie })).json()) as { categories: unknown[] };
    expect(listed.categories).toEqual([]);
    for (const [method, path] of [['GET', '/categories/custom'], ['POST', '/categories/custom'], ['PUT', `/categories/custom/${category.id}`], ['DELETE', `/categories/custom/${category.id}`], ['GET', '/categories']] as const) {
      expect([method, path, (await api(path, { method })).status]).toEqual([method, path, 401]);
    }
  });

  it('GET /categories counts the user’s memos per built-in and custom key', async () => {
    const user = await createTestUser();
    await createCategory(user, quickCreate('hobby'));
    await createMemo(user, { content: 'a', category: 'hobby' });
    await createMemo(user, { content: 'b', category: 'idea' });
    await createMemo(user, { content: 'c', category: 'idea' });
    const body = (await (await api('/categories', { headers: user.cookie })).json()) as { categories: { key: string; builtin: boolean; memo_count: number }[] };
    const counts = Object.fromEntries(body.categories.map((category) => [category.key, category.memo_count]));
    expect(counts).toMatchObject({ idea: 2, hobby: 1, study: 0 });
    expect(body.categories.find((category) => category.key === 'hobby')?.builtin).toBe(false);
  });
});
