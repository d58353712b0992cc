import { describe, expect, it } from 'vitest';
import { focusSessions } from '../../../src/db/schema';
import { newObjectId } from '../../../src/lib/ids';
import { api, problem } from '../../helpers/api';
import { createTestUser, testDb } from '../../helpers/users';

const query = 'tz=UTC&start_date=2026-04-01&end_date=2026-04-30';

/** More sessions in a month than one page holds (100), straight into Postgres. */
async function seedMonth(userId: string, count: number) {
  const rows = Array.from({ length: count }, (_, n) => {
    const createdAt = new Date(Date.UTC(2026, 3, 1 + (n % 30), 8, 0, n));
    return { id: newObjectId(createdAt.getTime()), userId, subject: `s${n}`, goal: '', durationMinutes: 25, breakDurationMinutes: 5, tags: [], status: 'pending' as const, createdAt, updatedAt: createdAt };
  });
  await testDb().insert(focusSessions).values(rows);
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id)).map((row) => row.id);
}

describe('GET /session/list over more than one page', () => {
  it('answers the whole range as one bare array, and pages with limit and cursor', async () => {
    const user = await createTestUser();
    const ids = await seedMonth(user.userId, 230);

    const whole = await api(`/session/list?${query}`, { headers: user.bearer });
    expect(whole.status).toBe(200);
    expect(((await whole.json()) as { id: string }[]).map((session) => session.id)).toEqual(ids);

    const paged: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await api(`/session/list?${query}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: user.bearer });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: { id: string }[]; next_cursor: string | null };
      sizes.push(page.items.length);
      paged.push(...page.items.map((session) => session.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(sizes).toEqual([100, 100, 30]);
    expect(paged).toEqual(ids);
  });

  it('refuses a limit out of range and a foreign cursor, naming the field', async () => {
    const user = await createTestUser();
    for (const [params, field] of [['limit=0', 'query.limit'], ['limit=501', 'query.limit'], ['limit=5&cursor=abc', 'query.cursor']]) {
      const response = await api(`/session/list?${query}&${params}`, { headers: user.bearer });
      expect(response.status, params).toBe(422);
      expect((await problem(response)).errors?.[0]?.field).toBe(field);
    }
  });

  it('needs credentials', async () => {
    expect((await api(`/session/list?${query}&limit=10`)).status).toBe(401);
  });
});
