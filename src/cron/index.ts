import { describeFailure } from '../platform/failures';
import type { Services } from '../platform/services';
import { createServices } from '../platform/services';
import { purgeDeletedAccounts } from '../features/account';
import { requeueWaitingMemos } from '../features/categories';
import { expirePendingUploads, sweepOrphanObjects } from '../features/memos';
import { completeDueSessions, completeForgottenSessions } from '../features/sessions/service';
import { sweepSyncTombstones } from '../features/sync';

/** A scheduled job: independent of the others, so one failing never stops the rest. */
export type CronJob = (services: Services, now: Date) => Promise<Record<string, number>>;

const jobs: Record<string, CronJob> = {
  completeDueSessions,
  completeForgottenSessions,
  expirePendingUploads,
  sweepOrphanObjects,
  requeueWaitingMemos,
  purgeDeletedAccounts,
  sweepSyncTombstones,
};

/** Runs every job of the minute and logs one line per job with what it did. */
export async function runScheduled(env: Env, scheduledTime: number) {
  const services = createServices(env);
  const now = new Date(scheduledTime);
  const outcomes = await Promise.allSettled(Object.entries(jobs).map(async ([name, job]) => ({ name, result: await job(services, now) })));
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') console.log(JSON.stringify({ level: 'info', cron: outcome.value.name, ...outcome.value.result }));
    else console.error(JSON.stringify({ level: 'error', cron: 'job failed', ...describeFailure(outcome.reason) }));
  }
  const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
  if (failures.length > 0) throw new AggregateError(failures.map((failure) => failure.reason), 'scheduled jobs failed');
}
