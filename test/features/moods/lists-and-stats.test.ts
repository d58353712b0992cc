import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, problem } from '../../helpers/api';
import { createSession } from '../../helpers/sessions';
import { createTestUser, testDb, type TestUser } from '../../helpers/users';
import { createMood, listMoods } from './helpers';

const at = (iso: string, deltaMs: number) => new Date(Date.parse(iso) + deltaMs).toISOString();

/** Check-ins at each edge of a local day [start, end): only the middle two are in it. */
async function moodsAround(user: TestUser, start: string, end: string) {
  for (const recordedAt of [at(end, -1), at(start, -1), at(end, 0), at(start, 0)]) await createMood(user, { recorded_at: recordedAt });
  return [at(start, 0), at(end, -1)];
}

const listed = async (user: TestUser, query: string) => (await listMoods(user, query)).map((mood) => mood.recorded_at);

describe('GET /moods/list by local days', () => {
  it('a day in Asia/Seoul is [15:00Z the day before, 15:00Z)', async () => {
    const user = await createTestUser();
    const expected = await moodsAround(user, '2025-08-12T15:00:00.000Z', '2025-08-13T15:00:00.000Z');
    expect(await listed(user, 'tz=Asia%2FSeoul&start_date=2025-08-13&end_date=2025-08-13')).toEqual(expected);
  });

  it('the spring-forward day in America/New_York has 23 hours', async () => {
    const user = await createTestUser();
    const expected = await moodsAround(user, '2025-03-09T05:00:00.000Z', '2025-03-10T04:00:00.000Z');
    expect(await listed(user, 'tz=America%2FNew_York&start_date=2025-03-09&end_date=2025-03-09')).toEqual(expected);
  });

  it('the fall-back day in America/New_York has 25 hours', async () => {
    const user = await createTestUser();
    const expected = await moodsAround(user, '2025-11-02T04:00:00.000Z', '2025-11-03T05:00:00.000Z');
    expect(await listed(user, 'tz=America%2FNew_York&start_date=2025-11-02&end_date=2025-11-02')).toEqual(expected);
  });

  it("lists only the caller's check-ins, oldest first, with the last day whole", async () => {
    const [user, other] = [await createTestUser(), await createTestUser()];
    await createMood(other, { recorded_at: '2025-08-02T12:00:00.000Z' });
    await createMood(user, { recorded_at: '2025-08-03T23:59:59.999Z' });
    await createMood(user, { recorded_at: '2025-08-01T00:00:00.000Z' });
    await createMood(user, { recorded_at: '2025-08-04T00:00:00.000Z' });
    expect(await listed(user, 'tz=UTC&start_date=2025-8-1&end_date=2025-8-3')).toEqual(['2025-08-01T00:00:00.000Z', '2025-08-03T23:59:59.999Z']);
  });

  it.each([
    ['tz=Mars%2FOlympus&start_date=2025-08-13&end_date=2025-08-13', 'query.tz'],
    ['tz=%2B09%3A00&start_date=2025-08-13&end_date=2025-08-13', 'query.tz'],
    ['tz=UTC&start_date=2025-02-30&end_date=2025-08-13', 'query.start_date'],
    ['tz=UTC&start_date=2025-08-13', 'query.end_date'],
    ['tz=UTC&start_date=2025-08-14&end_date=2025-08-13', 'query.end_date'],
  ])('refuses %s with a 422 naming %s', async (query, field) => {
    const user = await createTestUser();
    for (const path of ['/moods/list', '/moods/stats']) {
      const response = await api(`${path}?${query}`, { headers: user.bearer });
      expect(response.status).toBe(422);
      expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
    }
  });
});

/** A completed session of `minutes` focus minutes created at `createdAt`. */
async function focusFor(user: TestUser, createdAt: string, minutes: number, status = 'completed') {
  const session = await createSession(user, { created_at: createdAt, duration: minutes });
  await testDb().execute(sql`update focus_sessions set status = ${status} where id = ${session.id}`);
  return session;
}

const stats = async (user: TestUser, query: string) => {
  const response = await api(`/moods/stats?${query}`, { headers: user.bearer });
  expect(response.status).toBe(200);
  return (await response.json()) as { days: unknown; emotions: unknown; focus: unknown };
};

describe('GET /moods/stats', () => {
  it('per local day averages, emotion counts, and how focused days felt against the others', async () => {
    const [user, other] = [await createTestUser(), await createTestUser()];
    // 2025-08-13 in Seoul (from 2025-08-12T15:00Z): 30 + 25 focus minutes (completed and reviewed) make a focused day.
    await createMood(user, { score: 5, emotions: ['joy', 'focused'], recorded_at: '2025-08-12T15:00:00.000Z' });
    await createMood(user, { score: 4, emotions: ['focused'], recorded_at: '2025-08-13T14:59:59.999Z' });
    await focusFor(user, '2025-08-12T16:00:00.000Z', 30);
    await focusFor(user, '2025-08-13T10:00:00.000Z', 25, 'reviewed');
    // 2025-08-14: 40 completed minutes, plus a long session that never completed, is not focused.
    await createMood(user, { score: 2, emotions: ['tired', 'stressed'], recorded_at: '2025-08-14T01:00:00.000Z' });
    await focusFor(user, '2025-08-14T02:00:00.000Z', 40);
    await focusFor(user, '2025-08-14T03:00:00.000Z', 90, 'paused');
    // 2025-08-15: no focus at all.
    await createMood(user, { score: 1, emotions: ['sad', 'tired'], recorded_at: '2025-08-15T01:00:00.000Z' });
    // 2025-08-16: focus but no check-in, so it counts for nothing.
    await focusFor(user, '2025-08-16T02:00:00.000Z', 120);
    // Outside the range, and someone else's.
    await createMood(user, { score: 1, emotions: ['angry'], recorded_at: '2025-08-12T14:59:59.999Z' });
    await createMood(other, { score: 5, emotions: ['calm'], recorded_at: '2025-08-14T01:00:00.000Z' });
    await focusFor(other, '2025-08-15T02:00:00.000Z', 100);

    expect(await stats(user, 'tz=Asia%2FSeoul&start_date=2025-08-13&end_date=2025-08-16')).toEqual({
      days: [
        { date: '2025-08-13', average_score: 4.5, count: 2 },
        { date: '2025-08-14', average_score: 2, count: 1 },
        { date: '2025-08-15', average_score: 1, count: 1 },
      ],
      emotions: [
        { emotion: 'focused', count: 2 },
        { emotion: 'tired', count: 2 },
        { emotion: 'joy', count: 1 },
        { emotion: 'sad', count: 1 },
        { emotion: 'stressed', count: 1 },
      ],
      focus: {
        threshold_minutes: 50,
        focused_days: { average_score: 4.5, days: 1 },
        other_days: { average_score: 1.5, days: 2 },
      },
    });
  });

  it('the same check-ins fall on other days in another zone', async () => {
    const user = await createTestUser();
    await createMood(user, { score: 5, recorded_at: '2025-11-02T04:30:00.000Z' });
    await createMood(user, { score: 3, recorded_at: '2025-11-03T04:59:59.999Z' });
    await createMood(user, { score: 1, recorded_at: '2025-11-03T05:00:00.000Z' });
    // The fall-back day in New York is 25 hours: the first two are on 2025-11-02 there, the last on 11-03.
    expect((await stats(user, 'tz=America%2FNew_York&start_date=2025-11-01&end_date=2025-11-03')).days).toEqual([
      { date: '2025-11-02', average_score: 4, count: 2 },
      { date: '2025-11-03', average_score: 1, count: 1 },
    ]);
    expect((await stats(user, 'tz=UTC&start_date=2025-11-01&end_date=2025-11-03')).days).toEqual([
      { date: '2025-11-02', average_score: 5, count: 1 },
      { date: '2025-11-03', average_score: 2, count: 2 },
    ]);
  });

  it('an empty range has no days, no emotions and no figures', async () => {
    const user = await createTestUser();
    expect(await stats(user, 'tz=UTC&start_date=2025-01-01&end_date=2025-12-31')).toEqual({
      days: [],
      emotions: [],
      focus: { threshold_minutes: 50, focused_days: { average_score: null, days: 0 }, other_days: { average_score: null, days: 0 } },
    });
  });

  it('covers at most 366 days', async () => {
    const user = await createTestUser();
    expect((await api('/moods/stats?tz=UTC&start_date=2024-01-01&end_date=2024-12-31', { headers: user.bearer })).status).toBe(200);
    const response = await api('/moods/stats?tz=UTC&start_date=2024-01-01&end_date=2025-01-01', { headers: user.bearer });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors).toEqual([{ field: 'query.end_date', message: 'must be at most 366 days from start_date' }]);
  });
});
