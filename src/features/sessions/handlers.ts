import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import { entityTag, ifMatchPrecondition, withEntityTag } from '../../http/conditional';
import { decodeCursor, encodeCursor, jsonArrayStream } from '../../lib/pagination';
import type * as routes from './routes';
import * as service from './service';

type Handler<R extends RouteConfig> = RouteHandler<R, AppEnv>;

export const createSession: Handler<typeof routes.createSession> = async (c) =>
  c.json(await service.createSession(c.get('services'), c.get('caller').userId, c.req.valid('json')), 200);

/** Unpaged (the web client): one bare array, streamed page by page. Paged with `limit`: `{items, next_cursor}`. */
export const listSessions: Handler<typeof routes.listSessions> = async (c) => {
  const { limit, cursor, ...days } = c.req.valid('query');
  const services = c.get('services');
  const userId = c.get('caller').userId;
  if (limit !== undefined) {
    const page = await service.listSessionsPage(services, userId, days, cursor ? decodeCursor(cursor) : undefined, limit);
    return c.json({ items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null }, 200);
  }
  const { first, rest } = await service.listAllSessions(services, userId, days);
  // A stream is no typed JSON answer; its shape is the array the route declares.
  return c.body(jsonArrayStream(first, rest, (session) => session), 200, { 'Content-Type': 'application/json' }) as never;
};

export const currentSession: Handler<typeof routes.currentSession> = async (c) =>
  c.json(await service.currentSession(c.get('services'), c.get('caller').userId, c.get('prefetched')), 200);

export const getSession: Handler<typeof routes.getSession> = async (c) => {
  const session = await service.getSession(c.get('services'), c.get('caller').userId, c.req.valid('param').session_id);
  const answer = withEntityTag(c, await entityTag(session), session);
  return answer.notModified ? (answer.notModified as never) : c.json(answer.body, 200);
};

/** Both writes of a session: conditional on `If-Match` when it is sent, and tagged like GET (a reviewed-with-mood answer adds the mood, which the tag leaves out). */
async function changeSession(c: Parameters<Handler<typeof routes.updateSession>>[0] | Parameters<Handler<typeof routes.updateStatus>>[0]) {
  const { mood, ...session } = await service.updateSession(
    c.get('services'),
    c.get('caller').userId,
    c.req.valid('param').session_id,
    c.req.valid('json'),
    new Date(),
    ifMatchPrecondition(c),
  );
  c.header('ETag', await entityTag(session));
  return mood ? { ...session, mood } : session;
}

export const updateStatus: Handler<typeof routes.updateStatus> = async (c) => c.json(await changeSession(c), 200);

export const updateSession: Handler<typeof routes.updateSession> = async (c) => c.json(await changeSession(c), 200);

export const deleteSession: Handler<typeof routes.deleteSession> = async (c) => {
  await service.deleteSession(c.get('services'), c.get('caller').userId, c.req.valid('param').session_id);
  return c.json({ message: 'session deleted successfully' }, 200);
};
