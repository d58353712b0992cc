import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, json, problem } from '../../helpers/api';
import { createSession } from '../../helpers/sessions';
import { createTestUser, testDb } from '../../helpers/users';
import { createMood, patchMood, postMood, type MoodBody } from './helpers';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const storedMoods = async (userId: string) =>
  (await testDb().execute(sql`select id, score, session_id from mood_checkins where user_id = ${userId}`)).rows;

describe('POST /moods', () => {
  it('records a check-in with every field and answers a MoodResponse', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const response = await postMood(user, {
      score: 5,
      emotions: ['joy', 'proud'],
      note: 'Shipped it',
      recorded_at: '2025-08-13T10:00:00+09:00',
      session_id: session.id,
    });
    expect(response.status).toBe(200);
    const mood = (await response.json()) as MoodBody;
    expect(mood).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      score: 5,
      emotions: ['joy', 'proud'],
      note: 'Shipped it',
      recorded_at: '2025-08-13T01:00:00.000Z',
      session_id: session.id,
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    const read = await api(`/moods/${mood.id}`, { headers: user.bearer });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(mood);
  });

  it('defaults: no emotions, no note, no session, recorded now', async () => {
    const user = await createTestUser();
    const before = Date.now();
    const mood = await createMood(user, { emotions: undefined });
    expect(mood).toMatchObject({ score: 4, emotions: [], note: null, session_id: null });
    expect(Date.parse(mood.recorded_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(mood.recorded_at)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('keeps a past recorded_at and one within 2 minutes ahead, but takes a later one as the server time', async () => {
    const user = await createTestUser();
    const past = new Date(Date.now() - 3 * 86_400_000).toISOString();
    expect((await createMood(user, { recorded_at: past })).recorded_at).toBe(past);
    const slightlyAhead = new Date(Date.now() + 60_000).toISOString();
    expect((await createMood(user, { recorded_at: slightlyAhead })).recorded_at).toBe(slightlyAhead);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const before = Date.now();
    const clamped = Date.parse((await createMood(user, { recorded_at: tomorrow })).recorded_at);
    expect(clamped).toBeGreaterThanOrEqual(before - 1000);
    expect(clamped).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it.each([
    [{ score: 0 }, 'body.score'],
    [{ score: 6 }, 'body.score'],
    [{ score: 3.5 }, 'body.score'],
    [{ score: '4' }, 'body.score'],
    [{ emotions: ['calm'] }, 'body.score'],
    [{ score: 3, emotions: ['bored'] }, 'body.emotions.0'],
    [{ score: 3, emotions: ['calm', 'calm'] }, 'body.emotions'],
    [{ score: 3, emotions: ['joy', 'calm', 'focused', 'grateful', 'proud', 'tired'] }, 'body.emotions'],
    [{ score: 3, note: 'x'.repeat(2001) }, 'body.note'],
    [{ score: 3, note: 'bad \u0000 byte' }, 'body.note'],
    [{ score: 3, recorded_at: 'yesterday' }, 'body.recorded_at'],
    [{ score: 3, recorded_at: '2025-08-13T10:00:00' }, 'body.recorded_at'],
    [{ score: 3, session_id: 'not-an-id' }, 'body.session_id'],
  ])('refuses %j with a 422 naming %s', async (body, field) => {
    const user = await createTestUser();
    const response = await postMood(user, body);
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
    expect(await storedMoods(user.userId)).toEqual([]);
  });

  it('accepts a note of exactly 2,000 characters and five emotions', async () => {
    const user = await createTestUser();
    const mood = await createMood(user, { note: 'x'.repeat(2000), emotions: ['joy', 'calm', 'focused', 'grateful', 'proud'] });
    expect(mood.note).toHaveLength(2000);
    expect(mood.emotions).toHaveLength(5);
  });

  it("refuses another user's session_id, and an unknown one, with a 422 naming body.session_id and writes nothing", async () => {
    const [owner, other] = [await createTestUser(), await createTestUser()];
    const session = await createSession(owner);
    for (const sessionId of [session.id, 'ffffffffffffffffffffffff']) {
      const response = await postMood(other, { score: 2, session_id: sessionId });
      expect(response.status).toBe(422);
      expect((await problem(response)).errors).toEqual([{ field: 'body.session_id', message: 'must be one of your sessions' }]);
    }
    expect(await storedMoods(other.userId)).toEqual([]);
  });

  it('needs credentials', async () => {
    const response = await api('/moods', { method: 'POST', ...json({ score: 3 }) });
    expect(response.status).toBe(401);
    await problem(response);
  });
});

describe('GET, PATCH and DELETE /moods/{id}', () => {
  it('PATCH changes only the fields sent, clears a note with null and unlinks a session with null', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const mood = await createMood(user, { note: 'first', session_id: session.id });
    const patched = await patchMood(user, mood.id, { score: 2, emotions: ['tired'] });
    expect(patched.status).toBe(200);
    const changed = (await patched.json()) as MoodBody;
    expect(changed).toEqual({ ...mood, score: 2, emotions: ['tired'], updated_at: expect.stringMatching(ISO) });
    expect(Date.parse(changed.updated_at)).toBeGreaterThanOrEqual(Date.parse(mood.updated_at));

    const cleared = (await (await patchMood(user, mood.id, { note: null, session_id: null, recorded_at: '2025-01-01T00:00:00Z' })).json()) as MoodBody;
    expect(cleared).toMatchObject({ note: null, session_id: null, recorded_at: '2025-01-01T00:00:00.000Z', score: 2 });
    const read = await api(`/moods/${mood.id}`, { headers: user.bearer });
    expect(await read.json()).toEqual(cleared);
  });

  it("PATCH refuses another user's session_id with a 422 and changes nothing", async () => {
    const [user, other] = [await createTestUser(), await createTestUser()];
    const mood = await createMood(user);
    const theirs = await createSession(other);
    const response = await patchMood(user, mood.id, { score: 1, session_id: theirs.id });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.[0]?.field).toBe('body.session_id');
    expect(await (await api(`/moods/${mood.id}`, { headers: user.bearer })).json()).toEqual(mood);
  });

  it('PATCH validates like POST', async () => {
    const user = await createTestUser();
    const mood = await createMood(user);
    const response = await patchMood(user, mood.id, { emotions: ['calm', 'calm'], note: '\u0000' });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field).sort()).toEqual(['body.emotions', 'body.note']);
  });

  it('DELETE removes the check-in; it is then 404', async () => {
    const user = await createTestUser();
    const mood = await createMood(user);
    const deleted = await api(`/moods/${mood.id}`, { method: 'DELETE', headers: user.bearer });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ message: 'mood check-in deleted successfully' });
    for (const init of [{}, { method: 'DELETE' }]) {
      expect((await api(`/moods/${mood.id}`, { ...init, headers: user.bearer })).status).toBe(404);
    }
    expect((await patchMood(user, mood.id, { score: 1 })).status).toBe(404);
  });

  it('deleting the linked session keeps the check-in and forgets the link', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const mood = await createMood(user, { session_id: session.id });
    expect((await api(`/session/${session.id}`, { method: 'DELETE', headers: user.bearer })).status).toBe(200);
    expect(await (await api(`/moods/${mood.id}`, { headers: user.bearer })).json()).toMatchObject({ id: mood.id, session_id: null });
  });

  it("another user's check-in is 403 to read, change or delete, and stays as it was", async () => {
    const [owner, other] = [await createTestUser(), await createTestUser()];
    const mood = await createMood(owner);
    expect((await api(`/moods/${mood.id}`, { headers: other.bearer })).status).toBe(403);
    expect((await patchMood(other, mood.id, { score: 1 })).status).toBe(403);
    expect((await api(`/moods/${mood.id}`, { method: 'DELETE', headers: other.bearer })).status).toBe(403);
    expect(await (await api(`/moods/${mood.id}`, { headers: owner.bearer })).json()).toEqual(mood);
  });

  it.each(['ffffffffffffffffffffffff', 'not-an-id', 'FFFFFFFFFFFFFFFFFFFFFFFF'])('an unknown or malformed id %s is 404', async (id) => {
    const user = await createTestUser();
    for (const response of [
      await api(`/moods/${id}`, { headers: user.bearer }),
      await patchMood(user, id, { score: 3 }),
      await api(`/moods/${id}`, { method: 'DELETE', headers: user.bearer }),
    ]) {
      expect(response.status).toBe(404);
      await problem(response);
    }
  });

  it('an id with a NUL character is 422 naming path.mood_id', async () => {
    const user = await createTestUser();
    for (const response of [
      await api('/moods/%00', { headers: user.bearer }),
      await patchMood(user, '%00', { score: 3 }),
      await api('/moods/%00', { method: 'DELETE', headers: user.bearer }),
    ]) {
      expect(response.status).toBe(422);
      expect((await problem(response)).errors?.map((error) => error.field)).toEqual(['path.mood_id']);
    }
  });

  it('needs credentials', async () => {
    const user = await createTestUser();
    const mood = await createMood(user);
    for (const response of [
      await api(`/moods/${mood.id}`),
      await api(`/moods/${mood.id}`, { method: 'PATCH', ...json({ score: 1 }) }),
      await api(`/moods/${mood.id}`, { method: 'DELETE' }),
      await api('/moods/list?tz=UTC&start_date=2025-01-01&end_date=2025-01-01'),
      await api('/moods/stats?tz=UTC&start_date=2025-01-01&end_date=2025-01-01'),
    ]) {
      expect(response.status).toBe(401);
    }
  });
});
