import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../http/app-env';
import { countSignInAttempt } from './service';

/**
 * Per-client-IP limit on the sign-in callbacks, counted before the body is even validated so
 * garbage costs an attempt too. Cloudflare always sets CF-Connecting-IP at the edge; requests
 * without it (local tools) share one bucket.
 */
export const limitSignInAttempts = createMiddleware<AppEnv>(async (c, next) => {
  await countSignInAttempt(c.get('services'), c.req.header('CF-Connecting-IP') ?? 'unknown');
  await next();
});
