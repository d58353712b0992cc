import { createRoute, z } from '@hono/zod-openapi';
import { authenticate, requireAuth } from '../auth';
import { conditionalRead, conditionalWrite, jsonBody, jsonRequest, problemResponses } from '../../http/openapi';
import { localDayQuerySchema } from '../../lib/local-day';
import { CreateMoodSchema, MoodIdParamSchema, MoodSchema, MoodStatsSchema, moodStatsQuerySchema, UpdateMoodSchema } from './schemas';

const tags = ['moods'];
const protectedErrors = problemResponses('unauthorized', 'forbidden', 'not_found', 'validation_failed');
/** Check-in writes count against the per-user `moods` write limit, in the auth check's round trip. */
const moodWrite = authenticate({ writeLimit: 'moods' });
const writeErrors = { ...protectedErrors, ...problemResponses('rate_limited') };

export const createMood = createRoute({
  method: 'post',
  path: '/moods',
  tags,
  summary: 'Record a mood check-in, optionally linked to one of your sessions',
  middleware: [moodWrite] as const,
  request: jsonRequest(CreateMoodSchema),
  responses: { 200: jsonBody(MoodSchema), ...writeErrors },
});

export const listMoods = createRoute({
  method: 'get',
  path: '/moods/list',
  tags,
  summary: 'Check-ins recorded on the given local days (half-open range in `tz`), oldest first',
  middleware: [requireAuth] as const,
  request: { query: localDayQuerySchema },
  responses: { 200: jsonBody(z.array(MoodSchema)), ...protectedErrors },
});

export const moodStats = createRoute({
  method: 'get',
  path: '/moods/stats',
  tags,
  summary: 'Daily averages, emotion counts and how focused days felt, over at most 366 local days',
  description:
    'Focus minutes of a day are the server-measured minutes of the sessions created on it (completion minus start, capped at the duration; a started session past its expiry counts its full duration), as in GET /stats/focus; a day with at least 50 is a focused day. Only days with check-ins count.',
  middleware: [requireAuth] as const,
  request: { query: moodStatsQuerySchema },
  responses: { 200: jsonBody(MoodStatsSchema), ...protectedErrors },
});

export const getMood = createRoute({
  method: 'get',
  path: '/moods/{mood_id}',
  tags,
  summary: 'One check-in',
  middleware: [requireAuth] as const,
  request: { params: MoodIdParamSchema },
  responses: { 200: jsonBody(MoodSchema), ...conditionalRead, ...protectedErrors },
});

export const updateMood = createRoute({
  method: 'patch',
  path: '/moods/{mood_id}',
  tags,
  summary: 'Change a check-in; fields left out stay as they are',
  middleware: [moodWrite] as const,
  request: { params: MoodIdParamSchema, ...jsonRequest(UpdateMoodSchema) },
  responses: { 200: jsonBody(MoodSchema), ...writeErrors, ...conditionalWrite },
});

export const deleteMood = createRoute({
  method: 'delete',
  path: '/moods/{mood_id}',
  tags,
  summary: 'Delete a check-in',
  middleware: [moodWrite] as const,
  request: { params: MoodIdParamSchema },
  responses: { 200: jsonBody(z.object({ message: z.string() }).openapi('MoodDeleted')), ...writeErrors },
});
