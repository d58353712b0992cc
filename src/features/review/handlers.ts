import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import type * as routes from './routes';
import * as service from './service';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

export const dailyRetrospective: Handler<typeof routes.dailyRetrospective> = async (c) =>
  c.json(await service.dailyRetrospective(c.get('services'), c.get('caller').userId, c.req.valid('query')), 200);

export const focusStats: Handler<typeof routes.focusStats> = async (c) =>
  c.json(await service.focusStats(c.get('services'), c.get('caller').userId, c.req.valid('query')), 200);

export const dailySummary: Handler<typeof routes.dailySummary> = async (c) =>
  c.json(await service.dailySummary(c.get('services'), c.get('caller').userId, c.req.valid('query')), 200);

export const summaryRange: Handler<typeof routes.summaryRange> = async (c) =>
  c.json(await service.summaryRange(c.get('services'), c.get('caller').userId, c.req.valid('query')), 200);
