import type { RedisClient } from '../../platform/redis';
import type { SessionResponse } from './schemas';

/**
 * The Redis side of sessions, with the original backend's keys: `current_session:{user_id}` (the id
 * of the user's current session) and `session_queue` (running sessions scored by expiry, epoch
 * seconds). Beside the pointer we keep `current_session_state:{user_id}`: the session as the API
 * answers it, or `none`, so `GET /session/current` costs one Upstash round trip and no Neon call.
 * A missing state means Redis lost it (flush, eviction); the service rebuilds it from Postgres.
 */
export const QUEUE_KEY = 'session_queue';
export const NO_CURRENT_SESSION = 'none';
export const pointerKey = (userId: string) => `current_session:${userId}`;
export const stateKey = (userId: string) => `current_session_state:${userId}`;

const expiryScore = (session: SessionResponse) => Date.parse(session.expires_at as string) / 1000;

// Compare-and-set on the pointer, atomically: a request for session A never clears or overwrites
// what the pointer says once it points at a newer session B.
const CLEAR_IF_CURRENT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], ARGV[2])
  return 1
end
return 0`;

const REFRESH_IF_CURRENT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2])
  return 1
end
return 0`;

// Removes queue members only while their score is still at or before the cutoff, so a session that
// was resumed (re-scored into the future) after a sweep read it stays queued.
const REMOVE_IF_DUE = `
local removed = 0
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) <= tonumber(ARGV[1]) then
    removed = removed + redis.call('ZREM', KEYS[1], ARGV[i])
  end
end
return removed`;

type Pipeline = ReturnType<RedisClient['pipeline']>;

function queueFor(pipeline: Pipeline, session: SessionResponse) {
  if (session.status === 'started' && session.expires_at) pipeline.zadd(QUEUE_KEY, { score: expiryScore(session), member: session.id });
  else pipeline.zrem(QUEUE_KEY, session.id);
}

/** The session becomes the user's current one (create, start, pause, resume, reset). One round trip. */
export async function makeCurrent(redis: RedisClient, session: SessionResponse) {
  const pipeline = redis.pipeline();
  pipeline.set(pointerKey(session.user_id), session.id);
  pipeline.set(stateKey(session.user_id), JSON.stringify(session));
  queueFor(pipeline, session);
  await pipeline.exec();
}

/** Fields changed without a status change: refresh the cached state only if it is still current. */
export async function refreshIfCurrent(redis: RedisClient, session: SessionResponse) {
  const pipeline = redis.pipeline();
  pipeline.eval(REFRESH_IF_CURRENT, [pointerKey(session.user_id), stateKey(session.user_id)], [session.id, JSON.stringify(session)]);
  queueFor(pipeline, session);
  await pipeline.exec();
}

/** The sessions ended (completed, reviewed, deleted): unqueue them and clear each owner's pointer if it is theirs. */
export async function clearIfCurrent(redis: RedisClient, sessions: Pick<SessionResponse, 'id' | 'user_id'>[]) {
  if (sessions.length === 0) return;
  const pipeline = redis.pipeline();
  for (const session of sessions) {
    pipeline.eval(CLEAR_IF_CURRENT, [pointerKey(session.user_id), stateKey(session.user_id)], [session.id, NO_CURRENT_SESSION]);
  }
  pipeline.zrem(QUEUE_KEY, ...(sessions.map((session) => session.id) as [string, ...string[]]));
  await pipeline.exec();
}

/** Records that the user has no current session, so the next read needs no Postgres call. */
export async function recordNoCurrent(redis: RedisClient, userId: string) {
  const pipeline = redis.pipeline();
  pipeline.del(pointerKey(userId));
  pipeline.set(stateKey(userId), NO_CURRENT_SESSION);
  await pipeline.exec();
}

/** Ids of queued sessions due at or before `cutoffSeconds`, oldest first. */
export async function dueSessionIds(redis: RedisClient, cutoffSeconds: number, limit: number): Promise<string[]> {
  return redis.zrange<string[]>(QUEUE_KEY, '-inf', cutoffSeconds, { byScore: true, offset: 0, count: limit });
}

/** After a sweep page: clear the completed sessions' pointers and drop every member still due. One round trip. */
export async function settleSweptPage(
  redis: RedisClient,
  completed: Pick<SessionResponse, 'id' | 'user_id'>[],
  pageIds: string[],
  cutoffSeconds: number,
) {
  const pipeline = redis.pipeline();
  for (const session of completed) {
    pipeline.eval(CLEAR_IF_CURRENT, [pointerKey(session.user_id), stateKey(session.user_id)], [session.id, NO_CURRENT_SESSION]);
  }
  pipeline.eval(REMOVE_IF_DUE, [QUEUE_KEY], [cutoffSeconds, ...pageIds]);
  await pipeline.exec();
}

export function parseState(value: string | null | undefined): SessionResponse | typeof NO_CURRENT_SESSION | undefined {
  if (value === null || value === undefined) return undefined;
  if (value === NO_CURRENT_SESSION) return NO_CURRENT_SESSION;
  return JSON.parse(value) as SessionResponse;
}
