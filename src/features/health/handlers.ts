import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import { ApiError } from '../../lib/problem';
import { pingPostgres, pingRedis } from './repository';
import type { health, root } from './routes';

export const getRoot: RouteHandler<typeof root, AppEnv> = (c) => c.json({ msg: 'Omood API running!' }, 200);

export const getHealth: RouteHandler<typeof health, AppEnv> = async (c) => {
  const { db, redis } = c.get('services');
  const [postgres, redisCheck] = await Promise.allSettled([pingPostgres(db), pingRedis(redis)]);
  const failed = [postgres.status === 'rejected' ? 'postgres' : null, redisCheck.status === 'rejected' ? 'redis' : null].filter(
    (name): name is string => name !== null,
  );
  if (failed.length > 0) {
    throw new ApiError('service_unavailable', `Unavailable: ${failed.join(', ')}`, { headers: { 'Retry-After': '5' } });
  }
  return c.json({ status: 'ok' as const, checks: { postgres: 'ok' as const, redis: 'ok' as const } }, 200);
};
