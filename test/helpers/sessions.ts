import { Redis } from '@upstash/redis/cloudflare';
import { createScheduledController } from 'cloudflare:test';
import { sql } from 'drizzle-orm';
import worker from '../../src/index';
import { api, env, json } from './api';
import { testDb, type TestUser } from './users';

export interface SessionBody {
  id: string;
  user_id: string;
  subject: string;
  goal: string;
  duration: number;
  break_duration: number;
  tags: string[];
  started_at: string | null;
  created_at: string;
  updated_at: string | null;
  status: 'pending' | 'started' | 'paused' | 'completed' | 'reviewed';
  reflection: string | null;
  paused_at: string | null;
  expires_at: string | null;
}

/** The real Redis behind the local Upstash endpoint, for arranging what Redis "lost" and checking keys. */
export const testRedis = () =>
  new Redis({ url: env.UPSTASH_REDIS_REST_URL, token: env.UPSTASH_REDIS_REST_TOKEN, automaticDeserialization: false, enableAutoPipelining: false });

export const sessionInput = (overrides: Record<string, unknown> = {}) => ({
  subject: 'Write the report',
  goal: 'First draft',
  duration: 25,
  break_duration: 5,
  tags: ['work'],
  status: 'pending',
  created_at: new Date().toISOString(),
  ...overrides,
});

export async function createSession(user: TestUser, overrides: Record<string, unknown> = {}): Promise<SessionBody> {
  const response = await api('/session', { method: 'POST', ...json(sessionInput(overrides), user.bearer) });
  if (response.status !== 200) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as SessionBody;
}

export function putStatus(user: TestUser, id: string, status: string, at = new Date()) {
  return api(`/session/${id}/status`, { method: 'PUT', ...json({ status, updated_at: at.toISOString() }, user.bearer) });
}

export async function changeStatus(user: TestUser, id: string, status: string, at = new Date()): Promise<SessionBody> {
  const response = await putStatus(user, id, status, at);
  if (response.status !== 200) throw new Error(`status ${status} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as SessionBody;
}

export async function getSession(user: TestUser, id: string): Promise<SessionBody> {
  const response = await api(`/session/${id}`, { headers: user.bearer });
  if (response.status !== 200) throw new Error(`get failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as SessionBody;
}

/**
 * Moves a session's timeline `minutes` into the past, as if that much time had gone by: in
 * Postgres, in the expiry queue and in the cached current-session state alike. It is the only way
 * to let time pass for a server that keeps real time.
 */
export async function letTimePass(sessionId: string, minutes: number, options: { queue: boolean } = { queue: true }) {
  const [row] = (await testDb().execute(sql`
    update focus_sessions set
      started_at = started_at - make_interval(mins => ${minutes}),
      paused_at = paused_at - make_interval(mins => ${minutes}),
      expires_at = expires_at - make_interval(mins => ${minutes})
    where id = ${sessionId}
    returning user_id, extract(epoch from expires_at)::float8 as expiry`)).rows as { user_id: string; expiry: number | null }[];
  if (!row) throw new Error(`no session ${sessionId}`);
  const redis = testRedis();
  if (options.queue && row.expiry) await redis.zadd('session_queue', { score: row.expiry, member: sessionId });
  const stateKey = `current_session_state:${row.user_id}`;
  const state = await redis.get<string>(stateKey);
  if (state && state !== 'none') {
    const cached = JSON.parse(state) as Record<string, string | null>;
    if (cached.id !== sessionId) return;
    for (const field of ['started_at', 'paused_at', 'expires_at']) {
      const value = cached[field];
      if (value) cached[field] = new Date(Date.parse(value) - minutes * 60_000).toISOString();
    }
    await redis.set(stateKey, JSON.stringify(cached));
  }
}

/** Fires the Cron Trigger through the Worker's real scheduled handler and waits for it to finish. */
export async function runCron(at = new Date()) {
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '* * * * *' }), env);
}

/** The status as stored in Postgres, to prove a change was persisted and not only reported. */
export async function storedStatus(id: string): Promise<string | undefined> {
  const result = await testDb().execute(sql`select status from focus_sessions where id = ${id}`);
  return (result.rows[0] as { status: string } | undefined)?.status;
}
