import { ApiError } from '../../lib/problem';
import { sendJobs } from '../../platform/queue';
import type { Services } from '../../platform/services';
import { BUILTIN_KEYS, UNCATEGORIZED, contentHash } from './builtin';
import * as repository from './repository';

/** A memo's category columns as a memo write sets them. */
export interface CategoryColumns {
  category: string | null;
  categoryConfidence: number | null;
  categoryChosen: boolean;
  classifyRequestedAt: Date | null;
}

interface CurrentCategory extends CategoryColumns {
  content: string;
  tags: string[];
}

const FIELD = 'body.category';

const automatic = (now: Date): CategoryColumns => ({ category: UNCATEGORIZED, categoryConfidence: null, categoryChosen: false, classifyRequestedAt: now });

/** A user's pick: a built-in key (one Neon call only for a custom key), else 422 on body.category. */
async function chosen(services: Services, userId: string, key: string): Promise<CategoryColumns> {
  if (!BUILTIN_KEYS.has(key) && !(await repository.hasCategoryKey(services.db, userId, key))) {
    const message = `Unknown category ${key}: use a built-in key or one of your categories`;
    throw new ApiError('validation_failed', message, { errors: [{ field: FIELD, message }] });
  }
  return { category: key, categoryConfidence: 1, categoryChosen: true, classifyRequestedAt: null };
}

/** On create: a key is the user's choice; `uncategorized`, empty or missing asks for classification. */
export async function categoryOnCreate(services: Services, userId: string, requested: string | undefined, now: Date): Promise<CategoryColumns> {
  return !requested || requested === UNCATEGORIZED ? automatic(now) : chosen(services, userId, requested);
}

/**
 * On edit: the current key sent back (as the client does) or none is no new choice: an automatic
 * memo stays automatic and is classified again if its content changed; `uncategorized` asks for
 * classification; another key is a new choice.
 */
export async function categoryOnEdit(services: Services, userId: string, current: CurrentCategory, requested: string | undefined, next: { content: string; tags: string[] }, now: Date): Promise<CategoryColumns> {
  if (requested === UNCATEGORIZED || requested === '') return automatic(now);
  if (requested !== undefined && requested !== current.category) return chosen(services, userId, requested);
  const { category, categoryConfidence, categoryChosen, classifyRequestedAt } = current;
  const changed = current.content !== next.content || current.tags.join(',') !== next.tags.join(',');
  // An automatic memo keeps showing its category while the new content is classified.
  if (changed && !categoryChosen) return { category, categoryConfidence, categoryChosen, classifyRequestedAt: now };
  return { category, categoryConfidence, categoryChosen, classifyRequestedAt };
}

/**
 * Queues the classification a write asked for. A failed send never fails the user's request: the
 * memo's classify_requested_at stays set and the cron re-sends it a few minutes later.
 */
export async function queueClassification(services: Services, memo: { id: string; userId: string; content: string; tags: string[] }) {
  try {
    await sendJobs(services.jobs, [{ kind: 'classify-memo', memoId: memo.id, userId: memo.userId, contentHash: await contentHash(memo.content, memo.tags) }]);
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', message: 'classification send failed; the cron re-queues it', memoId: memo.id, error: String(error) }));
  }
}
