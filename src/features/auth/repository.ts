import { eq, sql } from 'drizzle-orm';
import { users } from '../../db/schema';
import type { Db } from '../../platform/db';
import type { RedisClient, RedisPipeline } from '../../platform/redis';
import type { ProviderName, ProviderProfile } from './providers';
import { WRITE_LIMIT_BUCKETS } from '../../env';
import { accountStateKey, parseAccountState, reopenAccountIn } from './account-state';
import { claimIn, claimOf } from '../../platform/idempotency';

// ---- Revocation (Redis) ----

const WRITE_LIMIT_PREFIX = 'ratelimit:writes';
const SIGN_IN_LIMIT_PREFIX = 'ratelimit:sign-in';
/** Both limiters count in 60-second windows keyed `{prefix}:{identifier}:{window}` (SLIDING_WINDOW_SCRIPT). */
const LIMIT_WINDOW_MS = 60_000;
/** At most one mail of a kind per address a minute, keyed by the address's digest, never the address. */
export const mailSlotKey = (kind: string, addressDigest: string) => `mail_sent:${kind}:${addressDigest}`;

const revokedKey = (signInId: string) => `revoked_signin:${signInId}`;

/** A per-user write limit the guard counts in its round trip: `limit` writes per window. */
export type WriteLimitCheck = { bucket: string; userId: string; limit: number; windowSeconds: number };

/**
 * One round trip: whether the sign-in is revoked, the account's state (closed, tokens revoked
 * wholesale, suspended: see account-state.ts), one count against a write limit, the claim of an
 * Idempotency-Key (`idempotencyKey`, the Redis key), and any keys the route wants read at the same
 * time (the check rides along with the route's own Redis reads).
 */
export async function checkSignIn(
  redis: RedisClient,
  caller: { signInId: string; userId: string },
  keys: string[],
  writeLimit?: WriteLimitCheck,
  idempotencyKey?: string,
) {
  const pipeline = redis.pipeline().exists(revokedKey(caller.signInId)).hgetall(accountStateKey(caller.userId));
  const count = writeLimit ? countInPipeline(pipeline, writeLimit) : undefined;
  if (idempotencyKey) claimIn(pipeline, idempotencyKey);
  for (const key of keys) pipeline.get(key);
  const [revoked, accountState, ...rest] = (await pipeline.exec()) as [number, unknown, ...unknown[]];
  const countReply = count?.eval ? rest.shift() : undefined;
  const claim = idempotencyKey ? claimOf(rest.shift()) : undefined;
  const counted = count?.answer(countReply);
  return {
    revoked: revoked === 1,
    account: parseAccountState(accountState),
    claim,
    values: rest as (string | null)[],
    limited: counted && !counted.allowed ? { resetAt: counted.resetAt } : undefined,
  };
}

/** Write limits this isolate has seen exhausted, until their window resets (no Redis call for those). */
const exhaustedUntil = new Map<string, number>();

/** Counts one write inside `pipeline` (one EVAL among the guard's commands), unless this isolate knows the limit exhausted. */
function countInPipeline(pipeline: RedisPipeline, check: WriteLimitCheck) {
  const count = slidingWindowCount(
    { prefix: `${WRITE_LIMIT_PREFIX}:${check.bucket}`, limit: check.limit, windowMs: check.windowSeconds * 1000, knownBlocked: exhaustedUntil },
    check.userId,
    Date.now(),
  );
  if (count.eval) pipeline.eval(SLIDING_WINDOW_SCRIPT, count.eval.keys, count.eval.args);
  return count;
}

/** Remembers a revoked sign-in for as long as any token of it could still be presented. */
export async function revokeSignIn(redis: RedisClient, signInId: string, ttlSeconds: number) {
  await redis.set(revokedKey(signInId), '1', { ex: Math.max(1, Math.ceil(ttlSeconds)) });
}

// ---- Sliding-window limits (Redis) ----

/**
 * The sliding window of @upstash/ratelimit's `slidingWindow` (single region), which these limits
 * used before it was replaced by this script to keep 9 KiB gzip out of the bundle: a counter per
 * fixed window, `{prefix}:{identifier}:{floor(nowMs / windowMs)}`, and a request is allowed while
 * the previous window's count, weighted by the share of it still inside the sliding window, plus
 * the current window's count stays under the limit. An allowed request increments the current
 * window, which lives two windows and a second (long enough to be the previous one). Answers 1
 * (allowed, counted) or 0 (refused, not counted).
 *
 * KEYS: the current window, the previous one. ARGV: the limit, now (ms), the window (ms).
 *
 * The clock is the Worker's (`nowMs`), as the library's was, not Redis's `TIME`: the window's end
 * (Retry-After) and the isolate's cache of blocked identifiers are compared with the Worker's
 * `Date.now()`, and forgetUserKeysIn names the windows to delete by it, so one clock decides all
 * three; the script stays deterministic (nothing for Upstash's replication to special-case), and a
 * test can count at a given instant. Isolates' clocks are NTP-synchronised, which a 60 s window
 * does not notice.
 */
const SLIDING_WINDOW_SCRIPT = `local limit, now, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if math.floor(previous * (1 - (now % window) / window)) + current >= limit then return 0 end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], window * 2 + 1000) end
return 1`;

type SlidingWindow = {
  prefix: string;
  limit: number;
  windowMs: number;
  /** `{prefix}:{identifier}` → the end of the window in which it was refused (ms): refused again until then without a Redis call. */
  knownBlocked: Map<string, number>;
};

type Counted = { allowed: boolean; resetAt: number };

/**
 * One count of `identifier` at `nowMs`: refused at once when this isolate knows it blocked until
 * later, else the EVAL to send (`eval`) and, given its reply, whether it was allowed. `resetAt` is
 * the end of the current window. A refusal is remembered until then.
 */
function slidingWindowCount(limiter: SlidingWindow, identifier: string, nowMs: number) {
  const { prefix, limit, windowMs, knownBlocked } = limiter;
  const id = `${prefix}:${identifier}`;
  const until = knownBlocked.get(id);
  if (until !== undefined && until >= nowMs) return { eval: undefined, answer: (): Counted => ({ allowed: false, resetAt: until }) };
  if (until !== undefined) knownBlocked.delete(id);
  const window = Math.floor(nowMs / windowMs);
  const resetAt = (window + 1) * windowMs;
  return {
    eval: { keys: [`${id}:${window}`, `${id}:${window - 1}`], args: [limit, nowMs, windowMs] },
    answer: (reply: unknown): Counted => {
      const allowed = Number(reply) === 1;
      if (!allowed) knownBlocked.set(id, resetAt);
      return { allowed, resetAt };
    },
  };
}

// ---- Sign-in attempts (Redis) ----

/**
 * Identifiers this isolate has seen blocked, until their window resets: repeat offenders are
 * refused without a Redis call. Module-level: it is only useful if it outlives the request.
 */
const blockedUntil = new Map<string, number>();

/**
 * A sign-in attempt that waited this long for Redis is let through uncounted (the timeout
 * @upstash/ratelimit had), so a slow Redis delays sign-in but never blocks it. The Redis client's
 * own deadline (REDIS_TIMEOUT_MS, 2 s by default) usually comes first, and a Redis that fails is a
 * 503, as on any route.
 */
const SIGN_IN_LIMIT_TIMEOUT_MS = 5000;

/**
 * Counts one sign-in attempt from `clientIp` (or `email:<digest>`) in a sliding 60-second window.
 * One Upstash call (the EVAL of the script), none for an identifier this isolate knows blocked.
 * `resetAt` is when the window ends (ms); 0 when the attempt went through uncounted after the timeout.
 */
export async function takeSignInAttempt(redis: RedisClient, clientIp: string, perMinute: number, nowMs = Date.now()): Promise<Counted> {
  const count = slidingWindowCount({ prefix: SIGN_IN_LIMIT_PREFIX, limit: perMinute, windowMs: LIMIT_WINDOW_MS, knownBlocked: blockedUntil }, clientIp, nowMs);
  if (!count.eval) return count.answer();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<Counted>((resolve) => {
    timer = setTimeout(() => resolve({ allowed: true, resetAt: 0 }), SIGN_IN_LIMIT_TIMEOUT_MS);
  });
  try {
    const counted = redis.eval(SLIDING_WINDOW_SCRIPT, count.eval.keys, count.eval.args).then(count.answer);
    return await Promise.race([counted, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- Cached profiles (Redis) ----

export type UserProfile = {
  email: string | null;
  name: string | null;
  picture: string | null;
};

export const profileKey = (userId: string) => `user_profile:${userId}`;

/**
 * Written at sign-in, so `/auth/me` reads it in the auth guard's round trip instead of asking
 * Postgres. `reopen` also lifts the account's closure (at sign-in, where the account is known to be
 * in use). Answers, from the same round trip, the second before which the user's sign-ins are
 * revoked, if any.
 */
export async function cacheProfile(redis: RedisClient, userId: string, profile: UserProfile, ttlSeconds: number, reopen = false) {
  const { email, name, picture } = profile;
  const pipeline = redis.pipeline().set(profileKey(userId), JSON.stringify({ email, name, picture }), { ex: ttlSeconds });
  if (reopen) reopenAccountIn(pipeline, userId, ttlSeconds);
  pipeline.hget(accountStateKey(userId), 'revoked_before');
  const replies = await pipeline.exec();
  const revokedBefore = Number(replies.at(-1));
  return { revokedBefore: Number.isSafeInteger(revokedBefore) && revokedBefore > 0 ? revokedBefore : undefined };
}

// ---- A purged user's keys (Redis) ----

/** The kinds of mail `claimMailSlot` throttles (email-service.ts). */
const MAIL_KINDS = ['verify', 'registered', 'reset'];

/**
 * Every key of the auth feature that names the user or one of their addresses, in the caller's
 * pipeline: the cached profile, the write-limit and sign-in-limit windows still alive (two
 * windows, plus one for a clock that runs ahead), and the mail throttles. Revoked sign-ins
 * (`revoked_signin:{id}`) name neither and expire with the last token they refuse.
 */
export function forgetUserKeysIn(pipeline: RedisPipeline, userId: string, addressDigests: string[], nowMs: number) {
  const current = Math.floor(nowMs / LIMIT_WINDOW_MS);
  const windows = [current - 1, current, current + 1];
  const keys = [
    profileKey(userId),
    ...WRITE_LIMIT_BUCKETS.flatMap((bucket) => windows.map((window) => `${WRITE_LIMIT_PREFIX}:${bucket}:${userId}:${window}`)),
    ...addressDigests.flatMap((digest) => [
      ...windows.map((window) => `${SIGN_IN_LIMIT_PREFIX}:email:${digest}:${window}`),
      ...MAIL_KINDS.map((kind) => mailSlotKey(kind, digest)),
    ]),
  ];
  return pipeline.del(...keys);
}

// ---- Users and identities (Postgres) ----

export type UserRow = UserProfile & { id: string };

/**
 * Where a signing-in user's account stands: in use (null), asked to be deleted and still
 * restorable, or past its grace period (the purge has it; nobody may sign in to it).
 */
export type DeletionState = 'restorable' | 'purging' | null;

/** A user as every sign-in query returns it: the profile and where the account stands. */
export type SignInUser = UserRow & { deletion: DeletionState };

/** The `deletion` column of a sign-in query, for the users row `u`. */
export const deletionState = (u: string) =>
  sql.raw(`case when ${u}.purge_after is null then null when ${u}.purge_after > now() then 'restorable' else 'purging' end as deletion`);

/**
 * What a sign-in refreshes on the user: what the provider says now, keeping what it no longer
 * says, and never a name or picture the user set themselves.
 */
const profileRefresh = ({ email, name, picture }: ProviderProfile) => sql`email = coalesce(${email}, users.email),
  name = case when users.profile_edited then users.name else coalesce(${name}, users.name) end,
  picture = case when users.profile_edited then users.picture else coalesce(${picture}, users.picture) end,
  updated_at = now()`;

/**
 * Takes a user back from deletion, only while the grace period lasts: false when the purge has
 * it already (or it is gone), and the sign-in must be refused. An account a concurrent sign-in
 * restored a moment ago counts as restored.
 */
export async function restoreUser(db: Db, userId: string): Promise<boolean> {
  const result = await db.execute(sql`
    update users set deletion_scheduled_at = null, purge_after = null
    where id = ${userId} and (purge_after is null or purge_after > now())
    returning id`);
  return result.rows.length > 0;
}

/**
 * A returning identity: records what the provider says now and refreshes the user's profile from
 * it, in one statement. Undefined when the identity is new.
 */
export async function refreshIdentity(db: Db, provider: ProviderName, profile: ProviderProfile): Promise<SignInUser | undefined> {
  const { providerId, email, emailVerified } = profile;
  const result = await db.execute<SignInUser>(sql`
    with identity as (
      update user_identities set email = ${email}, email_verified = ${emailVerified}
      where provider = ${provider} and provider_id = ${providerId}
      returning user_id
    )
    update users set ${profileRefresh(profile)}
    from identity where users.id = identity.user_id
    returning users.id, users.email, users.name, users.picture, ${deletionState('users')}`);
  return result.rows[0];
}

/**
 * A new identity, in one atomic statement (neon-http has no interactive transactions): it joins the
 * user who already holds the same address through a verified identity when the provider verified
 * it too, else a new user with `candidateUserId`. The identity goes in first with `on conflict do
 * nothing` and the user row only if it did, so a concurrent first sign-in of the same account
 * never leaves a second user behind; the user's foreign key is checked at the end of the statement.
 * Undefined when that concurrent sign-in won: the identity exists now, and `refreshIdentity` finds it.
 */
export async function createIdentity(
  db: Db,
  provider: ProviderName,
  profile: ProviderProfile,
  candidateUserId: string,
): Promise<SignInUser | undefined> {
  const { providerId, email, emailVerified, name, picture } = profile;
  const result = await db.execute<SignInUser>(sql`
    with linked as (
      select user_id from user_identities
      where ${emailVerified}::boolean and email_verified and lower(email) = lower(${email})
      order by created_at
      limit 1
    ), new_identity as (
      insert into user_identities (provider, provider_id, user_id, email, email_verified)
      select ${provider}, ${providerId}, coalesce((select user_id from linked), ${candidateUserId}), ${email}, ${emailVerified}::boolean
      on conflict (provider, provider_id) do nothing
      returning user_id
    ), new_user as (
      insert into users (id, email, name, picture)
      select user_id, ${email}, ${name}, ${picture} from new_identity where user_id = ${candidateUserId}
      returning id, email, name, picture, null::text as deletion
    ), linked_user as (
      update users set ${profileRefresh(profile)}
      from new_identity where users.id = new_identity.user_id
      returning users.id, users.email, users.name, users.picture, ${deletionState('users')}
    )
    select id, email, name, picture, deletion from new_user
    union all
    select id, email, name, picture, deletion from linked_user`);
  return result.rows[0];
}

export async function findUserProfile(db: Db, userId: string): Promise<UserProfile | undefined> {
  const [row] = await db.select({ email: users.email, name: users.name, picture: users.picture }).from(users).where(eq(users.id, userId));
  return row;
}
