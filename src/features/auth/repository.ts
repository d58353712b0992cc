import { Ratelimit } from '@upstash/ratelimit';
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
  const count = writeLimit ? await countInPipeline(pipeline, writeLimit) : undefined;
  if (idempotencyKey) claimIn(pipeline, idempotencyKey);
  for (const key of keys) pipeline.get(key);
  let replies: unknown[];
  try {
    replies = await pipeline.exec();
  } catch (error) {
    count?.fail(error);
    throw error;
  }
  const [revoked, accountState, ...rest] = replies as [number, unknown, ...unknown[]];
  const countReply = count?.queued ? rest.shift() : undefined;
  const claim = idempotencyKey ? claimOf(rest.shift()) : undefined;
  const counted = await count?.answer(countReply);
  return {
    revoked: revoked === 1,
    account: parseAccountState(accountState),
    claim,
    values: rest as (string | null)[],
    limited: counted && !counted.success ? { resetAt: counted.reset } : undefined,
  };
}

/** Write limits this isolate has seen exhausted, until their window resets (no Redis call for those). */
const exhaustedUntil = new Map<string, number>();

/**
 * Counts one write with @upstash/ratelimit's sliding window, inside `pipeline` rather than in a
 * round trip of its own. The library sends its script with EVALSHA and, when Redis answers
 * NOSCRIPT, with EVAL; the Redis it is given here answers every EVALSHA with NOSCRIPT, so the
 * library hands over script, keys and arguments, which go into the pipeline as one EVAL, and the
 * library gets the pipeline's reply for it. Its own rules (windows, keys, cache) stay the library's.
 */
async function countInPipeline(pipeline: RedisPipeline, check: WriteLimitCheck) {
  let handOver!: () => void;
  const handedOver = new Promise<void>((resolve) => (handOver = resolve));
  let settle!: { resolve: (value: unknown) => void; reject: (error: unknown) => void };
  const reply = new Promise<unknown>((resolve, reject) => (settle = { resolve, reject }));
  const deferred = {
    evalsha: () => Promise.reject(new Error('NOSCRIPT: sent with EVAL in the auth pipeline')),
    eval: (script: string, keys: string[], args: unknown[]) => {
      pipeline.eval(script, keys, args);
      handOver();
      return reply;
    },
  };
  const limiter = new Ratelimit({
    redis: deferred as unknown as RedisClient,
    limiter: Ratelimit.slidingWindow(check.limit, `${check.windowSeconds} s`),
    prefix: `${WRITE_LIMIT_PREFIX}:${check.bucket}`,
    ephemeralCache: exhaustedUntil,
    enableTelemetry: false,
    // The pipeline has the client's deadline; a timeout here would let writes through uncounted.
    timeout: 0,
  });
  const result = limiter.limit(check.userId);
  // A failed pipeline is reported by checkSignIn; the library's echo of it is not news.
  result.catch(() => {});
  // Either the library queued its EVAL, or its cache already knew the answer (nothing queued).
  const queued = await Promise.race([handedOver.then(() => true), result.then(() => false, () => false)]);
  return {
    queued,
    answer: (value: unknown) => {
      settle.resolve(value);
      return result;
    },
    fail: (error: unknown) => settle.reject(error),
  };
}

/** Remembers a revoked sign-in for as long as any token of it could still be presented. */
export async function revokeSignIn(redis: RedisClient, signInId: string, ttlSeconds: number) {
  await redis.set(revokedKey(signInId), '1', { ex: Math.max(1, Math.ceil(ttlSeconds)) });
}

// ---- Sign-in attempts (Redis) ----

/**
 * Identifiers this isolate has seen blocked, until their window resets: repeat offenders are
 * refused without a Redis call. Module-level because a limiter is built per request (it needs the
 * request's Redis client) while the cache is only useful if it outlives the request.
 */
const blockedUntil = new Map<string, number>();

/**
 * Counts one sign-in attempt from `clientIp` in a sliding 60-second window. One Upstash call
 * (EVALSHA of the library's script). Fails open after the library's 5 s timeout, so a slow Redis
 * delays sign-in but never blocks it.
 */
export async function takeSignInAttempt(redis: RedisClient, clientIp: string, perMinute: number) {
  const limiter = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(perMinute, '60 s'),
    prefix: SIGN_IN_LIMIT_PREFIX,
    ephemeralCache: blockedUntil,
    enableTelemetry: false,
  });
  const { success, reset } = await limiter.limit(clientIp);
  return { allowed: success, resetAt: reset };
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

/** Both limiters count in 60-second windows keyed `{prefix}:{identifier}:{window}` (@upstash/ratelimit's sliding window). */
const LIMIT_WINDOW_MS = 60_000;
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
