import type { RedisClient } from '../../platform/redis';

const revokedKey = (signInId: string) => `revoked_signin:${signInId}`;

/**
 * One round trip: whether the sign-in is revoked, plus any keys the route wants read at the same
 * time (the revocation check rides along with the route's own Redis reads).
 */
export async function readRevocationAnd(redis: RedisClient, signInId: string, keys: string[]) {
  const pipeline = redis.pipeline().exists(revokedKey(signInId));
  for (const key of keys) pipeline.get(key);
  const [revoked, ...values] = (await pipeline.exec()) as [number, ...(string | null)[]];
  return { revoked: revoked === 1, values };
}

/** Remembers a revoked sign-in for as long as any token of it could still be presented. */
export async function revokeSignIn(redis: RedisClient, signInId: string, ttlSeconds: number) {
  await redis.set(revokedKey(signInId), '1', { ex: Math.max(1, Math.ceil(ttlSeconds)) });
}
