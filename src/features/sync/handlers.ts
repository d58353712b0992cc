import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import { categoryResponse } from '../categories';
import { memoResponder } from '../memos';
import { moodResponse } from '../moods';
import { sessionResponse } from '../sessions';
import { decodeSyncCursor, encodeSyncCursor } from './cursor';
import type { FeedEntry } from './repository';
import type * as routes from './routes';
import type { SyncChange } from './schemas';
import * as service from './service';

export const sync: RouteHandler<typeof routes.sync, AppEnv> = async (c) => {
  const { since, limit } = c.req.valid('query');
  const services = c.get('services');
  const batch = await service.changesSince(services, c.get('caller').userId, since === undefined ? undefined : decodeSyncCursor(since), limit);
  const memo = memoResponder(services.config.files, new URL(c.req.url).origin);
  /** An upsert carries the resource as its own GET route answers it, through that feature's mapper. */
  const dataOf = async (entry: FeedEntry) => {
    if (entry.op === 'delete') return {};
    switch (entry.type) {
      case 'memo':
        return { data: await memo(entry.row) };
      case 'session':
        return { data: sessionResponse(entry.row) };
      case 'mood':
        return { data: moodResponse(entry.row) };
      case 'category':
        return { data: categoryResponse(entry.row) };
    }
  };
  const toChange = async (entry: FeedEntry): Promise<SyncChange> => ({
    type: entry.type,
    id: entry.id,
    op: entry.op,
    ...(await dataOf(entry)),
    changed_at: entry.changedAt.toISOString(),
  });
  return c.json({ changes: await Promise.all(batch.entries.map(toChange)), next_cursor: encodeSyncCursor(batch.next), has_more: batch.more }, 200);
};
