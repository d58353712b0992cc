import { expect } from 'vitest';
import { api, json } from '../../helpers/api';
import type { TestUser } from '../../helpers/users';
import { createMemo, type MemoBody } from '../memos/helpers';

export interface CustomCategory {
  id: string;
  key: string;
  name: string;
  description: string;
  icon: string;
  color: string;
  user_id: string;
  created_at: string;
  updated_at: string;
}

/** The body the composer's quick-create sends. */
export const quickCreate = (name: string, overrides: Record<string, unknown> = {}) => ({
  key: name.toLowerCase().replace(/\s+/g, '_'),
  name,
  description: `사용자 정의 카테고리: ${name}`,
  icon: 'lightbulb',
  color: '#F59E0B',
  ...overrides,
});

export const postCategory = (user: TestUser, body: unknown) => api('/categories/custom', { method: 'POST', ...json(body, user.cookie) });
export const putCategory = (user: TestUser, id: string, body: unknown) => api(`/categories/custom/${id}`, { method: 'PUT', ...json(body, user.cookie) });
export const deleteCategory = (user: TestUser, id: string) => api(`/categories/custom/${id}`, { method: 'DELETE', headers: user.cookie });

export async function createCategory(user: TestUser, body: unknown): Promise<CustomCategory> {
  const response = await postCategory(user, body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as CustomCategory;
}

export async function getMemo(user: TestUser, id: string): Promise<MemoBody> {
  const response = await api(`/memo/${id}`, { headers: user.cookie });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as MemoBody;
}

/** Polls the memo through the API until `done` holds: the real queue consumer runs in the background. */
export async function waitForMemo(user: TestUser, id: string, done: (memo: MemoBody) => boolean, timeoutMs = 10_000): Promise<MemoBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const memo = await getMemo(user, id);
    if (done(memo)) return memo;
    if (Date.now() > deadline) throw new Error(`memo ${id} never reached the expected state: ${JSON.stringify(memo)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const classified = (memo: MemoBody) => memo.category !== 'uncategorized';

export { createMemo };
