import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../auth';
import { jsonBody, problemResponses } from '../../http/openapi';
import { DayQuerySchema, FocusStatsSchema, MAX_STATS_DAYS, RetrospectiveSchema, rangeQuerySchema } from './schemas';

const tags = ['review'];
const protectedErrors = problemResponses('unauthorized', 'validation_failed');

export const dailyRetrospective = createRoute({
  method: 'get',
  path: '/retrospective/daily',
  tags,
  summary: 'The whole local day in `tz`: sessions with reflections, focus time and memo counts',
  description: 'One Neon round trip. Days are half-open local days, as in the lists.',
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
