import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../auth';
import { jsonBody, problemResponses } from '../../http/openapi';
import {
  DailySummaryAnswerSchema,
  DayQuerySchema,
  FocusStatsSchema,
  MAX_STATS_DAYS,
  MAX_SUMMARY_RANGE_DAYS,
  RetrospectiveSchema,
  SummaryRangeSchema,
  rangeQuerySchema,
} from './schemas';

const tags = ['review'];
const protectedErrors = problemResponses('unauthorized', 'validation_failed');

export const dailyRetrospective = createRoute({
  method: 'get',
  path: '/retrospective/daily',
  tags,
  summary: 'The whole local day in `tz`: sessions with reflections, focus time, memo counts, the summary and the check-ins',
  description: 'One Neon round trip. Days are half-open local days, as in the lists. A stale or missing summary is queued as GET /summary/daily does.',
  middleware: [requireAuth] as const,
  request: { query: DayQuerySchema },
  responses: { 200: jsonBody(RetrospectiveSchema), ...protectedErrors },
});

export const focusStats = createRoute({
  method: 'get',
  path: '/stats/focus',
  tags,
  summary: `Focus minutes, completed sessions and memos per local day, totals and streaks (at most ${MAX_STATS_DAYS} days)`,
  description: 'Computed in one SQL statement. A day belongs to the zone `tz`, DST included.',
  middleware: [requireAuth] as const,
  request: { query: rangeQuerySchema(MAX_STATS_DAYS) },
  responses: { 200: jsonBody(FocusStatsSchema), ...protectedErrors },
});

export const dailySummary = createRoute({
  method: 'get',
  path: '/summary/daily',
  tags,
  summary: "The local day's summary, or null while none exists",
  description:
    'One Neon round trip reads the stored summary and the day\'s current fingerprint. When the day has memos and the summary is missing or out of date, one generation is queued (repeated polls queue it once) and the previous summary answers with `stale: true`, or null. A day without memos answers null.',
  middleware: [requireAuth] as const,
  request: { query: DayQuerySchema },
  responses: { 200: jsonBody(DailySummaryAnswerSchema), ...protectedErrors },
});

export const summaryRange = createRoute({
  method: 'get',
  path: '/summary/range',
  tags,
  summary: `Each local day's comment and counts (at most ${MAX_SUMMARY_RANGE_DAYS} days)`,
  description: 'One Neon round trip; stale days are queued as GET /summary/daily does, in one Redis pipeline and one queue send.',
  middleware: [requireAuth] as const,
  request: { query: rangeQuerySchema(MAX_SUMMARY_RANGE_DAYS) },
  responses: { 200: jsonBody(SummaryRangeSchema), ...protectedErrors },
});
