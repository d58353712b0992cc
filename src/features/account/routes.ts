import { createRoute } from '@hono/zod-openapi';
import { requireAuth } from '../auth';
import { jsonBody, jsonRequest, problemResponses } from '../../http/openapi';
import { DeleteAccountSchema, DeletionScheduledSchema, UpdateProfileSchema, UserResponseSchema } from './schemas';

const tags = ['users'];

export const userMe = createRoute({
  method: 'get',
  path: '/user/me',
  tags,
  summary: 'The signed-in user',
  middleware: [requireAuth] as const,
  responses: { 200: jsonBody(UserResponseSchema), ...problemResponses('unauthorized', 'not_found') },
});

export const updateProfile = createRoute({
  method: 'patch',
  path: '/user/me',
  tags,
  summary: 'Change your name or picture',
  description: 'Fields left out stay as they are. What you set here stays yours: signing in again no longer takes the name and picture from Google, Kakao or Naver.',
  middleware: [requireAuth] as const,
  request: jsonRequest(UpdateProfileSchema),
  responses: { 200: jsonBody(UserResponseSchema), ...problemResponses('unauthorized', 'forbidden', 'validation_failed') },
});

export const deleteAccount = createRoute({
  method: 'delete',
  path: '/user/me',
  tags,
  summary: 'Delete your account and everything in it',
  description:
    "Signs you out everywhere at once. The account then waits ACCOUNT_DELETION_GRACE_DAYS (7 by default): signing in again before `purge_after` restores it untouched (the sign-in answers `restored: true`). After that, or at the next minute with `immediately`, every memo, file, session, check-in and key of yours is erased, and signing in again makes a new, empty account.",
  middleware: [requireAuth] as const,
  request: jsonRequest(DeleteAccountSchema),
  responses: { 202: jsonBody(DeletionScheduledSchema, 'Deletion scheduled; every token is revoked'), ...problemResponses('unauthorized', 'forbidden', 'validation_failed') },
});
