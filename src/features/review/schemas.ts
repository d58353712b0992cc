import { z } from '@hono/zod-openapi';
import { localDate, localDayQuerySchema, localDaySpan, parseLocalDate, timeZone } from '../../lib/local-day';
import { MoodSchema } from '../moods';
import { SessionSchema } from '../sessions';

export const MAX_STATS_DAYS = 366;
export const MAX_SUMMARY_RANGE_DAYS = 62;

export const DayQuerySchema = z.object({
  date: localDate.describe('The local day, YYYY-MM-DD'),
  tz: timeZone,
});

/** The list query, refused on `end_date` when it spans more than `maxDays` days. */
export const rangeQuerySchema = (maxDays: number) =>
  localDayQuerySchema.check((context) => {
    const { start_date: startDate, end_date: endDate } = context.value;
    if (!parseLocalDate(startDate) || !parseLocalDate(endDate)) return;
    if (localDaySpan(startDate, endDate) > maxDays) {
      context.issues.push({ code: 'custom', path: ['end_date'], message: `At most ${maxDays} days from start_date`, input: endDate });
    }
  });

const minutes = z.number().int().openapi({ description: 'Minutes really focused (server clock, paused time excluded), rounded' });

export const DailySummarySchema = z
  .object({
    date: z.string().openapi({ description: 'The requested local day' }),
    tz: z.string(),
    ai_comment: z.string().openapi({ description: "One or two sentences on the day, in its memos' language" }),
    category_summaries: z
      .array(z.object({ category: z.string(), summary: z.string().openapi({ description: 'At most 200 characters' }), memo_count: z.number().int() }))
      .openapi({ description: 'Per category key with memos that day, most memos first; memos without one under `uncategorized`' }),
    total_memos: z.number().int(),
    focus_minutes: minutes,
    completed_sessions: z.number().int(),
    generated_by: z.enum(['builtin', 'workers-ai', 'openai']).openapi({ description: 'The provider that wrote it' }),
    stale: z.boolean().openapi({ description: 'The day changed since; a newer version is being generated' }),
    created_at: z.string().openapi({ description: 'When the first summary of this day was generated, ISO …Z' }),
    generated_at: z.string().openapi({ description: 'When this version was generated, ISO …Z' }),
  })
  .openapi('DailySummary');

export const DailySummaryAnswerSchema = z.object({ summary: DailySummarySchema.nullable() }).openapi('DailySummaryAnswer');

export const SummaryRangeSchema = z
  .object({
    tz: z.string(),
    start_date: z.string(),
    end_date: z.string(),
    days: z.array(
      z.object({
        date: z.string(),
        memo_count: z.number().int().openapi({ description: 'Memos the day holds now' }),
        ai_comment: z.string().nullable().openapi({ description: 'Null while no summary exists (none is made for a day without memos)' }),
        total_memos: z.number().int().nullable(),
        focus_minutes: z.number().int().nullable(),
        completed_sessions: z.number().int().nullable(),
        stale: z.boolean(),
      }),
    ),
  })
  .openapi('SummaryRange');

export const RetrospectiveSessionSchema = SessionSchema.extend({ focus_minutes: minutes }).openapi('RetrospectiveSession');

export const RetrospectiveSchema = z
  .object({
    date: z.string(),
    tz: z.string(),
    sessions: z.array(RetrospectiveSessionSchema).openapi({ description: 'Sessions created that day, oldest first, with their reflections' }),
    focus: z.object({
      focus_minutes: minutes,
      completed_sessions: z.number().int().openapi({ description: 'Completed or reviewed sessions (a running one past its expiry counts)' }),
      reviewed_sessions: z.number().int(),
      reflections: z.number().int().openapi({ description: 'Sessions with a written reflection' }),
      pomodoros: z.number().int().openapi({ description: 'Completed sessions focused for their whole duration' }),
    }),
    memos: z.object({
      total: z.number().int(),
      by_category: z
        .array(z.object({ category: z.string(), count: z.number().int() }))
        .openapi({ description: 'Memos per category key, most first; memos without one under `uncategorized`' }),
      by_attachment_type: z
        .object({ image: z.number().int(), audio: z.number().int(), text_only: z.number().int() })
        .openapi({ description: 'Memos with at least one image, with at least one recording, and with neither' }),
    }),
    summary: DailySummarySchema.nullable().openapi({ description: 'As GET /summary/daily answers it (a stale or missing one is queued the same way)' }),
    moods: z.array(MoodSchema).openapi({ description: "The day's check-ins by `recorded_at`, oldest first" }),
  })
  .openapi('Retrospective');

export const FocusStatsSchema = z
  .object({
    tz: z.string(),
    start_date: z.string(),
    end_date: z.string(),
    days: z.array(z.object({ date: z.string(), focus_minutes: minutes, completed_sessions: z.number().int(), memo_count: z.number().int() })),
    totals: z.object({ focus_minutes: minutes, completed_sessions: z.number().int(), memo_count: z.number().int(), active_days: z.number().int() }),
    current_streak: z.number().int().openapi({ description: 'Consecutive local days with a completed session, ending today (or yesterday while today has none yet), within the range' }),
    longest_streak: z.number().int().openapi({ description: 'Longest run of consecutive local days with a completed session within the range' }),
  })
  .openapi('FocusStats');

export type DayQuery = z.infer<typeof DayQuerySchema>;
export type Retrospective = z.infer<typeof RetrospectiveSchema>;
export type FocusStats = z.infer<typeof FocusStatsSchema>;
export type DailySummary = z.infer<typeof DailySummarySchema>;
export type SummaryRange = z.infer<typeof SummaryRangeSchema>;
