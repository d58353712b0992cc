import { z } from '@hono/zod-openapi';
import { emotions } from '../../db/schema';
import { isObjectId } from '../../lib/ids';
import { localDayQuerySchema, parseLocalDate } from '../../lib/local-day';
import { instant } from '../../lib/validation';

/** Most local days one stats request may cover: a leap year. */
export const MAX_STATS_DAYS = 366;
/** Days with at least this many focus minutes count as focused days in the stats. */
export const FOCUSED_DAY_MINUTES = 50;

export const EmotionSchema = z.enum(emotions).openapi('Emotion', { description: 'A feeling a check-in may name' });

const score = z.number().int().min(1).max(5).openapi({ description: 'How the moment felt, 1 (bad) to 5 (good)' });
const emotionList = z
  .array(EmotionSchema)
  .max(5)
  .refine((list) => new Set(list).size === list.length, 'must not repeat an emotion')
  .openapi({ description: 'Up to 5 distinct emotions' });
const note = z.string().max(2000);
const sessionId = z
  .string()
  .refine(isObjectId, 'must be a session id (24 hex digits)')
  .openapi({ description: "One of the caller's sessions", example: '66bb2a3f9d1e8c0012345678' });
const recordedAt = instant().openapi({
  description:
    'When the mood was felt (default: now). Past instants are kept as sent; one more than 2 minutes ahead of the server clock is taken as the server time.',
  example: '2025-08-13T10:00:00.123Z',
});

export const CreateMoodSchema = z
  .object({
    score,
    emotions: emotionList.default([]),
    note: note.nullish(),
    recorded_at: recordedAt.optional(),
    session_id: sessionId.nullish(),
  })
  .openapi('CreateMood');

export const UpdateMoodSchema = z
  .object({
    score: score.optional(),
    emotions: emotionList.optional(),
    note: note.nullable().optional(),
    recorded_at: recordedAt.optional(),
    session_id: sessionId.nullable().optional().openapi({ description: "One of the caller's sessions; null unlinks the check-in" }),
  })
  .openapi('UpdateMood');

/** The check-in recorded with a session's review (`PUT /session/{id}`): it is linked to that session and felt now. */
export const ReviewMoodSchema = z.object({ score, emotions: emotionList.default([]), note: note.nullish() }).openapi('ReviewMood');

export const MoodIdParamSchema = z.object({
  mood_id: z.string().openapi({ param: { name: 'mood_id', in: 'path' }, example: '66bb2a3f9d1e8c0012345678' }),
});

export const MoodSchema = z
  .object({
    id: z.string(),
    score: z.number().int(),
    emotions: z.array(EmotionSchema),
    note: z.string().nullable(),
    recorded_at: z.string(),
    session_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Mood');

export const moodStatsQuerySchema = localDayQuerySchema.check((context) => {
  const first = parseLocalDate(context.value.start_date);
  const last = parseLocalDate(context.value.end_date);
  if (!first || !last) return;
  const days = (Date.UTC(last.year, last.month - 1, last.day) - Date.UTC(first.year, first.month - 1, first.day)) / 86_400_000 + 1;
  if (days > MAX_STATS_DAYS) {
    context.issues.push({ code: 'custom', path: ['end_date'], message: `must be at most ${MAX_STATS_DAYS} days from start_date`, input: context.value.end_date });
  }
});

const scoreFigure = (description: string) =>
  z.object({
    average_score: z.number().nullable().openapi({ description: `${description}; null without such days` }),
    days: z.number().int().openapi({ description: 'Days with check-ins behind the figure' }),
  });

export const MoodStatsSchema = z
  .object({
    days: z
      .array(z.object({ date: z.string().openapi({ example: '2025-08-13' }), average_score: z.number(), count: z.number().int() }))
      .openapi({ description: 'Local days with check-ins, oldest first' }),
    emotions: z
      .array(z.object({ emotion: EmotionSchema, count: z.number().int() }))
      .openapi({ description: 'How often each emotion was chosen, most chosen first; unchosen emotions are left out' }),
    focus: z.object({
      threshold_minutes: z.number().int(),
      focused_days: scoreFigure(`Mean of the daily average scores on days with at least ${FOCUSED_DAY_MINUTES} focus minutes`),
      other_days: scoreFigure(`Mean of the daily average scores on days with fewer focus minutes`),
    }),
  })
  .openapi('MoodStats');

export type CreateMoodInput = z.infer<typeof CreateMoodSchema>;
export type UpdateMoodInput = z.infer<typeof UpdateMoodSchema>;
export type ReviewMoodInput = z.infer<typeof ReviewMoodSchema>;
export type MoodResponse = z.infer<typeof MoodSchema>;
export type MoodStats = z.infer<typeof MoodStatsSchema>;
