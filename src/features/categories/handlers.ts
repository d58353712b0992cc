import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import type * as routes from './routes';
import * as service from './service';
import { categoryResponse as toResponse } from './service';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

export const listCategories: Handler<typeof routes.listCategories> = async (c) => c.json(await service.categoryOverview(c.get('services'), c.get('caller').userId), 200);

export const listCustom: Handler<typeof routes.listCustom> = async (c) =>
  c.json({ categories: (await service.listCustom(c.get('services'), c.get('caller').userId)).map(toResponse) }, 200);

export const createCustom: Handler<typeof routes.createCustom> = async (c) =>
  c.json(toResponse(await service.createCustom(c.get('services'), c.get('caller').userId, c.req.valid('json'))), 200);

export const updateCustom: Handler<typeof routes.updateCustom> = async (c) =>
  c.json(toResponse(await service.updateCustom(c.get('services'), c.get('caller').userId, c.req.valid('param').id, c.req.valid('json'))), 200);

export const deleteCustom: Handler<typeof routes.deleteCustom> = async (c) => {
  await service.deleteCustom(c.get('services'), c.get('caller').userId, c.req.valid('param').id);
  return c.json({ message: 'category deleted successfully' as const }, 200);
};
