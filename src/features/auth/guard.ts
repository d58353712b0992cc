import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { WriteLimitBucket } from '../../env';
import type { AppEnv, Caller } from '../../http/app-env';
import { holdClaim, idempotencyOf, settleIdempotency } from '../../http/idempotency';
import { markAuthGuard } from '../../http/openapi';
import { ApiError } from '../../lib/problem';
import { AUTH_COOKIE, setAuthCookie } from './cookie';
import { accountRefusal, type AccountState } from './account-state';
import { checkSignIn } from './repository';
import { issueToken, verifyToken } from './tokens';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WRITE_LIMIT_WINDOW_SECONDS = 60;

/** The token a request carries: a bearer header wins over the cookie. */
export function presentedToken(c: Context<AppEnv>): { token: string; via: Caller['via'] } | undefined {
  const authorization = c.req.header('Authorization');
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return { token: bearer, via: 'bearer' };
  const cookie = getCookie(c, AUTH_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : undefined;
}

function requestOrigin(c: Context<AppEnv>): string | undefined {
  const origin = c.req.header('Origin');
  if (origin) return origin;
  const referer = c.req.header('Referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/** A cookie rides along with any cross-site request, so state changes must come from our own web origins. */
export function assertSameSiteIntent(c: Context<AppEnv>) {
  if (!UNSAFE_METHODS.has(c.req.method)) return;
  const origin = requestOrigin(c);
  if (!origin || !c.get('services').config.allowedOrigins.includes(origin)) {
    throw new ApiError('forbidden', 'Cross-site request refused: the Origin is not allowed');
  }
}

/**
 * Renews a token in its last minutes, so a focus session is never interrupted by a logout, up to
 * the sign-in's maximum lifetime; then the user signs in again. Cookie clients get a fresh cookie,
 * bearer clients the token in `X-New-Token`.
 */
async function renewIfExpiring(c: Context<AppEnv>, caller: Caller) {
  const { auth } = c.get('services').config;
  const now = Math.floor(Date.now() / 1000);
  if (caller.expiresAt - now > auth.renewWithinSeconds) return;
  const lifetimeLeft = caller.signedInAt + auth.maxLifetimeSeconds - now;
  if (lifetimeLeft <= 0) return;
  const { token, expiresAt } = await issueToken(
    auth.jwtSecret,
    { userId: caller.userId, signInId: caller.signInId, signedInAt: caller.signedInAt, ttlSeconds: Math.min(auth.tokenTtlSeconds, lifetimeLeft) },
    now,
  );
  // Each client gets the token where it keeps it: an HttpOnly cookie never shows it to page script.
  if (caller.via === 'cookie') setAuthCookie(c, token, expiresAt - now, auth.cookieSecure);
  else c.header('X-New-Token', token);
}

export interface GuardOptions {
  /** Redis keys the route needs, read in the guard's round trip: they land in `c.var.prefetched`. */
  prefetch?: (userId: string) => string[];
  /** Counts the request against the caller's per-minute limit of this kind of write (429 beyond). */
  writeLimit?: WriteLimitBucket;
}

function tooManyWrites(bucket: WriteLimitBucket, resetAt: number) {
  const retryAfter = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
  return new ApiError('rate_limited', `Too many ${bucket} writes; try again in ${retryAfter} seconds`, {
    headers: { 'Retry-After': String(retryAfter) },
  });
}

/** The one place a checked sign-in is refused: revoked, or its account closed, revoked wholesale or suspended. */
function refusalOf(checked: { revoked: boolean; account: AccountState }, caller: Caller): ApiError | undefined {
  if (checked.revoked) return new ApiError('unauthorized', 'Invalid token');
  return accountRefusal(checked.account, caller, Math.floor(Date.now() / 1000));
}

/**
 * Throws away what the route answered, headers included, so the error rendered next replaces it:
 * a streamed body stops reading, and the context takes headers again (an error such as a 503
 * carries its own, and Hono refuses new headers on a finalized context whose response is gone).
 */
function discardAnswer(c: Context<AppEnv>) {
  void c.res?.body?.cancel().catch(() => undefined);
  c.res = undefined;
  c.finalized = false;
}

/**
 * Route-level guard (declared per route, so unknown paths stay 404 and credentials are checked
 * before the body is validated). Verifying costs no Postgres call and one Upstash round trip,
 * which also carries the `prefetch` reads, the `writeLimit` count and, for a write sent with an
 * `Idempotency-Key`, its claim (http/idempotency.ts: a retry still running is 409 here; the
 * replay is decided after the route's body limit, and the answer kept when the route is done).
 *
 * A read (GET without prefetch) does not wait for that round trip: the route's own query runs at
 * the same time, so at the edge the read costs one round trip of latency instead of two. When the
 * sign-in turns out revoked, whatever the route produced is discarded and the answer is 401.
 * Writes, and routes that need the prefetched keys, wait for the check before they run.
 */
export function authenticate(options: GuardOptions = {}) {
  return markAuthGuard(createMiddleware<AppEnv>(async (c, next) => {
    const presented = presentedToken(c);
    if (!presented) throw new ApiError('unauthorized', 'Authentication required');
    const { config, redis } = c.get('services');
    const verified = await verifyToken(config.auth.jwtSecret, presented.token, config.auth.tokenTtlSeconds);
    if (!verified.ok) throw new ApiError('unauthorized', verified.reason);
    if (presented.via === 'cookie') assertSameSiteIntent(c);

    const { claims } = verified;
    const bucket = options.writeLimit;
    const idempotency = await idempotencyOf(c, claims.userId);
    const check = checkSignIn(
      redis,
      claims,
      options.prefetch?.(claims.userId) ?? [],
      bucket && { bucket, userId: claims.userId, limit: config.auth.writeLimitsPerMinute[bucket], windowSeconds: WRITE_LIMIT_WINDOW_SECONDS },
      idempotency?.key,
    );
    const caller: Caller = { ...claims, via: presented.via };
    c.set('caller', caller);

    if (c.req.method === 'GET' && !options.prefetch && !bucket) {
      c.set('prefetched', []);
      // Both settle before anything is decided, so no route work outlives the answer. The route's
      // own errors were answered by onError already; the check decides last.
      const [checked, handled] = await Promise.allSettled([check, next()]);
      const refusal = checked.status === 'rejected' ? checked.reason : refusalOf(checked.value, caller);
      if (refusal) {
        discardAnswer(c);
        throw refusal;
      }
      if (handled.status === 'rejected') throw handled.reason;
    } else {
      const checked = await check;
      const { values, limited, claim } = checked;
      // A key claimed here is settled whatever happens next: kept, or released for a retry.
      if (idempotency && claim?.state === 'claimed') c.set('idempotency', { ...idempotency, claim });
      try {
        const refusal = refusalOf(checked, caller);
        if (refusal) throw refusal;
        if (limited && bucket) throw tooManyWrites(bucket, limited.resetAt);
        if (idempotency && claim) holdClaim(c, idempotency, claim);
        c.set('prefetched', values);
        await next();
      } catch (error) {
        await settleIdempotency(c, true);
        throw error;
      }
      await settleIdempotency(c);
    }
    await renewIfExpiring(c, caller);
  }));
}

export const requireAuth = authenticate();
