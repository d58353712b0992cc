import { createRoute, z } from '@hono/zod-openapi';
import { authenticate, requireAuth } from '../auth';
import { conditionalRead, conditionalWrite, jsonBody, jsonRequest, problemResponses } from '../../http/openapi';
import { localDayQueryWith } from '../../lib/local-day';
import { pageQueryFields } from '../../lib/pagination';
import { currentSessionKeys } from './service';
import { CreateSessionSchema, DeletedSchema, SessionIdParamSchema, ReviewedSessionSchema, SessionPageSchema, SessionSchema, UpdateSessionSchema, UpdateStatusSchema } from './schemas';

const tags = ['sessions'];
const protectedErrors = problemResponses('unauthorized', 'forbidden', 'not_found', 'validation_failed');
const writeErrors = { ...protectedErrors, ...problemResponses('rate_limited') };

/** The current-session read rides on the auth guard's Redis round trip: pointer and cached state. */
const withCurrentSessionState = authenticate({ prefetch: currentSessionKeys });
/** Every session write counts against the caller's per-minute limit of session writes. */
const sessionWrite = authenticate({ writeLimit: 'sessions' });

const createSessionRoute = (path: '/session' | '/session/') =>
  createRoute({
    method: 'post',
    path,
    tags,
    summary: 'Create a pending focus session; it becomes the current one',
    middleware: [sessionWrite] as const,
    request: jsonRequest(CreateSessionSchema),
    responses: { 200: jsonBody(SessionSchema), ...writeErrors },
    ...(path === '/session/' ? { hide: true } : {}),
  });

export const createSession = createSessionRoute('/session');
export const createSessionSlash = createSessionRoute('/session/');

export const listSessions = createRoute({
  method: 'get',
  path: '/session/list',
  tags,
  summary: 'Sessions created on the given local days (half-open range in `tz`), oldest first',
  description:
    'Without `limit` the answer is every session of the range as a bare array (what the web client reads). ' +
    'With `limit` it is a page, `{items, next_cursor}`; follow `next_cursor` with the same query until it is null.',
  middleware: [requireAuth] as const,
  request: { query: localDayQueryWith(pageQueryFields) },
  responses: {
    200: {
      description: 'Sessions, oldest first: a bare array, or a SessionPage when `limit` is given',
      content: { 'application/json': { schema: z.union([z.array(SessionSchema), SessionPageSchema]) } },
    },
    ...protectedErrors,
  },
});

export const currentSession = createRoute({
  method: 'get',
  path: '/session/current',
  tags,
  summary: "The user's current (pending, started or paused) session, or 404",
  middleware: [withCurrentSessionState] as const,
  responses: { 200: jsonBody(SessionSchema), ...protectedErrors },
});

export const getSession = createRoute({
  method: 'get',
  path: '/session/{session_id}',
  tags,
  summary: 'One session',
  middleware: [requireAuth] as const,
  request: { params: SessionIdParamSchema },
  responses: { 200: jsonBody(SessionSchema), ...conditionalRead, ...protectedErrors },
});

export const updateStatus = createRoute({
  method: 'put',
  path: '/session/{session_id}/status',
  tags,
  summary: 'Start, pause, resume, reset, complete or review a session',
  description:
    'Allowed: pending→started, started→paused, paused→started (resume keeps focus time spent), started|paused→pending (reset), started|paused→completed, completed→reviewed. Anything else is 409.',
  middleware: [sessionWrite] as const,
  request: { params: SessionIdParamSchema, ...jsonRequest(UpdateStatusSchema) },
  responses: { 200: jsonBody(SessionSchema), ...writeErrors, ...problemResponses('conflict'), ...conditionalWrite },
});

export const updateSession = createRoute({
  method: 'put',
  path: '/session/{session_id}',
  tags,
  summary: 'Change fields, the reflection and optionally the status (same rules as /status); a review may carry a mood check-in',
  middleware: [sessionWrite] as const,
  request: { params: SessionIdParamSchema, ...jsonRequest(UpdateSessionSchema) },
  responses: { 200: jsonBody(ReviewedSessionSchema), ...writeErrors, ...problemResponses('conflict'), ...conditionalWrite },
});

export const deleteSession = createRoute({
  method: 'delete',
  path: '/session/{session_id}',
  tags,
  summary: 'Delete a session',
  middleware: [sessionWrite] as const,
  request: { params: SessionIdParamSchema },
  responses: { 200: jsonBody(DeletedSchema), ...writeErrors },
});
