import { describe, expect, it } from 'vitest';
import { api, json, problem } from '../../helpers/api';
import { createTestUser } from '../../helpers/users';

// `Intl` still accepts a few retired zone names that Postgres's tz database dropped; the reads that
// group by local day in SQL must refuse them as an unknown zone, not fail with a 500.
describe('a zone Intl knows and Postgres does not', () => {
  it.each([
    '/moods/stats?tz=US%2FPacific-New&start_date=2025-01-01&end_date=2025-01-31',
    '/stats/focus?tz=US%2FPacific-New&start_date=2025-01-01&end_date=2025-01-31',
  ])('%s is a 422 naming query.tz', async (path) => {
    const user = await createTestUser();
    // A check-in in the range, so Postgres has a row to place in the zone's local days.
    const mood = await api('/moods', { method: 'POST', ...json({ score: 4, emotions: ['calm'], recorded_at: '2025-01-15T12:00:00.000Z' }, user.bearer) });
    expect(mood.status, await mood.clone().text()).toBe(200);
    const response = await api(path, { headers: user.bearer });
    expect(response.status, await response.clone().text()).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toEqual(['query.tz']);
  });
});
