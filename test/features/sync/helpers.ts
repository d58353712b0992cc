import { expect } from 'vitest';
import { api } from '../../helpers/api';
import type { TestUser } from '../../helpers/users';

export interface SyncChange {
  type: 'memo' | 'session' | 'mood' | 'category';
  id: string;
  op: 'upsert' | 'delete';
  data?: Record<string, unknown>;
  changed_at: string;
}

export interface SyncPage {
  changes: SyncChange[];
  next_cursor: string;
  has_more: boolean;
}

export const syncRequest = (user: TestUser, query: Record<string, string> = {}) =>
  api(`/sync${Object.keys(query).length > 0 ? `?${new URLSearchParams(query)}` : ''}`, { headers: user.bearer });

export async function syncPage(user: TestUser, since?: string, limit?: number): Promise<SyncPage> {
  const query: Record<string, string> = {};
  if (since !== undefined) query.since = since;
  if (limit !== undefined) query.limit = String(limit);
  const response = await syncRequest(user, query);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as SyncPage;
}

/** Pages through the feed as a client does, until `has_more` is false; what it got, in order, and where to go on from. */
export async function syncAll(user: TestUser, since?: string, limit?: number) {
  const changes: SyncChange[] = [];
  const pages: SyncPage[] = [];
  let cursor = since;
  for (let i = 0; i < 200; i++) {
    const page = await syncPage(user, cursor, limit);
    pages.push(page);
    changes.push(...page.changes);
    cursor = page.next_cursor;
    if (!page.has_more) return { changes, cursor, pages };
    // More is waiting: either the next page, or a transaction elsewhere still committing.
    if (page.changes.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the feed never ran dry');
}

/** Applies changes in order, as a client's local store would: the latest state of each resource, deletions removed. */
export function applyChanges(changes: SyncChange[], store = new Map<string, SyncChange>()) {
  for (const change of changes) {
    const key = `${change.type}:${change.id}`;
    if (change.op === 'delete') store.delete(key);
    else store.set(key, change);
  }
  return store;
}
