import { createRoute, type z } from '@hono/zod-openapi';
import { authSecurity, jsonBody, jsonRequest, problemResponses } from '../../http/openapi';
import { authenticate, requireAuth } from './guard';
import type { ProviderName } from './providers';
import { limitSignInAttempts } from './rate-limit';
import {
  AuthorizationCodeSchema,
  ChangePasswordSchema,
  EmailLoginSchema,
  EmailTokenSchema,
  ForgotPasswordSchema,
  MeSchema,
  MessageSchema,
  NaverAuthorizationCodeSchema,
  RegisterSchema,
  ResetPasswordSchema,
  SignedInSchema,
} from './schemas';
import { profilePrefetch } from './service';


const cookieHeader = (description: string) => ({ 'Set-Cookie': { description, schema: { type: 'string' as const } } });
const setsSessionCookie = cookieHeader('omood_at=<jwt>; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=None');
const clearsSessionCookie = cookieHeader('omood_at=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=None');

/** What every way of signing in answers: the Google callback's `{message}` and the session cookie. */
const signsIn = (description = 'Signed in; the session cookie is set') => ({ 200: { ...jsonBody(SignedInSchema, description), headers: setsSessionCookie } });

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
      ...signsIn(),
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

// ---- Email and password accounts ----

/** Answered whatever the address: whether it has an account is not for the caller to learn. */
const accepted = (description: string) => ({ 202: jsonBody(MessageSchema, description) });

export const emailRegister = createRoute({
  method: 'post',
  path: '/auth/email/register',
  tags: ['auth'],
  summary: 'Sign up with an email address and a password',
  description:
    'Mails a verification link (valid 24 hours). The answer is the same when the address already has an account, which gets a "you already have an account" mail instead. Rate-limited per client IP; at most one mail per address a minute.',
  middleware: [limitSignInAttempts] as const,
  request: jsonRequest(RegisterSchema),
  responses: { ...accepted('Check your mail'), ...problemResponses('validation_failed', 'rate_limited') },
});

export const emailVerify = createRoute({
  method: 'post',
  path: '/auth/email/verify',
  tags: ['auth'],
  summary: 'Follow the verification link: the account is created and signed in',
  description: 'Answers as the Google callback does (body and session cookie). A token works once, for 24 hours; then 400.',
  middleware: [limitSignInAttempts] as const,
  request: jsonRequest(EmailTokenSchema),
  responses: {
    ...signsIn(),
    ...problemResponses('bad_request', 'conflict', 'validation_failed', 'rate_limited'),
  },
});

export const emailLogin = createRoute({
  method: 'post',
  path: '/auth/email/login',
  tags: ['auth'],
  summary: 'Sign in with an email address and a password',
  description:
    'Answers as the Google callback does. A wrong password and an unknown address are the same 401. An address not yet verified is 403 (`email-not-verified`) and gets its link again. Limited per address and per client IP.',
  middleware: [limitSignInAttempts] as const,
  request: jsonRequest(EmailLoginSchema),
  responses: {
    ...signsIn(),
    ...problemResponses('unauthorized', 'email_not_verified', 'conflict', 'validation_failed', 'rate_limited'),
  },
});

export const forgotPassword = createRoute({
  method: 'post',
  path: '/auth/password/forgot',
  tags: ['auth'],
  summary: 'Ask for a password reset link',
  description: 'Always 202; the address gets a reset link (valid 1 hour) only when it has an email account.',
  middleware: [limitSignInAttempts] as const,
  request: jsonRequest(ForgotPasswordSchema),
  responses: { ...accepted('If the address has an account, a link is on its way'), ...problemResponses('validation_failed', 'rate_limited') },
});

export const resetPassword = createRoute({
  method: 'post',
  path: '/auth/password/reset',
  tags: ['auth'],
  summary: 'Set a new password from the reset link',
  description: 'Signs out every device, then signs this one in as the Google callback does. A token works once, for 1 hour; then 400.',
  middleware: [limitSignInAttempts] as const,
  request: jsonRequest(ResetPasswordSchema),
  responses: {
    ...signsIn('Signed in with the new password; the session cookie is set'),
    ...problemResponses('bad_request', 'conflict', 'validation_failed', 'rate_limited'),
  },
});

export const changePassword = createRoute({
  method: 'put',
  path: '/user/me/password',
  tags: ['users'],
  summary: 'Change the password',
  description: 'Every other sign-in of the user ends; the calling one goes on. A wrong current password is 422 naming `body.current_password` (never 401, which signs the client out).',
  middleware: [requireAuth] as const,
  request: jsonRequest(ChangePasswordSchema),
  responses: { 200: jsonBody(MessageSchema, 'Changed'), ...problemResponses('unauthorized', 'validation_failed') },
});
