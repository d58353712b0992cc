import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';

/**
 * Access tokens: HS256 JWTs signed with JWT_SECRET. Claims are `sub`, `exp`, `iat`, `jti` and
 * `sid` (the sign-in this token descends from, shared by every renewal so logout can revoke the
 * whole chain) and `sia` (when that sign-in happened, to cap renewals). Tokens from the original
 * backend carry only `{sub, exp}`; they are accepted and treated as their own sign-in.
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

async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(value));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Verifies signature, algorithm (HS256 only, so `alg: none` is refused) and expiry with no leeway. */
export async function verifyToken(
  secret: string,
  token: string,
  legacyTtlSeconds: number,
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
  if (typeof sub !== 'string' || sub.length === 0 || typeof exp !== 'number') return { ok: false, reason: 'Invalid token' };
  const legacy = typeof sid !== 'string' || typeof sia !== 'number';
  return {
    ok: true,
    claims: {
      userId: sub,
      expiresAt: exp,
      signInId: legacy ? `legacy:${await sha256Hex(token)}` : (sid as string),
      signedInAt: legacy ? exp - legacyTtlSeconds : (sia as number),
    },
  };
}
