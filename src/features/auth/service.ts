import { z } from 'zod';
import { sha256Hex } from '../../lib/encoding';
import { ApiError, conflict, notFound } from '../../lib/problem';
import { newUuid } from '../../lib/ids';
import { sqlState } from '../../platform/db';
import type { RedisPipeline } from '../../platform/redis';
import type { Services } from '../../platform/services';
import { fetchProviderProfile, providers, type AuthorizationGrant, type ProviderName, type ProviderProfile } from './providers';
import {
  cacheProfile,
  createIdentity,
  findUserProfile,
  forgetUserKeysIn,
  profileKey,
  refreshIdentity,
  restoreUser,
  revokeSignIn,
  takeSignInAttempt,
  type SignInUser,
  type UserProfile,
} from './repository';
import { closeForDeletionIn, leaveTombstoneIn, revokeSignInsBefore } from './account-state';
import { issueToken, verifyToken } from './tokens';

const epochSeconds = () => Math.floor(Date.now() / 1000);

/** Addresses are compared in lower case everywhere (and keyed by digest in Redis, never in clear). */
export const addressDigest = (email: string) => sha256Hex(email.trim().toLowerCase());

/** Refuses a client (an IP, or `email:<digest>` for one address) that has used up its sign-in attempts for the minute. */
export async function countSignInAttempt(services: Services, identifier: string) {
  const { allowed, resetAt } = await takeSignInAttempt(services.redis, identifier, services.config.auth.rateLimitPerMinute);
  if (allowed) return;
  const retryAfter = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
  throw new ApiError('rate_limited', `Too many sign-in attempts; try again in ${retryAfter} seconds`, {
    headers: { 'Retry-After': String(retryAfter) },
  });
}

async function findOrCreateUser(services: Services, provider: ProviderName, profile: ProviderProfile): Promise<SignInUser> {
  const { db } = services;
  const returning = await refreshIdentity(db, provider, profile);
  if (returning) return returning;
  const created = await createIdentity(db, provider, profile, newUuid());
  if (created) return created;
  // A concurrent first sign-in of the same account created the identity between our two statements.
  const raced = await refreshIdentity(db, provider, profile);
  if (raced) return raced;
  // Only if that account's user was deleted in the same instant; a retry starts afresh.
  throw new ApiError('conflict', 'The account changed during sign-in; try again');
}

/**
 * Signs a user in with a provider's authorization code: a new sign-in (its own id, so logout can
 * revoke it and its renewals) whose token the caller puts in the cookie.
 */
export async function signIn(services: Services, provider: ProviderName, grant: AuthorizationGrant) {
  const { auth } = services.config;
  const client = auth.providers[provider];
  // Without a client id the provider can only refuse us, after a round trip to it: say so at once.
  if (!client.clientId) throw notFound(`${providers[provider].label} sign-in is not enabled`);
  const profile = await fetchProviderProfile(providers[provider], client, grant);
  const user = await findOrCreateUser(services, provider, profile);
  return startSignIn(services, user);
}

const beingPurged = () => conflict('This account is being deleted; try again in a few minutes to start a new one');

/**
 * A new sign-in of `user` (its own id, so logout can revoke it and its renewals): the profile is
 * cached for `/auth/me`, and the token is what the caller puts in the cookie. `signInId` is the
 * id to give it, when the caller has already named it (to keep it through a revocation).
 *
 * Signing in to an account waiting to be deleted takes it back, untouched (`restored`); one the
 * purge has reached is refused, so a half-erased account can never be used.
 */
export async function startSignIn(services: Services, user: SignInUser, signInId = newUuid()) {
  const { auth } = services.config;
  if (user.deletion === 'purging') throw beingPurged();
  const restored = user.deletion === 'restorable';
  if (restored && !(await restoreUser(services.db, user.id))) throw beingPurged();
  // Only a deletion closes an account, so an account in use is never closed: lifting the closure on
  // every sign-in also heals one whose restore reached Postgres but not Redis.
  const { revokedBefore } = await cacheProfile(services.redis, user.id, user, auth.maxLifetimeSeconds, true);
  const now = epochSeconds();
  // Revocations are to the second, and reach the end of the second they were made in (see
  // revokeSignInsBefore): a sign-in made after one, even in that second, counts from its end.
  const signedInAt = Math.max(now, revokedBefore ?? 0);
  const { token, expiresAt } = await issueToken(auth.jwtSecret, { userId: user.id, signInId, signedInAt, ttlSeconds: auth.tokenTtlSeconds }, now);
  return { token, maxAgeSeconds: expiresAt - now, restored };
}

/** Puts an edited profile where `/auth/me` reads it (one Upstash call). */
export async function refreshCachedProfile(services: Services, userId: string, profile: UserProfile) {
  await cacheProfile(services.redis, userId, profile, services.config.auth.maxLifetimeSeconds);
}

/** Ends every sign-in of the user made until this second's end, except `keepSignInId` (one Upstash call). */
export async function signOutEverywhereBut(services: Services, userId: string, keepSignInId: string) {
  await revokeSignInsBefore(services.redis, userId, epochSeconds() + 1, services.config.auth.maxLifetimeSeconds, keepSignInId);
}

/** Revokes the sign-in behind a still-valid token; anything else presented is already useless. */
export async function logout(services: Services, token: string | undefined) {
  if (!token) return;
  const { auth } = services.config;
  const verified = await verifyToken(auth.jwtSecret, token, auth.tokenTtlSeconds);
  if (!verified.ok) return;
  const { signInId, signedInAt, expiresAt } = verified.claims;
  // Renewals end at the maximum lifetime; the token's own expiry covers a lifetime shortened since it was issued.
  const lastPossibleExpiry = Math.max(expiresAt, signedInAt + auth.maxLifetimeSeconds);
  await revokeSignIn(services.redis, signInId, lastPossibleExpiry - epochSeconds());
}

/** The Redis keys `/auth/me` has the auth guard read in its round trip. */
export const profilePrefetch = (userId: string) => [profileKey(userId)];

const CachedProfile = z.object({ email: z.string().nullable(), name: z.string().nullable(), picture: z.string().nullable() });

function parseCachedProfile(cached: string | null | undefined): UserProfile | undefined {
  if (!cached) return undefined;
  try {
    const parsed = CachedProfile.safeParse(JSON.parse(cached));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The signed-in user's profile, from the cache the auth guard already read. On a miss (a token
 * from before the cache, or an expired entry) it reads Postgres once and caches the answer. Like
 * the original backend, a valid token whose user row is gone still gets an answer, with no profile.
 */
export async function currentProfile(services: Services, userId: string, cached: string | null | undefined): Promise<UserProfile> {
  const hit = parseCachedProfile(cached);
  if (hit) return hit;
  const stored = await findUserProfile(services.db, userId);
  if (!stored) return { email: null, name: null, picture: null };
  await cacheProfile(services.redis, userId, stored, services.config.auth.maxLifetimeSeconds);
  return stored;
}

// ---- Leaving (for the account feature, whose pipelines these join) ----

/** Signs the user out everywhere for their deletion: the account is closed, every token refused, the cached profile dropped. */
export function closeForDeletion(pipeline: RedisPipeline, userId: string) {
  closeForDeletionIn(pipeline, userId, epochSeconds());
  return pipeline.del(profileKey(userId));
}

/** For the purge: every auth key of the user and of their addresses goes, and only a closure that expires is left. */
export async function eraseAuthKeys(services: Services, pipeline: RedisPipeline, userId: string, emails: string[], nowMs: number) {
  forgetUserKeysIn(pipeline, userId, await Promise.all(emails.map(addressDigest)), nowMs);
  leaveTombstoneIn(pipeline, userId, services.config.auth.maxLifetimeSeconds);
}
