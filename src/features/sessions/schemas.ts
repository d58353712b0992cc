import { z } from '@hono/zod-openapi';
import { sessionStatuses } from '../../db/schema';
import { instant } from '../../lib/validation';
import { MoodSchema, ReviewMoodSchema } from '../moods';

/** Any ISO-8601 instant with an offset (`Z` or `±hh:mm`), as the web client's `toISOString()` sends. */
const timestamp = instant().openapi({ example: '2025-08-13T10:00:00.123Z' });

const minutes = (description: string) => z.number().int().positive().max(24 * 60).openapi({ description });

const subject = z.string().trim().min(1).max(200);
const goal = z.string().max(2000);
const tags = z.array(z.string().max(64)).max(50);

export const SessionStatusSchema = z.enum(sessionStatuses).openapi('SessionStatus');

export const CreateSessionSchema = z
  .object({
    subject,
    goal: goal.nullish(),
    duration: minutes('Focus length in minutes'),
    break_duration: z.number().int().min(0).max(24 * 60).openapi({ description: 'Break length in minutes' }),
    tags: tags.nullish(),
    // The web client always sends "pending"; a session is created pending whatever is sent.
    status: z.string().optional(),
    created_at: timestamp,
  })
  .openapi('CreateSession');

export const UpdateStatusSchema = z
  .object({ status: SessionStatusSchema, updated_at: timestamp })
  .openapi('UpdateSessionStatus');

export const UpdateSessionSchema = z
  .object({
    subject: subject.optional(),
    goal: goal.optional(),
    duration: minutes('Focus length in minutes; moves the expiry of a running session').optional(),
    break_duration: z.number().int().min(0).max(24 * 60).optional(),
    tags: tags.optional(),
    status: SessionStatusSchema.optional(),
    reflection: z.string().max(10_000).nullable().optional(),
    updated_at: timestamp,
    mood: ReviewMoodSchema.optional().openapi({ description: 'A mood check-in recorded with the review (needs `status: "reviewed"`), both or neither' }),
  })
  .check((context) => {
    if (context.value.mood && context.value.status !== 'reviewed') {
      context.issues.push({ code: 'custom', path: ['mood'], message: 'a mood is recorded with a review: send status "reviewed"', input: context.value.mood });
    }
  })
  .openapi('UpdateSession');

export const SessionIdParamSchema = z.object({
  session_id: z.string().openapi({ param: { name: 'session_id', in: 'path' }, example: '66bb2a3f9d1e8c0012345678' }),
});

export const SessionSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    subject: z.string(),
    goal: z.string(),
    duration: z.number().int(),
    break_duration: z.number().int(),
    tags: z.array(z.string()),
    started_at: z.string().nullable().openapi({ description: 'Focus start, moved forward by paused time on resume (server clock)' }),
    created_at: z.string(),
    updated_at: z.string().nullable(),
    status: SessionStatusSchema,
    reflection: z.string().nullable(),
    paused_at: z.string().nullable().openapi({ description: 'When the running focus was paused (server clock)' }),
    expires_at: z.string().nullable().openapi({ description: 'When a started session completes by itself (server clock)' }),
  })
  .openapi('Session');

/** The opt-in paged answer of GET /session/list (with `limit`); without it the answer is a bare array. */
export const SessionPageSchema = z
  .object({
    items: z.array(SessionSchema),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` (with `limit`) for the next page; null on the last page.' }),
  })
  .openapi('SessionPage');

export const ReviewedSessionSchema = SessionSchema.extend({
  mood: MoodSchema.optional().openapi({ description: 'The check-in recorded with the review, when one was sent' }),
}).openapi('SessionWithMood');

export const DeletedSchema = z.object({ message: z.string() }).openapi('SessionDeleted');

export type CreateSessionInput = z.infer<typeof CreateSessionSchema>;
export type UpdateSessionInput = z.infer<typeof UpdateSessionSchema>;
export type SessionResponse = z.infer<typeof SessionSchema>;
