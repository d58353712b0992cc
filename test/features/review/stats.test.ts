import { describe, expect, it } from 'vitest';
import { api, problem } from '../../helpers/api';
import { createSession } from '../../helpers/sessions';
import { createTestUser } from '../../helpers/users';
import { focusedSession, getJson, memoAt, type FocusStatsBody } from './helpers';

const stats = (tz: string, start_date: string, end_date: string) => `/stats/focus?${new URLSearchParams({ tz, start_date, end_date })}`;

const localDate = (instant: Date, tz: string) => instant.toLocaleDateString('en-CA', { timeZone: tz });
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

describe('GET /stats/focus', () => {
  it('groups by local days across a DST change (New York, 2025-03-09 had 23 hours)', async () => {
    const user = await createTestUser();
    // 00:30 EST on the 9th (05:30Z) and 23:30 EDT on the 9th (03:30Z on the 10th): both the 9th.
    await focusedSession(user, '2025-03-09T05:30:00.000Z', 10);
    await focusedSession(user, '2025-03-10T03:30:00.000Z', 20);
    // 00:15 EDT on the 10th (04:15Z).
    await focusedSession(user, '2025-03-10T04:15:00.000Z', 5);
    await createSession(user, { created_at: '2025-03-10T12:00:00.000Z' });
    await memoAt(user, '2025-03-10T03:59:00.000Z');
    await memoAt(user, '2025-03-10T04:00:00.000Z');
    // Outside the range on both sides.
    await focusedSession(user, '2025-03-08T04:59:00.000Z', 7);
    await memoAt(user, '2025-03-12T04:00:00.000Z');

    const body = await getJson<FocusStatsBody>(user, stats('America/New_York', '2025-03-08', '2025-03-11'));
    expect(body.days).toEqual([
      { date: '2025-03-08', focus_minutes: 0, completed_sessions: 0, memo_count: 0 },
      { date: '2025-03-09', focus_minutes: 30, completed_sessions: 2, memo_count: 1 },
      { date: '2025-03-10', focus_minutes: 5, completed_sessions: 1, memo_count: 1 },
      { date: '2025-03-11', focus_minutes: 0, completed_sessions: 0, memo_count: 0 },
    ]);
    expect(body.totals).toEqual({ focus_minutes: 35, completed_sessions: 3, memo_count: 2, active_days: 2 });
    expect(body.longest_streak).toBe(2);
    // The range ended long ago on a day without a completed session.
    expect(body.current_streak).toBe(0);

    // In UTC the same instants fall on other days.
    const utc = await getJson<FocusStatsBody>(user, stats('UTC', '2025-03-09', '2025-03-10'));
    expect(utc.days.map((day) => day.completed_sessions)).toEqual([1, 2]);
  });

  it('agrees with the lists on a day whose midnight was skipped (Havana, 2025-03-09 began at 01:00)', async () => {
    const tz = 'America/Havana';
    const user = await createTestUser();
    // 23:59 CST on the 8th, 01:00 CDT on the 9th (the first instant of that day), 23:59 CDT on the 9th.
    for (const instant of ['2025-03-09T04:59:00.000Z', '2025-03-09T05:00:00.000Z', '2025-03-10T03:59:00.000Z']) {
      await focusedSession(user, instant, 1);
    }
    const body = await getJson<FocusStatsBody>(user, stats(tz, '2025-03-08', '2025-03-10'));
    for (const day of body.days) {
      const listed = await getJson<unknown[]>(user, `/session/list?${new URLSearchParams({ tz, start_date: day.date, end_date: day.date })}`);
      expect(day.completed_sessions, day.date).toBe(listed.length);
    }
    expect(body.days.map((day) => day.completed_sessions)).toEqual([1, 2, 0]);
  });

  it('the current streak ends today, or yesterday while today has nothing yet', async () => {
    const tz = 'Asia/Seoul';
    const user = await createTestUser();
    for (const ago of [1, 2, 4, 5, 6]) await focusedSession(user, daysAgo(ago).toISOString(), 1);
    const range = stats(tz, localDate(daysAgo(9), tz), localDate(new Date(), tz));
    const before = await getJson<FocusStatsBody>(user, range);
    expect([before.current_streak, before.longest_streak]).toEqual([2, 3]);

    await focusedSession(user, new Date().toISOString(), 1);
    const after = await getJson<FocusStatsBody>(user, range);
    expect([after.current_streak, after.longest_streak]).toEqual([3, 3]);

    // A range ending yesterday still counts back from its last day.
    const untilYesterday = await getJson<FocusStatsBody>(user, stats(tz, localDate(daysAgo(9), tz), localDate(daysAgo(1), tz)));
    expect(untilYesterday.current_streak).toBe(2);
  });

  it('an empty range is every day at zero', async () => {
    const user = await createTestUser();
    const body = await getJson<FocusStatsBody>(user, stats('Europe/London', '2024-02-27', '2024-3-2'));
    expect(body.start_date).toBe('2024-02-27');
    expect(body.end_date).toBe('2024-03-02');
    expect(body.days.map((day) => day.date)).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    expect(body.days.every((day) => day.focus_minutes === 0 && day.completed_sessions === 0 && day.memo_count === 0)).toBe(true);
    expect(body.totals).toEqual({ focus_minutes: 0, completed_sessions: 0, memo_count: 0, active_days: 0 });
    expect([body.current_streak, body.longest_streak]).toEqual([0, 0]);
  });

  it('a year of 366 days is allowed, 367 is a 422 on end_date', async () => {
    const user = await createTestUser();
    const leapYear = await getJson<FocusStatsBody>(user, stats('UTC', '2024-01-01', '2024-12-31'));
    expect(leapYear.days).toHaveLength(366);
    const response = await api(stats('UTC', '2024-01-01', '2025-01-01'), { headers: user.bearer });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toEqual(['query.end_date']);
  });

  it.each([
    ['tz=UTC&start_date=2025-01-02&end_date=2025-01-01', 'query.end_date'],
    ['tz=Nowhere&start_date=2025-01-01&end_date=2025-01-01', 'query.tz'],
    ['tz=UTC&start_date=2025-13-01&end_date=2025-01-01', 'query.start_date'],
  ])('%s is a 422 naming %s', async (query, field) => {
    const user = await createTestUser();
    const response = await api(`/stats/focus?${query}`, { headers: user.bearer });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
  });

  it("counts only the caller's sessions and memos, and needs credentials", async () => {
    const owner = await createTestUser();
    await focusedSession(owner, '2025-08-13T09:00:00.000Z', 5);
    await memoAt(owner, '2025-08-13T10:00:00.000Z');
    const other = await createTestUser();
    const seen = await getJson<FocusStatsBody>(other, stats('UTC', '2025-08-13', '2025-08-13'));
    expect(seen.totals).toEqual({ focus_minutes: 0, completed_sessions: 0, memo_count: 0, active_days: 0 });
    const mine = await getJson<FocusStatsBody>(owner, stats('UTC', '2025-08-13', '2025-08-13'));
    expect(mine.totals).toEqual({ focus_minutes: 5, completed_sessions: 1, memo_count: 1, active_days: 1 });

    const anonymous = await api(stats('UTC', '2025-08-13', '2025-08-13'));
    expect(anonymous.status).toBe(401);
    await problem(anonymous);
  });
});
