import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { clearAuthCookie, setAuthCookie } from './cookie';
import { assertSameSiteIntent, presentedToken } from './guard';
import type { AuthorizationGrant, ProviderName } from './providers';
import type * as routes from './routes';
import * as emailService from './email-service';
import { mailLanguage } from './mails';
import * as service from './service';

type SignedIn = { token: string; maxAgeSeconds: number; restored: boolean };

async function completeSignIn(c: Context<AppEnv>, provider: ProviderName, grant: AuthorizationGrant) {
  return setSignInCookie(c, await service.signIn(c.get('services'), provider, grant));
}

/** Sets the session cookie and returns what every sign-in answer adds to its message: `restored` when it took the account back from deletion. */
function setSignInCookie(c: Context<AppEnv>, signedIn: SignedIn) {
  setAuthCookie(c, signedIn.token, signedIn.maxAgeSeconds, c.get('services').config.auth.cookieSecure);
  return signedIn.restored ? { restored: true as const } : {};
}

export const googleCallback: RouteHandler<typeof routes.googleCallback, AppEnv> = async (c) => {
  const restored = await completeSignIn(c, 'google', c.req.valid('json'));
  return c.json({ message: 'Google callback success', ...restored }, 200);
};

export const kakaoCallback: RouteHandler<typeof routes.kakaoCallback, AppEnv> = async (c) => {
  const restored = await completeSignIn(c, 'kakao', c.req.valid('json'));
  return c.json({ message: 'Kakao callback success', ...restored }, 200);
};

export const naverCallback: RouteHandler<typeof routes.naverCallback, AppEnv> = async (c) => {
  const restored = await completeSignIn(c, 'naver', c.req.valid('json'));
  return c.json({ message: 'Naver callback success', ...restored }, 200);
};

export const logout: RouteHandler<typeof routes.logout, AppEnv> = async (c) => {
  const presented = presentedToken(c);
  // Refused before revoking anything, so a cross-site page cannot sign the user out.
  if (presented?.via === 'cookie') assertSameSiteIntent(c);
  const services = c.get('services');
  await service.logout(services, presented?.token);
  clearAuthCookie(c, services.config.auth.cookieSecure);
  return c.json({ message: 'Logged out' }, 200);
};

export const me: RouteHandler<typeof routes.me, AppEnv> = async (c) => {
  const { userId } = c.get('caller');
  const [cachedProfile] = c.get('prefetched');
  const profile = await service.currentProfile(c.get('services'), userId, cachedProfile);
  return c.json({ user_id: userId, ...profile }, 200);
};

// ---- Email and password accounts ----

export const emailRegister: RouteHandler<typeof routes.emailRegister, AppEnv> = async (c) => {
  const { language, ...input } = c.req.valid('json');
  await emailService.register(c.get('services'), { ...input, language: mailLanguage(language, c.req.header('Accept-Language')) });
  return c.json({ message: 'Check your mail for a link to confirm your address' }, 202);
};

export const emailVerify: RouteHandler<typeof routes.emailVerify, AppEnv> = async (c) => {
  const restored = setSignInCookie(c, await emailService.verifyEmail(c.get('services'), c.req.valid('json').token));
  return c.json({ message: 'Email verification success', ...restored }, 200);
};

export const emailLogin: RouteHandler<typeof routes.emailLogin, AppEnv> = async (c) => {
  const restored = setSignInCookie(c, await emailService.emailLogin(c.get('services'), c.req.valid('json'), c.req.header('Accept-Language')));
  return c.json({ message: 'Email login success', ...restored }, 200);
};

export const forgotPassword: RouteHandler<typeof routes.forgotPassword, AppEnv> = async (c) => {
  const { email, language } = c.req.valid('json');
  await emailService.forgotPassword(c.get('services'), email, mailLanguage(language, c.req.header('Accept-Language')));
  return c.json({ message: 'If the address has an account, a reset link is on its way' }, 202);
};

export const resetPassword: RouteHandler<typeof routes.resetPassword, AppEnv> = async (c) => {
  const restored = setSignInCookie(c, await emailService.resetPassword(c.get('services'), c.req.valid('json')));
  return c.json({ message: 'Password reset success', ...restored }, 200);
};

export const changePassword: RouteHandler<typeof routes.changePassword, AppEnv> = async (c) => {
  await emailService.changePassword(c.get('services'), c.get('caller'), c.req.valid('json'));
  return c.json({ message: 'Password changed' }, 200);
};
