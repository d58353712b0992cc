import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { api, problem } from '../../helpers/api';
import { changeStatus, createSession, letTimePass, runCron, storedStatus } from '../../helpers/sessions';
import { createTestUser, testDb } from '../../helpers/users';
import { fixtureFile } from '../memos/helpers';
import { focusedSession, getJson, memoAt, type RetrospectiveBody } from './helpers';

const retrospective = (date: string, tz: string) => `/retrospective/daily?${new URLSearchParams({ date, tz })}`;

describe('GET /retrospective/daily', () => {
  it('answers a day computed by hand: server-measured focus, counts and memos', async () => {
    const user = await createTestUser();
    const at = (time: string) => `2025-08-13T${time}+09:00`;

    // 10 minutes focused of 25, then completed by the client: 10 minutes, not a whole pomodoro.
    const partial = await focusedSession(user, at('09:00:00.000'), 10);
    // Ran past its expiry with nobody looking: the read counts it completed, for its 25 minutes.
    const overdue = await createSession(user, { created_at: at('10:00:00.000') });
    await changeStatus(user, overdue.id, 'started');
    await letTimePass(overdue.id, 40, { queue: false });
    // Focused 5 minutes, paused for 10, then completed: the pause is not focus.
    const paused = await createSession(user, { created_at: at('11:00:00.000') });
    await changeStatus(user, paused.id, 'started');
    await letTimePass(paused.id, 5);
    await changeStatus(user, paused.id, 'paused');
    await letTimePass(paused.id, 10);
    await changeStatus(user, paused.id, 'completed');
    // Completed before completions were recorded, then reviewed: counts its whole duration.
    const old = await focusedSession(user, at('12:00:00.000'), 3, { duration: 30 });
    await api(`/session/${old.id}`, {
      method: 'PUT',
      body: JSON.stringify({ reflection: 'Went well', status: 'reviewed', updated_at: new Date().toISOString() }),
      headers: { ...user.bearer, 'Content-Type': 'application/json' },
    });
    await testDb().execute(sql`update focus_sessions set completed_at = null where id = ${old.id}`);
    const pending = await createSession(user, { created_at: at('13:00:00.000') });
    // The next day in Seoul (00:30), though still the 13th in UTC: not part of this day.
    await createSession(user, { created_at: '2025-08-13T15:30:00.000Z' });

    // 00:30 in Seoul on the 13th is the 12th in UTC, and belongs to Seoul's 13th.
    await memoAt(user, '2025-08-12T15:30:00.000Z', { content: 'Early thought' }, 'idea');
    await memoAt(user, at('14:00:00.000'), { content: 'With a photo', image_0: fixtureFile('photo.png') }, 'idea');
    await memoAt(user, at('15:00:00.000'), { content: 'Voice and photo', image_0: fixtureFile('photo.jpg'), audio_0: fixtureFile('voice.webm', 'audio_0.wav') });
    await memoAt(user, at('23:30:00.000'), { content: 'Late' }, 'work');
    await memoAt(user, '2025-08-13T15:00:00.000Z', { content: 'Seoul midnight: the 14th' });

    const body = await getJson<RetrospectiveBody>(user, retrospective('2025-08-13', 'Asia/Seoul'));
    expect(body.date).toBe('2025-08-13');
    expect(body.sessions.map((session) => [session.id, session.status, session.focus_minutes])).toEqual([
      [partial.id, 'completed', 10],
      [overdue.id, 'completed', 25],
      [paused.id, 'completed', 5],
      [old.id, 'reviewed', 30],
      [pending.id, 'pending', 0],
    ]);
    expect(body.sessions[3]?.reflection).toBe('Went well');
    expect(body.focus).toEqual({ focus_minutes: 70, completed_sessions: 4, reviewed_sessions: 1, reflections: 1, pomodoros: 2 });
    expect(body.memos).toEqual({
      total: 4,
      by_category: [
        { category: 'idea', count: 2 },
        { category: 'uncategorized', count: 1 },
        { category: 'work', count: 1 },
      ],
      by_attachment_type: { image: 2, audio: 1, text_only: 2 },
    });

    // The same instants seen from UTC make a different day.
    const utc = await getJson<RetrospectiveBody>(user, retrospective('2025-08-12', 'UTC'));
    expect(utc.memos.total).toBe(1);
    expect(utc.sessions).toEqual([]);
  });

  it('a session the cron completed counts its whole duration and is a pomodoro', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { created_at: '2025-08-13T09:00:00.000Z', duration: 20 });
    await changeStatus(user, session.id, 'started');
    await letTimePass(session.id, 90);
    await runCron();
    expect(await storedStatus(session.id)).toBe('completed');
    const body = await getJson<RetrospectiveBody>(user, retrospective('2025-08-13', 'UTC'));
    expect(body.sessions.map((row) => [row.status, row.focus_minutes])).toEqual([['completed', 20]]);
    expect(body.focus.pomodoros).toBe(1);
  });

  it('an empty day is all zeros', async () => {
    const user = await createTestUser();
    expect(await getJson<RetrospectiveBody>(user, retrospective('2025-8-3', 'Europe/Berlin'))).toEqual({
      date: '2025-08-03',
      tz: 'Europe/Berlin',
      sessions: [],
      focus: { focus_minutes: 0, completed_sessions: 0, reviewed_sessions: 0, reflections: 0, pomodoros: 0 },
      memos: { total: 0, by_category: [], by_attachment_type: { image: 0, audio: 0, text_only: 0 } },
      summary: null,
      moods: [],
    });
  });

  it("shows only the caller's own day, and needs credentials", async () => {
    const owner = await createTestUser();
    await focusedSession(owner, '2025-08-13T09:00:00.000Z', 5);
    await memoAt(owner, '2025-08-13T10:00:00.000Z');
    const other = await createTestUser();
    const seen = await getJson<RetrospectiveBody>(other, retrospective('2025-08-13', 'UTC'));
    expect(seen.sessions).toEqual([]);
    expect(seen.memos.total).toBe(0);

    const anonymous = await api(retrospective('2025-08-13', 'UTC'));
    expect(anonymous.status).toBe(401);
    await problem(anonymous);
  });

  it.each([
    ['date=2025-02-30&tz=UTC', 'query.date'],
    ['tz=UTC', 'query.date'],
    ['date=2025-08-13&tz=Mars/Base', 'query.tz'],
    ['date=2025-08-13&tz=%2B09:00', 'query.tz'],
  ])('%s is a 422 naming %s', async (query, field) => {
    const user = await createTestUser();
    const response = await api(`/retrospective/daily?${query}`, { headers: user.bearer });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
  });
});
