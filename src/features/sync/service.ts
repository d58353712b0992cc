import { ApiError } from '../../lib/problem';
import type { Services } from '../../platform/services';
import { FEED_START, type SyncPosition } from './cursor';
import * as repository from './repository';
import type { FeedEntry } from './repository';

/** How long a deletion stays in the feed; a cursor that may have missed a removed one is 410. */
export const TOMBSTONE_DAYS = 90;
const DAY_MS = 86_400_000;
/** Tombstones removed per cron run at most (one statement); a backlog is taken over the next minutes. */
const SWEEP_BATCH = 10_000;

/**
 * Row JSON per page (the window sum of the feed's statement). Neon's answer carries it as a JSON
 * string, which escapes at most every byte into two (a quote or a backslash), so 2 MB of it stays
 * far under Neon's 10 MB limit whatever the memos hold; 20 memos of 100,000 characters fit a page.
 */
export const SYNC_PAGE_BYTES = 2_000_000;

export interface SyncBatch {
  entries: FeedEntry[];
  next: SyncPosition;
  more: boolean;
}

/**
 * The caller's changes after `since` (from the beginning without it), one page of at most `limit`.
 * The next position is the last change handed out, or `since` itself when none was ready.
 */
export async function changesSince(services: Pick<Services, 'db'>, userId: string, since: SyncPosition | undefined, limit: number): Promise<SyncBatch> {
  const after = since ?? FEED_START;
  const page = await repository.readFeed(services.db, userId, after, limit, SYNC_PAGE_BYTES);
  if (since && page.expired) {
    throw new ApiError('gone', `This cursor is older than the deletions kept (${TOMBSTONE_DAYS} days); sync again from the beginning, without since`);
  }
  return { entries: page.entries, next: page.entries.at(-1)?.position ?? after, more: page.more };
}

/** Cron: removes tombstones older than 90 days (raising their users' horizons). */
export async function sweepSyncTombstones(services: Pick<Services, 'db'>, now: Date) {
  return repository.sweepTombstones(services.db, new Date(now.getTime() - TOMBSTONE_DAYS * DAY_MS), SWEEP_BATCH);
}
