import { createRoute, type z } from '@hono/zod-openapi';
import { authSecurity, jsonBody, problemResponses } from '../../http/openapi';
import { authenticate, requireAuth } from './guard';
import type { ProviderName } from './providers';
import { limitSignInAttempts } from './rate-limit';
import { AuthorizationCodeSchema, MeSchema, MessageSchema, NaverAuthorizationCodeSchema, UserResponseSchema } from './schemas';
import { profilePrefetch } from './service';


const cookieHeader = (description: string) => ({ 'Set-Cookie': { description, schema: { type: 'string' as const } } });
const setsSessionCookie = cookieHeader('omood_at=<jwt>; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=None');
const clearsSessionCookie = cookieHeader('omood_at=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=None');

function callback<P extends ProviderName, S extends z.ZodType>(provider: P, label: string, body: S) {
  return createRoute({
    method: 'post',
    path: `/auth/${provider}/callback` as `/auth/${P}/callback`,
    tags: ['auth'],
    summary: `Sign in with ${label}`,
    description: `Exchanges the ${label} authorization code, signs the user in (creating or linking the account) and sets the session cookie. Rate-limited per client IP.`,
    middleware: [limitSignInAttempts] as const,
    request: { body: { content: { 'application/json': { schema: body } }, required: true } },
    responses: {
      200: { ...jsonBody(MessageSchema, 'Signed in; the session cookie is set'), headers: setsSessionCookie },
      ...problemResponses('bad_request', 'not_found', 'conflict', 'validation_failed', 'rate_limited', 'bad_gateway'),
    },
  });
}

export const googleCallback = callback('google', 'Google', AuthorizationCodeSchema);
export const kakaoCallback = callback('kakao', 'Kakao', AuthorizationCodeSchema);
export const naverCallback = callback('naver', 'Naver', NaverAuthorizationCodeSchema);

export const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Sign out: clear the cookie and revoke the presented token',
  description: 'Needs no credentials. A valid token (cookie or bearer) is revoked with its renewals, everywhere.',
  security: [{}, ...authSecurity],
  responses: {
    200: { ...jsonBody(MessageSchema, 'Signed out'), headers: clearsSessionCookie },
    ...problemResponses('forbidden'),
  },
});

export const me = createRoute({
  method: 'get',
  path: '/auth/me',
  tags: ['auth'],
  summary: 'Who is signed in',
  description: "The profile is cached at sign-in and read in the credential check's Redis round trip; Postgres is asked only on a cache miss.",
  middleware: [authenticate({ prefetch: profilePrefetch })] as const,
  responses: { 200: jsonBody(MeSchema), ...problemResponses('unauthorized') },
});

export const userMe = createRoute({
  method: 'get',
  path: '/user/me',
  tags: ['users'],
  summary: 'The signed-in user',
  middleware: [requireAuth] as const,
  responses: { 200: jsonBody(UserResponseSchema), ...problemResponses('unauthorized', 'not_found') },
});
