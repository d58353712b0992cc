import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../http/app-env';
import { clearAuthCookie, setAuthCookie } from './cookie';
import { assertSameSiteIntent, presentedToken } from './guard';
import type { AuthorizationGrant, ProviderName } from './providers';
import type * as routes from './routes';
import * as service from './service';

async function completeSignIn(c: Context<AppEnv>, provider: ProviderName, grant: AuthorizationGrant) {
  const services = c.get('services');
  const { token, maxAgeSeconds } = await service.signIn(services, provider, grant);
  setAuthCookie(c, token, maxAgeSeconds, services.config.auth.cookieSecure);
}

export const googleCallback: RouteHandler<typeof routes.googleCallback, AppEnv> = async (c) => {
  await completeSignIn(c, 'google', c.req.valid('json'));
  return c.json({ message: 'Google callback success' }, 200);
};

export const kakaoCallback: RouteHandler<typeof routes.kakaoCallback, AppEnv> = async (c) => {
  await completeSignIn(c, 'kakao', c.req.valid('json'));
  return c.json({ message: 'Kakao callback success' }, 200);
};

export const naverCallback: RouteHandler<typeof routes.naverCallback, AppEnv> = async (c) => {
  await completeSignIn(c, 'naver', c.req.valid('json'));
  return c.json({ message: 'Naver callback success' }, 200);
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

export const userMe: RouteHandler<typeof routes.userMe, AppEnv> = async (c) => {
  const user = await service.userDetails(c.get('services'), c.get('caller').userId);
  return c.json(user, 200);
};
