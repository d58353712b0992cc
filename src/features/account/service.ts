import { ApiError, notFound, validationFailed } from '../../lib/problem';
import { describeFailure } from '../../platform/failures';
import { forgetKeptAnswersIn } from '../../platform/idempotency';
import type { Services } from '../../platform/services';
import { closeForDeletion, eraseAuthKeys, refreshCachedProfile } from '../auth';
import { eraseUserMemos } from '../memos';
import { forgetSummaryClaimsIn } from '../review';
import { eraseUserSessions, forgetCurrentSessionIn } from '../sessions';
import * as repository from './repository';
import type { ProfileEdit, UserDetailsRow } from './repository';
import type { SIGN_IN_METHODS } from './schemas';

/** A valid token whose user is gone (purged, or never there): signed out, as every route does it. */
const signedOut = () => new ApiError('unauthorized', 'Invalid token');

const toResponse = (row: UserDetailsRow) => ({ ...row, sign_in_methods: row.sign_in_methods as (typeof SIGN_IN_METHODS)[number][] });

export async function userDetails(services: Services, userId: string) {
  const user = await repository.findUserDetails(services.db, userId);
  if (!user) throw notFound('User not found');
  return toResponse(user);
}

/** Edits the profile (one Neon call), then puts it where `/auth/me` reads it (one Upstash call). */
export async function updateProfile(services: Services, userId: string, edit: ProfileEdit) {
  const user = await repository.updateProfile(services.db, userId, edit);
  if (!user) throw signedOut();
  await refreshCachedProfile(services, userId, user);
  return toResponse(user);
}

/**
 * Schedules the caller's deletion (one Neon call) and signs them out everywhere at once (one
 * Upstash call): the account is closed, every token issued until now refused for good, the
 * current-session pointer and cached profile dropped. A retry (say the Redis write failed) answers
 * the schedule already made and closes again.
 */
export async function scheduleDeletion(services: Services, userId: string, input: { confirm: string; immediately: boolean }) {
  const scheduled = await repository.scheduleDeletion(services.db, userId, input.confirm, input.immediately, services.config.account.deletionGraceDays);
  if (!scheduled.found) throw signedOut();
  if (!scheduled.confirmed) {
    throw validationFailed([{ field: 'body.confirm', message: "Type the account's email address (or, for an account without one, its user id) to confirm" }]);
  }
  const pipeline = services.redis.pipeline();
  closeForDeletion(pipeline, userId);
  forgetCurrentSessionIn(pipeline, userId);
  await pipeline.exec();
  return { deletion_scheduled_at: scheduled.deletion_scheduled_at, purge_after: scheduled.purge_after };
}

/** Users looked at per run, and the time one run may spend: whoever is left waits a minute. */
const PURGE_USERS_PER_RUN = 20;
const PURGE_BUDGET_MS = 20_000;

/**
 * Cron: erases the users past their grace period, each in an order that makes it resumable and
 * idempotent: files and memos, sessions, then every Redis key of the user (a closure that expires
 * is left, refusing tokens still around), and last the user's row with all that still hangs off
 * it. Until that row is gone no one can sign in to the account (sign-in refuses it once
 * `purge_after` has passed), and a run cut short by an outage starts again from the top at the
 * next one. One user failing never holds up the others.
 */
export async function purgeDeletedAccounts(services: Services, now: Date) {
  const due = await repository.findDueForPurge(services.db, PURGE_USERS_PER_RUN);
  const deadline = Date.now() + PURGE_BUDGET_MS;
  const done = { purged: 0, failed: 0, files: 0, memos: 0, sessions: 0 };
  for (const user of due) {
    if (Date.now() > deadline) break;
    try {
      const { files, memos } = await eraseUserMemos(services, user.id);
      const { sessions } = await eraseUserSessions(services, user.id);
      const pipeline = services.redis.pipeline();
      forgetSummaryClaimsIn(pipeline, user.id);
      forgetKeptAnswersIn(pipeline, user.id);
      await eraseAuthKeys(services, pipeline, user.id, user.emails, now.getTime());
      await pipeline.exec();
      if (await repository.deleteUser(services.db, user.id, user.emails)) done.purged += 1;
      done.files += files;
      done.memos += memos;
      done.sessions += sessions;
    } catch (error) {
      done.failed += 1;
      console.error(JSON.stringify({ level: 'error', cron: 'purgeDeletedAccounts', message: 'purge interrupted; the next run resumes it', userId: user.id, error: describeFailure(error) }));
    }
  }
  return done;
}
