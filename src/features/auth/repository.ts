import { Ratelimit } from '@upstash/ratelimit';
import { eq, sql } from 'drizzle-orm';
import { users } from '../../db/schema';
import type { Db } from '../../platform/db';
import type { RedisClient } from '../../platform/redis';
import type { ProviderName, ProviderProfile } from './providers';
import { accountStateKey, parseAccountState } from './account-state';

// ---- Revocation (Redis) ----

const revokedKey = (signInId: string) => `revoked_signin:${signInId}`;

/** A per-user write limit the guard counts in its round trip: `limit` writes per window. */
export type WriteLimitCheck = { bucket: string; userId: string; limit: number; windowSeconds: number };

/**
 * One round trip: whether the sign-in is revoked, the account's state (closed, tokens revoked
 * wholesale, suspended: see account-state.ts), one count against a write limit, and any keys
 * the route wants read at the same time (the check rides along with the route's own Redis reads).
 */
export async function checkSignIn(redis: RedisClient, caller: { signInId: string; userId: string }, keys: string[], writeLimit?: WriteLimitCheck) {
  const pipeline = redis.pipeline().exists(revokedKey(caller.signInId)).hgetall(accountStateKey(caller.userId));
  const count = writeLimit ? await countInPipeline(pipeline, writeLimit) : undefined;
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
  const counted = await count?.answer(countReply);
  return {
    revoked: revoked === 1,
    account: parseAccountState(accountState),
    values: rest as (string | null)[],
    limited: counted && !counted.success ? { resetAt: counted.reset } : undefined,
  };
}

type Pipeline = ReturnType<RedisClient['pipeline']>;

/** Write limits this isolate has seen exhausted, until their window resets (no Redis call for those). */
const exhaustedUntil = new Map<string, number>();

/**
 * Counts one write with @upstash/ratelimit's sliding window, inside `pipeline` rather than in a
 * round trip of its own. The library sends its script with EVALSHA and, when Redis answers
 * NOSCRIPT, with EVAL; the Redis it is given here answers every EVALSHA with NOSCRIPT, so the
 * library hands over script, keys and arguments, which go into the pipeline as one EVAL, and the
 * library gets the pipeline's reply for it. Its own rules (windows, keys, cache) stay the library's.
 */
async function countInPipeline(pipeline: Pipeline, check: WriteLimitCheck) {
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
    prefix: `ratelimit:writes:${check.bucket}`,
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
    prefix: 'ratelimit:sign-in',
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

/** Written at sign-in, so `/auth/me` reads it in the auth guard's round trip instead of asking Postgres. */
export async function cacheProfile(redis: RedisClient, userId: string, profile: UserProfile, ttlSeconds: number) {
  const { email, name, picture } = profile;
  await redis.set(profileKey(userId), JSON.stringify({ email, name, picture }), { ex: ttlSeconds });
}

// ---- Users and identities (Postgres) ----

export type UserRow = UserProfile & { id: string };

/** What a sign-in refreshes on the user: what the provider says now, keeping what it no longer says. */
const profileRefresh = ({ email, name, picture }: ProviderProfile) =>
  sql`email = coalesce(${email}, users.email), name = coalesce(${name}, users.name), picture = coalesce(${picture}, users.picture), updated_at = now()`;

/**
 * A returning identity: records what the provider says now and refreshes the user's profile from
 * it, in one statement. Undefined when the identity is new.
 */
export async function refreshIdentity(db: Db, provider: ProviderName, profile: ProviderProfile): Promise<UserRow | undefined> {
  const { providerId, email, emailVerified } = profile;
  const result = await db.execute<UserRow>(sql`
    with identity as (
      update user_identities set email = ${email}, email_verified = ${emailVerified}
      where provider = ${provider} and provider_id = ${providerId}
      returning user_id
    )
    update users set ${profileRefresh(profile)}
    from identity where users.id = identity.user_id
    returning users.id, users.email, users.name, users.picture`);
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
): Promise<UserRow | undefined> {
  const { providerId, email, emailVerified, name, picture } = profile;
  const result = await db.execute<UserRow>(sql`
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
      returning id, email, name, picture
    ), linked_user as (
      update users set ${profileRefresh(profile)}
      from new_identity where users.id = new_identity.user_id
      returning users.id, users.email, users.name, users.picture
    )
    select id, email, name, picture from new_user
    union all
    select id, email, name, picture from linked_user`);
  return result.rows[0];
}

export async function findUserProfile(db: Db, userId: string): Promise<UserProfile | undefined> {
  const [row] = await db.select({ email: users.email, name: users.name, picture: users.picture }).from(users).where(eq(users.id, userId));
  return row;
}

export type UserWithFirstIdentity = UserRow & { provider: string | null; provider_id: string | null };

/** The user and the identity it was first signed in with (null for users that predate identities). */
export async function findUserWithFirstIdentity(db: Db, userId: string): Promise<UserWithFirstIdentity | undefined> {
  const result = await db.execute<UserWithFirstIdentity>(sql`
    select u.id, u.email, u.name, u.picture, first_identity.provider, first_identity.provider_id
    from users u
    left join lateral (
      select provider, provider_id from user_identities
      where user_id = u.id
      order by created_at, provider, provider_id
      limit 1
    ) first_identity on true
    where u.id = ${userId}`);
  return result.rows[0];
}
