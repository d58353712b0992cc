import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, json, problem } from '../../helpers/api';
import { changeStatus, createSession, getSession, storedStatus } from '../../helpers/sessions';
import { createTestUser, testDb, type TestUser } from '../../helpers/users';
import { listMoods } from './helpers';

async function completedSession(user: TestUser) {
  const session = await createSession(user);
  await changeStatus(user, session.id, 'started');
  return changeStatus(user, session.id, 'completed');
}

const review = (user: TestUser, id: string, body: Record<string, unknown>) =>
  api(`/session/${id}`, { method: 'PUT', ...json({ reflection: 'Went well', status: 'reviewed', updated_at: new Date().toISOString(), ...body }, user.bearer) });

const moodCount = async (userId?: string) => {
  const result = await testDb().execute(
    userId ? sql`select count(*)::int as n from mood_checkins where user_id = ${userId}` : sql`select count(*)::int as n from mood_checkins`,
  );
  return (result.rows[0] as { n: number }).n;
};

const today = () => {
  const date = new Date().toISOString().slice(0, 10);
  return `tz=UTC&start_date=${date}&end_date=${date}`;
};

describe('PUT /session/{id} with a mood', () => {
  it('reviews the session and records a check-in linked to it, felt at the review', async () => {
    const user = await createTestUser();
    const session = await completedSession(user);
    const updatedAt = new Date().toISOString();
    const response = await review(user, session.id, { updated_at: updatedAt, mood: { score: 4, emotions: ['proud', 'tired'], note: 'Hard but good' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: session.id, status: 'reviewed', reflection: 'Went well' });
    expect(body.mood).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      score: 4,
      emotions: ['proud', 'tired'],
      note: 'Hard but good',
      recorded_at: updatedAt,
      session_id: session.id,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(await listMoods(user, today())).toEqual([body.mood]);
    expect(await storedStatus(session.id)).toBe('reviewed');
  });

  it('without a mood the web client gets the session exactly as before and no check-in is written', async () => {
    const user = await createTestUser();
    const session = await completedSession(user);
    const response = await review(user, session.id, {});
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(Object.keys(session).sort());
    expect(await moodCount(user.userId)).toBe(0);
  });

  it('a refused review records no mood: the session and the check-in are both written or neither', async () => {
    const user = await createTestUser();
    const pending = await createSession(user);
    const refused = await review(user, pending.id, { mood: { score: 2 } });
    expect(refused.status).toBe(409);
    expect(await getSession(user, pending.id)).toEqual(pending);

    const done = await completedSession(user);
    expect((await review(user, done.id, { mood: { score: 5 } })).status).toBe(200);
    // Reviewed already: the second review is refused and its mood is not recorded.
    expect((await review(user, done.id, { reflection: 'Again', mood: { score: 1 } })).status).toBe(409);
    expect((await listMoods(user, today())).map((mood) => mood.score)).toEqual([5]);
    expect((await getSession(user, done.id)).reflection).toBe('Went well');
  });

  it("another user's session, an unknown and a malformed id record no mood", async () => {
    const [owner, other] = [await createTestUser(), await createTestUser()];
    const session = await completedSession(owner);
    expect((await review(other, session.id, { mood: { score: 3 } })).status).toBe(403);
    expect((await review(other, 'ffffffffffffffffffffffff', { mood: { score: 3 } })).status).toBe(404);
    expect((await review(other, 'nope', { mood: { score: 3 } })).status).toBe(404);
    expect(await moodCount(other.userId)).toBe(0);
    expect(await moodCount(owner.userId)).toBe(0);
    expect(await storedStatus(session.id)).toBe('completed');
  });

  it.each([
    [{ status: undefined, mood: { score: 3 } }, 'body.mood'],
    [{ status: 'completed', mood: { score: 3 } }, 'body.mood'],
    [{ mood: { score: 9 } }, 'body.mood.score'],
    [{ mood: { score: 3, emotions: ['joy', 'joy'] } }, 'body.mood.emotions'],
    [{ mood: { score: 3, note: '\u0000' } }, 'body.mood.note'],
  ])('refuses %j with a 422 naming %s and changes nothing', async (body, field) => {
    const user = await createTestUser();
    const session = await completedSession(user);
    const response = await review(user, session.id, body);
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
    expect(await storedStatus(session.id)).toBe('completed');
    expect(await moodCount(user.userId)).toBe(0);
  });

  it('needs credentials', async () => {
    const user = await createTestUser();
    const session = await completedSession(user);
    const response = await api(`/session/${session.id}`, {
      method: 'PUT',
      ...json({ status: 'reviewed', updated_at: new Date().toISOString(), mood: { score: 3 } }),
    });
    expect(response.status).toBe(401);
    expect(await moodCount(user.userId)).toBe(0);
  });
});
