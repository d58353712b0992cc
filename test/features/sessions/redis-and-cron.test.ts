import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applyChange, dueSessionIds, settleSweptPage } from '../../../src/features/sessions/live-state';
import { completeDue } from '../../../src/features/sessions/repository';
import { createServices } from '../../../src/platform/services';
import { api, env, problem } from '../../helpers/api';
import { createTestUser, testDb } from '../../helpers/users';
import { changeStatus, createSession, getSession, letTimePass, putStatus, runCron, storedStatus, testRedis, type SessionBody } from '../../helpers/sessions';

const current = async (headers: Record<string, string>) => api('/session/current', { headers });

describe('the current-session pointer', () => {
  it('deleting a session clears the pointer only when it points at that session', async () => {
    const user = await createTestUser();
    const first = await createSession(user);
    const second = await createSession(user);
    const deleted = await api(`/session/${first.id}`, { method: 'DELETE', headers: user.bearer });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ message: 'session deleted successfully' });
    expect(((await (await current(user.bearer)).json()) as SessionBody).id).toBe(second.id);

    expect((await api(`/session/${second.id}`, { method: 'DELETE', headers: user.bearer })).status).toBe(200);
    expect((await current(user.bearer)).status).toBe(404);
    expect(await testRedis().get(`current_session:${user.userId}`)).toBeNull();
    expect((await api(`/session/${second.id}`, { headers: user.bearer })).status).toBe(404);
  });

  it('rebuilds from Postgres when Redis lost it, instead of answering 404 for a running session', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const started = await changeStatus(user, session.id, 'started');
    await testRedis().del(`current_session:${user.userId}`, `current_session_state:${user.userId}`);

    const rebuilt = await current(user.bearer);
    expect(rebuilt.status).toBe(200);
    expect(await rebuilt.json()).toEqual(started);
    expect(await testRedis().get(`current_session:${user.userId}`)).toBe(session.id);
  });

  it('rebuilds "no current session" too, and remembers it', async () => {
    const user = await createTestUser();
    expect((await current(user.bearer)).status).toBe(404);
    expect(await testRedis().get(`current_session_state:${user.userId}`)).toBe('none');
  });

  it('starting puts the session in the expiry queue scored by its expiry; pausing takes it out', async () => {
    const user = await createTestUser();
    const session = await createSession(user);
    const started = await changeStatus(user, session.id, 'started');
    expect(Number(await testRedis().zscore('session_queue', session.id))).toBe(Date.parse(started.expires_at as string) / 1000);
    await changeStatus(user, session.id, 'paused');
    expect(await testRedis().zscore('session_queue', session.id)).toBeNull();
  });
});

describe('the Cron Trigger', () => {
  it('completes sessions whose expiry passed and clears their owners’ pointers; a second run changes nothing', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    await changeStatus(user, session.id, 'started');
    await letTimePass(session.id, 26);

    await runCron();
    const completed = await getSession(user, session.id);
    expect(completed.status).toBe('completed');
    expect(await testRedis().zscore('session_queue', session.id)).toBeNull();
    expect(await testRedis().get(`current_session:${user.userId}`)).toBeNull();
    expect((await current(user.bearer)).status).toBe(404);

    await runCron();
    expect(await getSession(user, session.id)).toEqual(completed);
  });

  it('leaves running and other users’ sessions alone, and keeps a newer current session', async () => {
    const owner = await createTestUser();
    const other = await createTestUser();
    const expiring = await createSession(owner, { duration: 25 });
    await changeStatus(owner, expiring.id, 'started');
    await letTimePass(expiring.id, 30);
    const newer = await createSession(owner);
    const running = await createSession(other);
    await changeStatus(other, running.id, 'started');

    await runCron();
    expect((await getSession(owner, expiring.id)).status).toBe('completed');
    expect(((await (await current(owner.bearer)).json()) as SessionBody).id).toBe(newer.id);
    expect((await getSession(other, running.id)).status).toBe('started');
    expect(await testRedis().zscore('session_queue', running.id)).not.toBeNull();
  });

  it('does not complete a session resumed after the sweep read the queue', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    await changeStatus(user, session.id, 'started');
    await letTimePass(session.id, 30);
    // The sweep read this due entry; then, before it wrote, the user paused and resumed, which
    // re-scored the entry into the future. Arrange that interleaving: pause, put the due score
    // back as the sweep saw it, resume.
    const dueScore = Number(await testRedis().zscore('session_queue', session.id));
    await changeStatus(user, session.id, 'completed');
    const fresh = await createSession(user, { duration: 25 });
    await changeStatus(user, fresh.id, 'started');
    await changeStatus(user, fresh.id, 'paused');
    await testRedis().zadd('session_queue', { score: dueScore, member: fresh.id });
    const resumed = await changeStatus(user, fresh.id, 'started');

    await runCron();
    expect(await getSession(user, fresh.id)).toEqual(resumed);
    expect(Number(await testRedis().zscore('session_queue', fresh.id))).toBe(Date.parse(resumed.expires_at as string) / 1000);
  });

  it('a conditional completion never overrides a pause that landed first', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    await changeStatus(user, session.id, 'started');
    const paused = await changeStatus(user, session.id, 'paused');
    // A queue entry the pause could not remove in time (the sweep had already read it).
    await testRedis().zadd('session_queue', { score: Date.now() / 1000 - 60, member: session.id });

    await runCron();
    expect(await getSession(user, session.id)).toEqual(paused);
    expect(await testRedis().zscore('session_queue', session.id)).toBeNull();
  });

  it('the Postgres-side sweep completes running sessions Redis forgot, once they are 2 minutes overdue', async () => {
    const user = await createTestUser();
    const recent = await createSession(user, { duration: 25 });
    await changeStatus(user, recent.id, 'started');
    await letTimePass(recent.id, 26, { queue: false });
    await testRedis().zrem('session_queue', recent.id);
    const forgotten = await createSession(user, { duration: 25 });
    await changeStatus(user, forgotten.id, 'started');
    await letTimePass(forgotten.id, 28, { queue: false });
    await testRedis().zrem('session_queue', forgotten.id);

    await runCron();
    expect(await storedStatus(forgotten.id)).toBe('completed');
    expect(await storedStatus(recent.id)).toBe('started');
  });
});

describe('lazy completion', () => {
  it('reports an expired started session as completed before the cron ran, and persists it', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    await changeStatus(user, session.id, 'started');
    await letTimePass(session.id, 26);

    expect((await getSession(user, session.id)).status).toBe('completed');
    expect(await storedStatus(session.id)).toBe('completed');
  });

  it('in the list', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    await changeStatus(user, session.id, 'started');
    await letTimePass(session.id, 26);
    const today = new Date().toISOString().slice(0, 10);
    const list = (await (await api(`/session/list?tz=UTC&start_date=${today}&end_date=${today}`, { headers: user.bearer })).json()) as SessionBody[];
    expect(list.map((item) => [item.id, item.status])).toEqual([[session.id, 'completed']]);
    expect(await storedStatus(session.id)).toBe('completed');
  });

  it('in /session/current, which then has no current session, as after the cron', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    await changeStatus(user, session.id, 'started');
    await letTimePass(session.id, 26);
    const response = await current(user.bearer);
    expect(response.status).toBe(404);
    expect((await problem(response)).detail).toBe('Session not found');
    expect(await storedStatus(session.id)).toBe('completed');
  });

  it('an expired session can still be completed by the client, but not paused', async () => {
    const user = await createTestUser();
    const a = await createSession(user, { duration: 25 });
    await changeStatus(user, a.id, 'started');
    await letTimePass(a.id, 26);
    expect((await putStatus(user, a.id, 'paused')).status).toBe(409);
    expect(await storedStatus(a.id)).toBe('completed');

    const b = await createSession(user, { duration: 25 });
    await changeStatus(user, b.id, 'started');
    await letTimePass(b.id, 26);
    expect((await changeStatus(user, b.id, 'completed')).status).toBe('completed');
  });
});

describe('the sweep against concurrent changes (its steps interleaved with a user’s requests)', () => {
  const deps = () => {
    const { db, redis } = createServices(env);
    return { db, redis };
  };

  it('a session resumed after the sweep read the queue is neither completed nor unqueued', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    await changeStatus(user, session.id, 'started');
    await letTimePass(session.id, 30);

    // Step 1 of the sweep: read what is due.
    const now = new Date();
    const due = await dueSessionIds(deps().redis, now.getTime() / 1000, 500);
    expect(due).toContain(session.id);
    // Meanwhile it turns out the user had paused it after 10 minutes of focus, and now resumes it.
    await testDb().execute(sql`update focus_sessions set status = 'paused', paused_at = started_at + interval '10 minutes', expires_at = null where id = ${session.id}`);
    const resumed = await changeStatus(user, session.id, 'started');
    // Steps 2 and 3: the conditional completion and the queue clean-up, with the ids read before.
    const completed = await completeDue(deps().db, now, due);
    expect(completed.map((row) => row.id)).not.toContain(session.id);
    await settleSweptPage(deps().redis, [], due, now.getTime() / 1000);

    expect(await getSession(user, session.id)).toEqual(resumed);
    expect(Number(await testRedis().zscore('session_queue', session.id))).toBe(Date.parse(resumed.expires_at as string) / 1000);
  });

  it('a stale due queue entry never completes a session that Postgres says is still running', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    const started = await changeStatus(user, session.id, 'started');
    await testRedis().zadd('session_queue', { score: Date.now() / 1000 - 60, member: session.id });

    await runCron();
    expect(await getSession(user, session.id)).toEqual(started);
  });

  it('Redis applies a session’s changes in Postgres order, whatever order they arrive in', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    const started = await changeStatus(user, session.id, 'started');
    const paused = await changeStatus(user, session.id, 'paused');
    // The start's Redis update arrives late, after the pause's (two tabs, two isolates).
    await applyChange(deps().redis, { session: started, revision: 1 }, 'current');

    expect(await (await current(user.bearer)).json()).toEqual(paused);
    expect(await testRedis().zscore('session_queue', session.id)).toBeNull();
  });

  it('a cached state that Postgres disproves is rebuilt instead of served', async () => {
    const user = await createTestUser();
    const session = await createSession(user, { duration: 25 });
    const started = await changeStatus(user, session.id, 'started');
    const paused = await changeStatus(user, session.id, 'paused');
    // Redis lost the pause (its write failed after Postgres committed) and the focus time ran out.
    const overdue = { ...started, started_at: new Date(Date.now() - 30 * 60_000).toISOString(), expires_at: new Date(Date.now() - 5 * 60_000).toISOString() };
    await testRedis().set(`current_session_state:${user.userId}`, JSON.stringify(overdue));

    const response = await current(user.bearer);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(paused);
    expect(await storedStatus(session.id)).toBe('paused');
  });
});

describe('the cron on a big day', () => {
  it('completes 25,000 sessions due in the same minute in one run (pages of thousands, not hundreds)', async () => {
    const user = await createTestUser();
    const count = 25_000;
    const rows = (await testDb().execute(sql`
      insert into focus_sessions (id, user_id, subject, duration_minutes, break_duration_minutes, status, started_at, expires_at, created_at)
      select lpad(to_hex(g), 8, '0') || substr(md5(random()::text), 1, 16), ${user.userId}, 'launch day', 25, 5, 'started',
             now() - interval '26 minutes', now() - interval '1 minute', now() - interval '26 minutes'
      from generate_series(1, ${count}) g
      returning id, extract(epoch from expires_at)::float8 as expiry`)).rows as { id: string; expiry: number }[];
    for (let i = 0; i < rows.length; i += 5000) {
      const [first, ...rest] = rows.slice(i, i + 5000).map((row) => ({ score: row.expiry, member: row.id }));
      await testRedis().zadd('session_queue', first!, ...rest);
    }

    await runCron();

    const [left] = (await testDb().execute(sql`select count(*)::int as n from focus_sessions where user_id = ${user.userId} and status = 'started'`)).rows as { n: number }[];
    expect(left!.n).toBe(0);
    expect(await testRedis().zscore('session_queue', rows[count - 1]!.id)).toBeNull();
  }, 60_000);
});
