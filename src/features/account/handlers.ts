import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import type * as routes from './routes';
import * as service from './service';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

export const userMe: Handler<typeof routes.userMe> = async (c) => c.json(await service.userDetails(c.get('services'), c.get('caller').userId), 200);

export const updateProfile: Handler<typeof routes.updateProfile> = async (c) =>
  c.json(await service.updateProfile(c.get('services'), c.get('caller').userId, c.req.valid('json')), 200);

export const deleteAccount: Handler<typeof routes.deleteAccount> = async (c) =>
  c.json(await service.scheduleDeletion(c.get('services'), c.get('caller').userId, c.req.valid('json')), 202);
