import { ApiError } from '../../lib/problem';
import type { RedisClient, RedisPipeline } from '../../platform/redis';

/**
 * Per-user rules every authenticated request must keep, read from one Redis hash in the auth
 * guard's round trip (no extra call): tokens revoked wholesale (a password reset, a deletion), an
 * account that is closed (deletion scheduled or purged), and a suspension. Features write the
 * hash through the functions below; the guard alone decides what a request gets.
 *
 * Fields (all strings, as Redis keeps them):
 * - `revoked_before`: seconds since epoch; a sign-in that happened before it is refused, except
 * - `revoked_before_except`: the one sign-in id kept (the caller who changed their password);
 * - `closed`: `1` while the account is scheduled for deletion or gone;
 * - `suspended_until`: seconds since epoch, or `forever`; `suspended_reason`: shown to the user.
 */
export const accountStateKey = (userId: string) => `account_state:${userId}`;

export interface AccountState {
  revokedBefore?: number;
  revokedBeforeExcept?: string;
  closed: boolean;
  suspendedUntil?: number | 'forever';
  suspendedReason?: string;
}

/**
 * Parses what HGETALL answered: with automatic deserialization off, the client hands back Redis's
 * flat `[field, value, …]` reply (empty for a user with no state).
 */
export function parseAccountState(reply: unknown): AccountState {
  const hash = new Map<string, string>();
  if (Array.isArray(reply)) for (let i = 0; i + 1 < reply.length; i += 2) hash.set(String(reply[i]), String(reply[i + 1]));
  const field = (name: string) => hash.get(name);
  const seconds = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);
  const suspended = field('suspended_until');
  return {
    revokedBefore: seconds(field('revoked_before')),
    revokedBeforeExcept: field('revoked_before_except'),
    closed: field('closed') === '1',
    suspendedUntil: suspended === 'forever' ? 'forever' : seconds(suspended),
    suspendedReason: field('suspended_reason'),
  };
}

/** Why this caller may not go on, or undefined. A closed account or revoked sign-in is 401 (the client logs out); a suspension is 403. */
export function accountRefusal(state: AccountState, caller: { signInId: string; signedInAt: number }, nowSeconds: number): ApiError | undefined {
  if (state.closed) return new ApiError('unauthorized', 'Invalid token');
  if (state.revokedBefore !== undefined && caller.signedInAt < state.revokedBefore && caller.signInId !== state.revokedBeforeExcept) {
    return new ApiError('unauthorized', 'Invalid token');
  }
  const until = state.suspendedUntil;
  if (until === 'forever' || (until !== undefined && nowSeconds < until)) {
    const detail = state.suspendedReason ? `This account is suspended: ${state.suspendedReason}` : 'This account is suspended';
    return new ApiError('account_suspended', detail);
  }
  return undefined;
}

// ---- Writers (one Upstash call each) ----

/** Refuses every sign-in of the user that happened before `atSeconds`, except `keepSignInId`. Kept for `ttlSeconds` (a token's maximum lifetime). */
export async function revokeSignInsBefore(redis: RedisClient, userId: string, atSeconds: number, ttlSeconds: number, keepSignInId?: string) {
  const key = accountStateKey(userId);
  const pipeline = redis.pipeline().hset(key, { revoked_before: String(atSeconds), revoked_before_except: keepSignInId ?? '' });
  await keepAtLeast(pipeline, key, ttlSeconds).exec();
}

/** Marks the account closed (deletion scheduled or done): every token is refused until `reopenAccount`. */
export async function closeAccount(redis: RedisClient, userId: string, ttlSeconds?: number) {
  const key = accountStateKey(userId);
  const pipeline = redis.pipeline().hset(key, { closed: '1' });
  await (ttlSeconds ? keepAtLeast(pipeline, key, ttlSeconds) : pipeline.persist(key)).exec();
}

/**
 * Closes the account for its deletion, in the caller's pipeline: every token is refused from now
 * on, and every token issued until now stays refused after a restore (which lifts only `closed`).
 */
export function closeForDeletionIn(pipeline: RedisPipeline, userId: string, nowSeconds: number) {
  const key = accountStateKey(userId);
  return pipeline.hset(key, { closed: '1', revoked_before: String(nowSeconds + 1), revoked_before_except: '' }).persist(key);
}

/** Lifts the closure of a restored account, in the caller's pipeline; what else the hash holds is kept for at least `ttlSeconds`. */
export function reopenAccountIn(pipeline: RedisPipeline, userId: string, ttlSeconds: number) {
  const key = accountStateKey(userId);
  return keepAtLeast(pipeline.hdel(key, 'closed'), key, ttlSeconds);
}

/**
 * What is left of a purged account: only its closure, for as long as a token of it could still be
 * presented (`ttlSeconds`, a sign-in's maximum lifetime), then nothing at all.
 */
export function leaveTombstoneIn(pipeline: RedisPipeline, userId: string, ttlSeconds: number) {
  const key = accountStateKey(userId);
  return pipeline.del(key).hset(key, { closed: '1' }).expire(key, Math.ceil(ttlSeconds));
}

export async function reopenAccount(redis: RedisClient, userId: string) {
  await redis.hdel(accountStateKey(userId), 'closed');
}

/** Suspends the account until `untilSeconds` (or for good): every request of the user is 403 from now on. */
export async function suspendAccount(redis: RedisClient, userId: string, untilSeconds: number | 'forever', reason: string) {
  const key = accountStateKey(userId);
  await redis.pipeline().hset(key, { suspended_until: String(untilSeconds), suspended_reason: reason }).persist(key).exec();
}

export async function liftSuspension(redis: RedisClient, userId: string) {
  await redis.hdel(accountStateKey(userId), 'suspended_until', 'suspended_reason');
}

/**
 * Keeps the hash for at least `ttlSeconds`, never shortening it, and never giving a lifetime to a
 * hash that holds a suspension or a closure (those last until lifted).
 */
const KEEP_AT_LEAST = `
local ttl = redis.call('TTL', KEYS[1])
local lasting = redis.call('HEXISTS', KEYS[1], 'suspended_until') == 1 or redis.call('HGET', KEYS[1], 'closed') == '1'
if ttl == -1 and not lasting then redis.call('EXPIRE', KEYS[1], ARGV[1])
elseif ttl >= 0 and ttl < tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return 1`;

function keepAtLeast(pipeline: RedisPipeline, key: string, ttlSeconds: number) {
  return pipeline.eval(KEEP_AT_LEAST, [key], [String(Math.ceil(ttlSeconds))]);
}
