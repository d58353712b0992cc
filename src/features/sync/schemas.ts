import { z } from '@hono/zod-openapi';
import { syncTypes } from '../../db/schema';
import { CustomCategorySchema } from '../categories';
import { MemoSchema } from '../memos';
import { MoodSchema } from '../moods';
import { SessionSchema } from '../sessions';
import { decodeSyncCursor } from './cursor';

export const MAX_SYNC_LIMIT = 1000;
export const DEFAULT_SYNC_LIMIT = 500;

export const SyncQuery = z.object({
  since: z
    .string()
    .refine((value) => decodeSyncCursor(value) !== undefined, 'Not a cursor this API handed out')
    .optional()
    .openapi({ description: '`next_cursor` of the previous answer. Absent: from the beginning.', example: 'djE6MTIzNDU2Ojc4OQ' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_SYNC_LIMIT)
    .default(DEFAULT_SYNC_LIMIT)
    .openapi({ description: `At most this many changes (1-${MAX_SYNC_LIMIT}, default ${DEFAULT_SYNC_LIMIT}); a page of large memos holds fewer.` }),
});

export const SyncChangeSchema = z
  .object({
    type: z.enum(syncTypes),
    id: z.string(),
    op: z.enum(['upsert', 'delete']),
    data: z
      .union([MemoSchema, SessionSchema, MoodSchema, CustomCategorySchema])
      .optional()
      .openapi({ description: 'For an upsert: the resource exactly as its own GET route answers it (a memo, session, mood check-in or custom category). Absent for a delete.' }),
    changed_at: z.string().openapi({ description: 'When the change was made, by the server clock.', example: '2025-08-13T10:00:00.123Z' }),
  })
  .openapi('SyncChange');

export const SyncPageSchema = z
  .object({
    changes: z.array(SyncChangeSchema).openapi({ description: 'In feed order: apply them one after another. A resource appears once, in its latest state.' }),
    next_cursor: z.string().openapi({ description: 'Pass as `since` next time; it only ever moves forward.' }),
    has_more: z.boolean().openapi({ description: 'Ask again at once with `next_cursor`: more changes are waiting (or are committing right now).' }),
  })
  .openapi('SyncPage');

export type SyncChange = z.infer<typeof SyncChangeSchema>;
