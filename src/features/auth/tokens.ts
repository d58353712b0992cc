import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { sha256Hex } from '../../lib/encoding';

/**
 * Access tokens: HS256 JWTs signed with JWT_SECRET. Claims are `sub`, `exp`, `iat`, `jti` and
 * `sid` (the sign-in this token descends from, shared by every renewal so logout can revoke the
 * whole chain) and `sia` (when that sign-in happened, to cap renewals). Tokens from the original
 * backend carry only `{sub, exp}`; they are accepted and treated as their own sign-in. Claims are
 * checked strictly: `sub` is a UUID and `exp` no further out than one token lifetime.
 */
export interface TokenClaims {
  userId: string;
  expiresAt: number;
  signInId: string;
  signedInAt: number;
}

export type TokenRejection = 'Invalid token' | 'Invalid token payload';

const encoder = new TextEncoder();
const keyFor = (secret: string) => encoder.encode(secret);

export async function issueToken(
  secret: string,
  claims: { userId: string; signInId: string; signedInAt: number; ttlSeconds: number },
  now = Math.floor(Date.now() / 1000),
): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = now + claims.ttlSeconds;
  const token = await new SignJWT({ sid: claims.signInId, sia: claims.signedInAt })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .setJti(crypto.randomUUID())
    .sign(keyFor(secret));
  return { token, expiresAt };
}

/**
 * What a user id looks like: the original backend's `str(uuid4())` and ours. Anything else (a NUL
 * byte Postgres refuses in text, a 10 kB string) is no user, refused before it reaches a query.
 */
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Sign-in ids are ours (UUIDs); they become Redis keys. */
const SIGN_IN_ID = USER_ID;
/** Clocks of the machines that signed a token may run a little ahead of ours. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * No token is ever issued for longer than the token lifetime, so an `exp` further out (`1e308`,
 * which Redis then refuses as a TTL) was not issued by a backend sharing our secret's rules.
 */
function plausibleExpiry(exp: unknown, ttlSeconds: number): exp is number {
  return Number.isSafeInteger(exp) && (exp as number) <= Math.floor(Date.now() / 1000) + ttlSeconds + CLOCK_SKEW_SECONDS;
}

/** Verifies signature, algorithm (HS256 only, so `alg: none` is refused) and expiry with no leeway. */
export async function verifyToken(
  secret: string,
  token: string,
  tokenTtlSeconds: number,
): Promise<{ ok: true; claims: TokenClaims } | { ok: false; reason: TokenRejection }> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keyFor(secret), { algorithms: ['HS256'], clockTolerance: 0 }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return { ok: false, reason: 'Invalid token' };
    throw error;
  }
  const { sub, exp, sid, sia } = payload;
  if (sub === undefined || sub === null) return { ok: false, reason: 'Invalid token payload' };
  if (typeof sub !== 'string' || !USER_ID.test(sub) || !plausibleExpiry(exp, tokenTtlSeconds)) return { ok: false, reason: 'Invalid token' };
  const legacy = typeof sid !== 'string' || typeof sia !== 'number';
  if (!legacy && !(SIGN_IN_ID.test(sid) && Number.isSafeInteger(sia) && (sia as number) <= exp)) return { ok: false, reason: 'Invalid token' };
  return {
    ok: true,
    claims: {
      userId: sub,
      expiresAt: exp,
      signInId: legacy ? `legacy:${await sha256Hex(token)}` : (sid as string),
      signedInAt: legacy ? exp - tokenTtlSeconds : (sia as number),
    },
  };
}
