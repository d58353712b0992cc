import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../auth';
import { jsonBody, problemResponses } from '../../http/openapi';
import { SyncPageSchema, SyncQuery } from './schemas';

export const sync = createRoute({
  method: 'get',
  path: '/sync',
  tags: ['sync'],
  summary: "The caller's changes to memos, sessions, mood check-ins and custom categories since a cursor",
  description:
    'A change feed in server order: without `since` from the beginning, then `next_cursor` as `since` until `has_more` is false, and again later. ' +
    'Each change is `{type, id, op, data?, changed_at}`; a resource appears once, in its latest state, and a change made while paging arrives on a later page. ' +
    'Deletions are kept 90 days: a cursor older than a deletion no longer kept is 410, and the client syncs again without `since`. A cursor this API did not hand out is 422.',
  middleware: [requireAuth] as const,
  request: { query: SyncQuery },
  responses: { 200: jsonBody(SyncPageSchema, 'One page of changes'), ...problemResponses('unauthorized', 'gone', 'validation_failed') },
});
