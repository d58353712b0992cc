import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { api } from '../../helpers/api';
import { changeStatus, createSession, letTimePass, type SessionBody } from '../../helpers/sessions';
import { testDb, type TestUser } from '../../helpers/users';
import { createMemo } from '../memos/helpers';

/**
 * Memos take their creation time from the server clock and their category from the classifier; a
 * test that needs a memo on a given day in a given category creates it through the API and then
 * moves it there, as if it had been written then and the user had chosen that category (so the
 * classification job queued by the create, whenever it runs, leaves it alone).
 */
export async function memoAt(user: TestUser, instant: string, fields: Record<string, string | File> = {}, category: string | null = null) {
  const memo = await createMemo(user, { content: 'A note', tags: '', ...fields });
  await testDb().execute(sql`update memos set created_at = ${instant}::timestamptz, category = ${category}, category_chosen = true, classify_requested_at = null where id = ${memo.id}`);
  return memo;
}

/** A session created at `createdAt` (client clock), started, focused for `focusMinutes` and completed. */
export async function focusedSession(user: TestUser, createdAt: string, focusMinutes: number, overrides: Record<string, unknown> = {}): Promise<SessionBody> {
  const session = await createSession(user, { created_at: createdAt, ...overrides });
  await changeStatus(user, session.id, 'started');
  if (focusMinutes > 0) await letTimePass(session.id, focusMinutes);
  return changeStatus(user, session.id, 'completed');
}

export async function getJson<T>(user: TestUser | undefined, path: string): Promise<T> {
  const response = await api(path, user ? { headers: user.bearer } : {});
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as T;
}

export interface RetrospectiveBody {
  date: string;
  tz: string;
  sessions: (SessionBody & { focus_minutes: number })[];
  focus: { focus_minutes: number; completed_sessions: number; reviewed_sessions: number; reflections: number; pomodoros: number };
  memos: { total: number; by_category: { category: string; count: number }[]; by_attachment_type: { image: number; audio: number; text_only: number } };
}

export interface FocusStatsBody {
  tz: string;
  start_date: string;
  end_date: string;
  days: { date: string; focus_minutes: number; completed_sessions: number; memo_count: number }[];
  totals: { focus_minutes: number; completed_sessions: number; memo_count: number; active_days: number };
  current_streak: number;
  longest_streak: number;
}
