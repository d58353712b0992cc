import type { RedisClient, RedisPipeline } from './redis';

/**
 * Kept answers of writes sent with an `Idempotency-Key` (http/idempotency.ts decides; this file
 * only talks Redis). One key per user and Idempotency-Key, `idem:{userId}:{sha256(key)}`, holding
 * either the in-flight marker or the kept answer as JSON.
 */
export const idempotencyKey = (userId: string, keyDigest: string) => `idem:${userId}:${keyDigest}`;
/** The user's kept answers, scored by when they expire, so the account purge can name them. */
const answersKey = (userId: string) => `idem-keys:${userId}`;
/** At most this many kept answers are deleted by name in one purge; any beyond expire within the day. */
const FORGET_AT_MOST = 10_000;

/** A kept answer lives a day, as the IETF draft suggests. */
export const KEPT_SECONDS = 24 * 60 * 60;
/**
 * How long a claim holds without an answer: longer than any write runs (each Neon and Upstash call
 * has a deadline of seconds), short enough that a Worker that died mid-request does not block the
 * key for long; a retry meanwhile is 409.
 */
export const IN_FLIGHT_SECONDS = 60;

const IN_FLIGHT = 'in-flight';

/** Claims the key unless it holds something: answers nil when claimed, else what it holds. */
const CLAIM = `local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false`;

/** What a request kept: enough to answer a retry the same way. */
export interface KeptAnswer {
  /** The request's fingerprint (method, path, body digest): a retry must match it. */
  digest: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Claim = { state: 'claimed' } | { state: 'in-flight' } | { state: 'kept'; answer: KeptAnswer };

/** Queues the claim in a pipeline another call runs (the auth guard's); read its reply with `claimOf`. */
export function claimIn(pipeline: RedisPipeline, key: string) {
  return pipeline.eval(CLAIM, [key], [IN_FLIGHT, IN_FLIGHT_SECONDS]);
}

export function claimOf(reply: unknown): Claim {
  if (reply === null || reply === undefined) return { state: 'claimed' };
  if (reply === IN_FLIGHT) return { state: 'in-flight' };
  try {
    const answer = JSON.parse(String(reply)) as KeptAnswer;
    if (typeof answer.digest === 'string' && Number.isInteger(answer.status)) return { state: 'kept', answer };
  } catch {
    // An unreadable value (a format from another version) is treated as still in flight: never run twice.
  }
  return { state: 'in-flight' };
}

/**
 * Replaces the in-flight marker with the answer, kept for a day, and lists it in the user's index
 * (dropping entries that expired), in one round trip.
 */
export async function keepAnswer(redis: RedisClient, userId: string, key: string, answer: KeptAnswer, nowMs = Date.now()) {
  await redis
    .pipeline()
    .set(key, JSON.stringify(answer), { ex: KEPT_SECONDS })
    .zadd(answersKey(userId), { score: nowMs + KEPT_SECONDS * 1000, member: key })
    .zremrangebyscore(answersKey(userId), 0, nowMs)
    .expire(answersKey(userId), KEPT_SECONDS)
    .exec();
}

/** Every kept answer of a purged user (up to FORGET_AT_MOST), and their index, in the caller's pipeline. */
export const forgetKeptAnswersIn = (pipeline: RedisPipeline, userId: string) =>
  pipeline.eval(
    `local kept = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
for _, key in ipairs(kept) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
return #kept`,
    [answersKey(userId)],
    [FORGET_AT_MOST],
  );

/** Drops the claim (called only by the request holding it), so the request can be retried. */
export async function releaseClaim(redis: RedisClient, key: string) {
  await redis.del(key);
}
