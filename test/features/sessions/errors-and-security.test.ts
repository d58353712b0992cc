import { describe, expect, it } from 'vitest';
import { api, json, problem, WEB_ORIGIN } from '../../helpers/api';
import { createTestUser } from '../../helpers/users';
import { changeStatus, createSession, getSession, sessionInput, type SessionBody } from '../../helpers/sessions';

describe('bad input is a 4xx problem naming the field, and writes nothing', () => {
  it.each([
    [{ created_at: '2025-08-13 10:00:00' }, 'body.created_at'],
    [{ created_at: '2025-08-13T10:00:00' }, 'body.created_at'],
    [{ duration: 0 }, 'body.duration'],
    [{ duration: '25' }, 'body.duration'],
    [{ break_duration: -5 }, 'body.break_duration'],
    [{ subject: '   ' }, 'body.subject'],
    [{ subject: undefined }, 'body.subject'],
    [{ tags: 'work' }, 'body.tags'],
  ])('POST /session with %o → 422 on %s', async (override, field) => {
    const user = await createTestUser();
    const response = await api('/session', { method: 'POST', ...json(sessionInput(override), user.bearer) });
    expect(response.status).toBe(422);
    const body = await problem(response);
    expect(body.errors?.map((error) => error.field)).toContain(field);
    expect((await api('/session/current', { headers: user.bearer })).status).toBe(404);
  });

  it('a malformed JSON body is a 400 problem', async () => {
    const user = await createTestUser();
    const response = await api('/session', { method: 'POST', body: '{"subject":', headers: { ...user.bearer, 'Content-Type': 'application/json' } });
    expect(response.status).toBe(400);
    await problem(response);
  });

  it('a status change without updated_at, or with a non-ISO one, is 422', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    for (const body of [{ status: 'started' }, { status: 'started', updated_at: 'yesterday' }]) {
      const response = await api(`/session/${session.id}/status`, { method: 'PUT', ...json(body, user.bearer) });
      expect(response.status).toBe(422);
      expect((await problem(response)).errors?.map((error) => error.field)).toContain('body.updated_at');
    }
    expect(await getSession(user, session.id)).toEqual(session);
  });
});

describe('ownership and credentials', () => {
  const routes = (id: string) =>
    [
      ['POST', '/session', sessionInput()],
      ['GET', '/session/list?tz=UTC&start_date=2025-08-13&end_date=2025-08-13'],
      ['GET', '/session/current'],
      ['GET', `/session/${id}`],
      ['PUT', `/session/${id}/status`, { status: 'started', updated_at: new Date().toISOString() }],
      ['PUT', `/session/${id}`, { subject: 'x', updated_at: new Date().toISOString() }],
      ['DELETE', `/session/${id}`],
    ] as const;

  it('every route answers 401 "Authentication required" without credentials, before validating the body', async () => {
    const owner = await createTestUser();
    const session = await createSession(owner);
    for (const [method, path] of routes(session.id)) {
      const response = await api(path, method === 'GET' ? {} : { method, ...json({ garbage: true }) });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect((await problem(response)).detail).toBe('Authentication required');
    }
    expect(await getSession(owner, session.id)).toEqual(session);
  });

  it('another user can neither read, change nor delete a session, nor see it listed or current', async () => {
    const owner = await createTestUser();
    const intruder = await createTestUser();
    const session = await createSession(owner, { created_at: '2025-08-13T10:00:00.000Z' });
    const started = await changeStatus(owner, session.id, 'started');

    const read = await api(`/session/${session.id}`, { headers: intruder.bearer });
    expect(read.status).toBe(403);
    expect((await problem(read)).detail).toBe('Forbidden');
    for (const [method, path, body] of routes(session.id).slice(4)) {
      const response = await api(path, { method, ...json(body ?? {}, intruder.bearer) });
      expect(response.status, `${method} ${path}`).toBe(403);
    }
    expect((await problem(await api(`/session/${session.id}`, { method: 'DELETE', headers: intruder.bearer }))).detail).toBe('Not authorized');

    const listed = (await (await api('/session/list?tz=UTC&start_date=2025-08-13&end_date=2025-08-13', { headers: intruder.bearer })).json()) as SessionBody[];
    expect(listed).toEqual([]);
    expect((await api('/session/current', { headers: intruder.bearer })).status).toBe(404);
    expect(await getSession(owner, session.id)).toEqual(started);
  });

  it('the web client’s cookie works from its own origin; a cookie request from elsewhere is refused', async () => {
    const user = await createTestUser();
    const fromApp = await api('/session', { method: 'POST', ...json(sessionInput(), user.cookie) });
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers.get('Access-Control-Allow-Origin')).toBe(WEB_ORIGIN);
    const session = (await fromApp.json()) as SessionBody;

    const forged = await api(`/session/${session.id}`, { method: 'DELETE', headers: { Cookie: user.cookie.Cookie as string, Origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    expect(await getSession(user, session.id)).toEqual(session);
  });
});

describe('input Postgres could not store is a 422, never a 500', () => {
  it.each([
    [{ subject: 'a\u0000b' }, 'body.subject'],
    [{ goal: 'a\u0000b' }, 'body.goal'],
    [{ tags: ['ok', 'a\u0000b'] }, 'body.tags.1'],
    [{ created_at: '0000-01-01T00:00:00Z' }, 'body.created_at'],
    [{ created_at: '9999-12-31T23:59:59-10:00' }, 'body.created_at'],
  ])('POST /session with %o → 422 on %s', async (override, field) => {
    const user = await createTestUser();
    const response = await api('/session', { method: 'POST', ...json(sessionInput(override), user.bearer) });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
  });

  it('a reflection with a NUL character is refused and the session is unchanged', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const response = await api(`/session/${session.id}`, { method: 'PUT', ...json({ reflection: 'x\u0000', updated_at: new Date().toISOString() }, user.bearer) });
    expect(response.status).toBe(422);
    expect(await getSession(user, session.id)).toEqual(session);
  });

  it.each([
    ['tz=UTC&start_date=2025-08-13&end_date=9999-12-31', 'query.end_date'],
    ['tz=Asia%2FSeoul&start_date=0001-01-01&end_date=2025-08-13', 'query.start_date'],
  ])('a list range beyond what timestamps hold (%s) → 422 on %s', async (query, field) => {
    const user = await createTestUser();
    const response = await api(`/session/list?${query}`, { headers: user.bearer });
    expect(response.status).toBe(422);
    expect((await problem(response)).errors?.map((error) => error.field)).toContain(field);
  });

  it('a time zone in any casing is understood', async () => {
    const user = await createTestUser();
    const response = await api('/session/list?tz=asia%2Fseoul&start_date=2025-08-13&end_date=2025-08-13', { headers: user.bearer });
    expect(response.status).toBe(200);
  });
});
