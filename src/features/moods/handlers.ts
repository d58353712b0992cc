import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import { entityTag, ifMatchPrecondition, withEntityTag } from '../../http/conditional';
import type * as routes from './routes';
import * as service from './service';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

export const createMood: Handler<typeof routes.createMood> = async (c) =>
  c.json(await service.createMood(c.get('services'), c.get('caller').userId, c.req.valid('json')), 200);

export const listMoods: Handler<typeof routes.listMoods> = async (c) =>
  c.json(await service.listMoods(c.get('services'), c.get('caller').userId, c.req.valid('query')), 200);

export const moodStats: Handler<typeof routes.moodStats> = async (c) =>
  c.json(await service.moodStats(c.get('services'), c.get('caller').userId, c.req.valid('query')), 200);

export const getMood: Handler<typeof routes.getMood> = async (c) => {
  const mood = await service.getMood(c.get('services'), c.get('caller').userId, c.req.valid('param').mood_id);
  const answer = withEntityTag(c, await entityTag(mood), mood);
  return answer.notModified ? (answer.notModified as never) : c.json(answer.body, 200);
};

export const updateMood: Handler<typeof routes.updateMood> = async (c) => {
  const mood = await service.updateMood(c.get('services'), c.get('caller').userId, c.req.valid('param').mood_id, c.req.valid('json'), new Date(), ifMatchPrecondition(c));
  c.header('ETag', await entityTag(mood));
  return c.json(mood, 200);
};

export const deleteMood: Handler<typeof routes.deleteMood> = async (c) => {
  await service.deleteMood(c.get('services'), c.get('caller').userId, c.req.valid('param').mood_id);
  return c.json({ message: 'mood check-in deleted successfully' }, 200);
};
