import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';

export const AUTH_COOKIE = 'omood_at';

/**
 * Contract §2.3: `HttpOnly; Max-Age; Path=/; SameSite=None; Secure` for a cross-site web client.
 * With COOKIE_SECURE=false (local http) browsers refuse SameSite=None without Secure, so Lax.
 */
const attributes = (secure: boolean) =>
  ({ httpOnly: true, path: '/', secure, sameSite: secure ? 'None' : 'Lax' }) as const;

export function setAuthCookie(c: Context, token: string, maxAgeSeconds: number, secure: boolean) {
  setCookie(c, AUTH_COOKIE, token, { ...attributes(secure), maxAge: Math.max(0, Math.floor(maxAgeSeconds)) });
}

export function clearAuthCookie(c: Context, secure: boolean) {
  deleteCookie(c, AUTH_COOKIE, attributes(secure));
}
