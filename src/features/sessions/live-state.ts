import type { RedisClient, RedisPipeline } from '../../platform/redis';
import type { SessionResponse } from './schemas';

/**
 * The Redis side of sessions, with the original backend's keys: `current_session:{user_id}` (the id
 * of the user's current session) and `session_queue` (running sessions scored by expiry, epoch
 * seconds). Beside the pointer we keep `current_session_state:{user_id}`: the session as the API
 * answers it, or `none`, so `GET /session/current` costs one Upstash round trip and no Neon call.
 * It expires after an hour, so a Redis write lost after a committed change can mislead for an hour
 * at most; a missing state is rebuilt from Postgres.
 */
export const QUEUE_KEY = 'session_queue';
export const NO_CURRENT_SESSION = 'none';
export const pointerKey = (userId: string) => `current_session:${userId}`;
export const stateKey = (userId: string) => `current_session_state:${userId}`;
const revisionKey = (sessionId: string) => `session_revision:${sessionId}`;

const STATE_TTL_SECONDS = 3600;
/** Longer than any request can be in flight, so a late write always finds the newer revision. */
const REVISION_TTL_SECONDS = 86_400;

/** A session as Postgres last wrote it: `revision` orders concurrent writers' Redis updates. */
export interface SessionVersion {
  session: SessionResponse;
  revision: number;
}

export type Effect = 'current' | 'refresh' | 'ended';

// All Redis effects of one session change, atomically, and only if no newer revision of the session
// was applied already: two tabs pausing and resuming at once leave Redis as Postgres ended up.
//   current: the session becomes the user's current one (create, start, pause, resume, reset)
//   refresh: fields changed; the cached state follows only if the session is still current
//   ended:   completed, reviewed or deleted; the pointer is cleared only if it is still this session
// Running sessions are queued by expiry; any other state takes the session out of the queue.
const APPLY = `
local known = tonumber(redis.call('GET', KEYS[1]))
if known and known > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[7])
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1]) else redis.call('ZREM', KEYS[4], ARGV[1]) end
if ARGV[3] == 'current' then
  redis.call('SET', KEYS[2], ARGV[1])
  redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[6])
elseif redis.call('GET', KEYS[2]) == ARGV[1] then
  if ARGV[3] == 'refresh' then
    redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[6])
  else
    redis.call('DEL', KEYS[2])
    redis.call('SET', KEYS[3], 'none', 'EX', ARGV[6])
  end
end
return 1`;

// "No current session", unless one was made current meanwhile (its pointer exists).
const RECORD_NONE = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[2], 'none', 'EX', ARGV[1]) end
return 0`;

// The `ended` effect of APPLY for many sessions in one script, with only what it needs (keys, id and
// revision, never the session itself), so a sweep page of thousands stays far below Upstash's
// request size. KEYS come in threes per session (revision, pointer, state); ARGV in pairs (id,
// revision), then the TTLs.
const END_MANY = `
local stateTtl, revisionTtl = ARGV[#ARGV - 1], ARGV[#ARGV]
for i = 1, (#ARGV - 2) / 2 do
  local id, revision = ARGV[2 * i - 1], tonumber(ARGV[2 * i])
  local revisionKey, pointer, state = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local known = tonumber(redis.call('GET', revisionKey))
  if not known or known <= revision then
    redis.call('SET', revisionKey, revision, 'EX', revisionTtl)
    redis.call('ZREM', KEYS[1], id)
    if redis.call('GET', pointer) == id then
      redis.call('DEL', pointer)
      redis.call('SET', state, 'none', 'EX', stateTtl)
    end
  end
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

function apply(pipeline: RedisPipeline, { session, revision }: SessionVersion, effect: Effect) {
  const expiryScore = session.status === 'started' && session.expires_at ? String(Date.parse(session.expires_at) / 1000) : '';
  pipeline.eval(
    APPLY,
    [revisionKey(session.id), pointerKey(session.user_id), stateKey(session.user_id), QUEUE_KEY],
    [session.id, revision, effect, JSON.stringify(session), expiryScore, STATE_TTL_SECONDS, REVISION_TTL_SECONDS],
  );
}

/** Applies one session change's Redis effects. One round trip. */
export async function applyChange(redis: RedisClient, version: SessionVersion, effect: Effect) {
  const pipeline = redis.pipeline();
  apply(pipeline, version, effect);
  await pipeline.exec();
}

/** A session that ended (completed or deleted), as far as Redis cares: whose it was and its revision. */
export interface EndedSession {
  id: string;
  userId: string;
  revision: number;
}

function endMany(pipeline: RedisPipeline, ended: EndedSession[]) {
  pipeline.eval(
    END_MANY,
    [QUEUE_KEY, ...ended.flatMap(({ id, userId }) => [revisionKey(id), pointerKey(userId), stateKey(userId)])],
    [...ended.flatMap(({ id, revision }) => [id, revision]), STATE_TTL_SECONDS, REVISION_TTL_SECONDS],
  );
}

/** The sessions ended (completed by time, or deleted): all in one round trip. */
export async function applyEnded(redis: RedisClient, ended: EndedSession[]) {
  if (ended.length === 0) return;
  const pipeline = redis.pipeline();
  endMany(pipeline, ended);
  await pipeline.exec();
}

/** Records that the user has no current session, so the next read needs no Postgres call. */
export async function recordNoCurrent(redis: RedisClient, userId: string) {
  await redis.eval(RECORD_NONE, [pointerKey(userId), stateKey(userId)], [STATE_TTL_SECONDS]);
}

/** Ids of queued sessions due at or before `cutoffSeconds`, oldest first. */
export async function dueSessionIds(redis: RedisClient, cutoffSeconds: number, limit: number): Promise<string[]> {
  return redis.zrange<string[]>(QUEUE_KEY, '-inf', cutoffSeconds, { byScore: true, offset: 0, count: limit });
}

/** After a sweep page: end the completed sessions and drop every member still due. One round trip. */
export async function settleSweptPage(redis: RedisClient, completed: EndedSession[], pageIds: string[], cutoffSeconds: number) {
  const pipeline = redis.pipeline();
  if (completed.length > 0) endMany(pipeline, completed);
  pipeline.eval(REMOVE_IF_DUE, [QUEUE_KEY], [cutoffSeconds, ...pageIds]);
  await pipeline.exec();
}

export function parseState(value: string | null | undefined): SessionResponse | typeof NO_CURRENT_SESSION | undefined {
  if (value === null || value === undefined) return undefined;
  if (value === NO_CURRENT_SESSION) return NO_CURRENT_SESSION;
  return JSON.parse(value) as SessionResponse;
}

/**
 * For the purge of a user: their current-session pointer and state, and the revisions and queue
 * entries of `sessionIds`, in the caller's pipeline.
 */
export function forgetSessionsIn(pipeline: RedisPipeline, userId: string, sessionIds: string[]) {
  pipeline.del(pointerKey(userId), stateKey(userId), ...sessionIds.map(revisionKey));
  if (sessionIds.length > 0) pipeline.zrem(QUEUE_KEY, ...sessionIds);
  return pipeline;
}

/** Clears the current-session pointer and state at once (the user is leaving), in the caller's pipeline. */
export const forgetCurrentSessionIn = (pipeline: RedisPipeline, userId: string) => pipeline.del(pointerKey(userId), stateKey(userId));
