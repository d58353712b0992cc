import { describe, expect, it } from 'vitest';
import { api, json, problem } from '../../helpers/api';
import { createTestUser } from '../../helpers/users';
import { changeStatus, createSession, getSession, putStatus, sessionInput, type SessionBody } from '../../helpers/sessions';

const minutes = (n: number) => n * 60_000;

describe('creating and reading sessions', () => {
  it('creates a pending session exactly in the contract shape, and it becomes current', async () => {
    const user = await createTestUser();
    const createdAt = '2025-08-13T10:00:00.123Z';
    const response = await api('/session', { method: 'POST', ...json(sessionInput({ created_at: createdAt, status: 'started' }), user.bearer) });
    expect(response.status).toBe(200);
    const session = (await response.json()) as SessionBody;
    expect(session).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      user_id: user.userId,
      subject: 'Write the report',
      goal: 'First draft',
      duration: 25,
      break_duration: 5,
      tags: ['work'],
      started_at: null,
      created_at: createdAt,
      updated_at: null,
      status: 'pending',
      reflection: null,
      paused_at: null,
      expires_at: null,
    });

    const current = await api('/session/current', { headers: user.bearer });
    expect(current.status).toBe(200);
    expect(await current.json()).toEqual(session);
    expect(await getSession(user, session.id)).toEqual(session);
  });

  it('also accepts POST /session/ and a created_at with an offset', async () => {
    const user = await createTestUser();
    const response = await api('/session/', { method: 'POST', ...json(sessionInput({ created_at: '2025-08-13T19:00:00+09:00', goal: null, tags: null }), user.cookie) });
    expect(response.status).toBe(200);
    const session = (await response.json()) as SessionBody;
    expect(session.created_at).toBe('2025-08-13T10:00:00.000Z');
    expect(session.goal).toBe('');
    expect(session.tags).toEqual([]);
  });

  it('answers 404 for /session/current when there is none, and for unknown or malformed ids', async () => {
    const user = await createTestUser();
    const none = await api('/session/current', { headers: user.bearer });
    expect(none.status).toBe(404);
    expect((await problem(none)).detail).toBe('Session not found');
    for (const id of ['0123456789abcdef01234567', 'not-an-id']) {
      const response = await api(`/session/${id}`, { headers: user.bearer });
      expect(response.status).toBe(404);
      expect((await problem(response)).detail).toBe('Session not found');
    }
  });
});

describe('the transition table', () => {
  const statuses = ['pending', 'started', 'paused', 'completed', 'reviewed'] as const;
  const allowed = new Set(['pending>started', 'started>paused', 'paused>started', 'started>pending', 'paused>pending', 'started>completed', 'paused>completed', 'completed>reviewed']);
  const pathTo: Record<(typeof statuses)[number], string[]> = {
    pending: [],
    started: ['started'],
    paused: ['started', 'paused'],
    completed: ['started', 'completed'],
    reviewed: ['started', 'completed', 'reviewed'],
  };

  it.each(statuses.flatMap((from) => statuses.map((to) => [from, to] as const)))('%s → %s', async (from, to) => {
    const user = await createTestUser();
    let session = await createSession(user);
    for (const step of pathTo[from]) session = await changeStatus(user, session.id, step);
    expect(session.status).toBe(from);

    const response = await putStatus(user, session.id, to);
    if (allowed.has(`${from}>${to}`)) {
      expect(response.status).toBe(200);
      expect(((await response.json()) as SessionBody).status).toBe(to);
    } else {
      expect(response.status).toBe(409);
      expect((await problem(response)).status).toBe(409);
      expect(await getSession(user, session.id)).toEqual(session);
    }
  });

  it('refuses a status outside the contract with 422 before writing anything', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const response = await putStatus(user, session.id, 'cancelled');
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toContain('body.status');
    expect(await getSession(user, session.id)).toEqual(session);
  });
});

describe('time is the server’s', () => {
  it('start sets started_at and the expiry; the client clock is used when it is close', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    const at = new Date(Date.now() - 30_000);
    const started = await changeStatus(user, session.id, 'started', at);
    expect(started.started_at).toBe(at.toISOString());
    expect(started.updated_at).toBe(at.toISOString());
    expect(started.expires_at).toBe(new Date(at.getTime() + minutes(25)).toISOString());
  });

  it('never computes an expiry from a client clock far off the server’s', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    const wrongClock = new Date(Date.now() - minutes(60));
    const before = Date.now();
    const started = await changeStatus(user, session.id, 'started', wrongClock);
    expect(started.updated_at).toBe(wrongClock.toISOString());
    const startedAt = Date.parse(started.started_at as string);
    expect(startedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(started.expires_at as string) - startedAt).toBe(minutes(25));
  });

  it('resume keeps the focus time already spent: started_at moves forward by the paused span', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    const t0 = Date.now() - minutes(1.5);
    await changeStatus(user, session.id, 'started', new Date(t0));
    const paused = await changeStatus(user, session.id, 'paused', new Date(t0 + 30_000));
    expect(paused.paused_at).toBe(new Date(t0 + 30_000).toISOString());
    expect(paused.expires_at).toBeNull();
    const resumed = await changeStatus(user, session.id, 'started', new Date(t0 + 90_000));
    // 30 s of focus were spent before the pause; 60 s were paused.
    expect(resumed.started_at).toBe(new Date(t0 + 60_000).toISOString());
    expect(resumed.expires_at).toBe(new Date(t0 + 60_000 + minutes(25)).toISOString());
    expect(resumed.paused_at).toBeNull();
  });

  it('changing the duration of a running session moves its expiry', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    const started = await changeStatus(user, session.id, 'started');
    const response = await api(`/session/${session.id}`, { method: 'PUT', ...json({ duration: 50, break_duration: 15, updated_at: new Date().toISOString() }, user.bearer) });
    expect(response.status).toBe(200);
    const changed = (await response.json()) as SessionBody;
    expect(changed).toMatchObject({ duration: 50, break_duration: 15, status: 'started', started_at: started.started_at });
    expect(changed.expires_at).toBe(new Date(Date.parse(started.started_at as string) + minutes(50)).toISOString());
    const current = (await (await api('/session/current', { headers: user.bearer })).json()) as SessionBody;
    expect(current.expires_at).toBe(changed.expires_at);
  });

  it('reset returns to pending with no timing; reflection with status reviewed completes the cycle', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    await changeStatus(user, session.id, 'started');
    const reset = await changeStatus(user, session.id, 'pending');
    expect(reset).toMatchObject({ status: 'pending', started_at: null, expires_at: null, paused_at: null });
    await changeStatus(user, session.id, 'started');
    await changeStatus(user, session.id, 'completed');
    const response = await api(`/session/${session.id}`, {
      method: 'PUT',
      ...json({ reflection: 'Went well', status: 'reviewed', updated_at: new Date().toISOString() }, user.cookie),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'reviewed', reflection: 'Went well' });
  });

  it('completing clears the current pointer, so /session/current answers 404', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    await changeStatus(user, session.id, 'started');
    await changeStatus(user, session.id, 'completed');
    expect((await api('/session/current', { headers: user.bearer })).status).toBe(404);
  });
});
