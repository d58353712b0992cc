import { describe, expect, it } from 'vitest';
import { api, problem } from '../../helpers/api';
import { createTestUser, type TestUser } from '../../helpers/users';
import { createSession, type SessionBody } from '../../helpers/sessions';

const list = async (user: TestUser, query: string) => {
  const response = await api(`/session/list?${query}`, { headers: user.bearer });
  expect(response.status).toBe(200);
  return ((await response.json()) as SessionBody[]).map((session) => session.created_at);
};

/** Sessions at each edge of a local day: the day is [start, end), so exactly the middle two are in it. */
async function sessionsAround(user: TestUser, start: string, end: string) {
  const at = (iso: string, deltaMs: number) => new Date(Date.parse(iso) + deltaMs).toISOString();
  // Created out of order on purpose: the list is ordered by created_at, not by insertion.
  for (const createdAt of [at(end, -1), at(start, -1), at(end, 0), at(start, 0)]) {
    await createSession(user, { created_at: createdAt });
  }
  return { first: at(start, 0), last: at(end, -1) };
}

describe('GET /session/list by local days', () => {
  it('a day in Asia/Seoul is [15:00Z the day before, 15:00Z)', async () => {
    const user = await createTestUser();
    const { first, last } = await sessionsAround(user, '2025-08-12T15:00:00.000Z', '2025-08-13T15:00:00.000Z');
    expect(await list(user, 'tz=Asia%2FSeoul&start_date=2025-08-13&end_date=2025-08-13')).toEqual([first, last]);
  });

  it('the spring-forward day in America/New_York has 23 hours', async () => {
    const user = await createTestUser();
    const { first, last } = await sessionsAround(user, '2025-03-09T05:00:00.000Z', '2025-03-10T04:00:00.000Z');
    expect(await list(user, 'tz=America%2FNew_York&start_date=2025-03-09&end_date=2025-03-09')).toEqual([first, last]);
  });

  it('the fall-back day in America/New_York has 25 hours', async () => {
    const user = await createTestUser();
    const { first, last } = await sessionsAround(user, '2025-11-02T04:00:00.000Z', '2025-11-03T05:00:00.000Z');
    expect(await list(user, 'tz=America%2FNew_York&start_date=2025-11-02&end_date=2025-11-02')).toEqual([first, last]);
  });

  it('a multi-day range includes its last day whole and accepts single-digit months and days', async () => {
    const user = await createTestUser();
    await createSession(user, { created_at: '2025-08-03T23:59:59.999Z' });
    await createSession(user, { created_at: '2025-08-01T00:00:00.000Z' });
    await createSession(user, { created_at: '2025-08-04T00:00:00.000Z' });
    expect(await list(user, 'tz=UTC&start_date=2025-8-1&end_date=2025-8-3')).toEqual(['2025-08-01T00:00:00.000Z', '2025-08-03T23:59:59.999Z']);
  });

  it.each([
    ['tz=Mars%2FOlympus&start_date=2025-08-13&end_date=2025-08-13', 'query.tz'],
    ['tz=&start_date=2025-08-13&end_date=2025-08-13', 'query.tz'],
    ['tz=UTC&start_date=2025-13-01&end_date=2025-08-13', 'query.start_date'],
    ['tz=UTC&start_date=2025-08-13&end_date=13%2F08%2F2025', 'query.end_date'],
    ['tz=UTC&start_date=2025-08-13', 'query.end_date'],
    ['tz=UTC&start_date=2025-08-14&end_date=2025-08-13', 'query.end_date'],
  ])('422 naming the field for %s', async (query, field) => {
    const user = await createTestUser();
    const response = await api(`/session/list?${query}`, { headers: user.bearer });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
  });
});
