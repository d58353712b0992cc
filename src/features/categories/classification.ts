import { classify } from '../../ai/classify';
import type { ClassifyMemoMessage } from '../../platform/queue';
import { sendJobs } from '../../platform/queue';
import type { Services } from '../../platform/services';
import { BUILTIN_CATEGORIES } from './builtin';
import * as repository from './repository';

/** How long a memo may wait for its classification before the cron sends it again. */
const REQUEUE_AFTER_MS = 3 * 60_000;
/** Memos the cron sends per run: the backfill's page size, one sendBatch per 100. */
const REQUEUE_PAGE_SIZE = 200;

/**
 * The queue job: classifies a memo among the built-in and its owner's categories and writes the
 * result only if nothing newer happened meanwhile. Two Neon calls; a provider failure throws (retry).
 */
export async function classifyMemo(services: Services, message: ClassifyMemoMessage) {
  const { memo, categories } = await repository.findClassificationInput(services.db, message.memoId, message.userId);
  // Deleted, or edited since: the newer edit queued its own job.
  if (!memo || memo.hash !== message.contentHash) return;
  const result = await classify(services.ai, { text: memo.content, tags: memo.tags, candidates: [...BUILTIN_CATEGORIES, ...categories] });
  await repository.saveClassification(services.db, message.memoId, message.contentHash, result.key, result.key === null ? null : result.confidence);
}

/** A job that failed every retry: the memo ends as "no category" rather than 분류중 forever. */
export async function giveUpClassifying(services: Services, message: ClassifyMemoMessage) {
  await repository.saveClassification(services.db, message.memoId, message.contentHash, null, null);
}

/** Cron: re-sends what waits too long (lost messages, failed sends) and feeds the backfill to the queue. */
export async function requeueWaitingMemos(services: Services, now: Date) {
  const waiting = await repository.takeWaitingMemos(services.db, new Date(now.getTime() - REQUEUE_AFTER_MS), REQUEUE_PAGE_SIZE, now);
  await sendJobs(services.jobs, waiting.map((memo) => ({ kind: 'classify-memo' as const, ...memo })));
  return { requeued: waiting.length };
}
