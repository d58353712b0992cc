import type { z } from '@hono/zod-openapi';
import { newObjectId } from '../../lib/ids';
import { ApiError, conflict, notFound } from '../../lib/problem';
import { sqlState } from '../../platform/db';
import { sendJobs } from '../../platform/queue';
import type { Services } from '../../platform/services';
import { BUILTIN_CATEGORIES, BUILTIN_KEYS, UNCATEGORIZED } from './builtin';
import * as repository from './repository';
import type { CustomCategoryRow, QueuedMemo } from './repository';
import { KEY_PATTERN, KEY_RULE, MAX_CUSTOM_CATEGORIES, type CustomCategoryBody, type CustomCategoryResponse } from './schemas';

type Body = z.infer<typeof CustomCategoryBody>;

const BUILTIN_LOOK: ReadonlyMap<string, { icon: string; color: string }> = new Map(Object.entries({
  idea: { icon: 'lightbulb', color: '#F59E0B' },
  study: { icon: 'book', color: '#3B82F6' },
  shopping: { icon: 'shopping-cart', color: '#10B981' },
  work: { icon: 'briefcase', color: '#6366F1' },
  personal: { icon: 'heart', color: '#EC4899' },
  quote: { icon: 'clock', color: '#8B5CF6' },
}));

/** A custom category as its routes answer it. */
export const categoryResponse = (row: CustomCategoryRow): CustomCategoryResponse => ({
  id: row.id,
  key: row.key,
  name: row.name,
  description: row.description,
  icon: row.icon,
  color: row.color,
  user_id: row.userId,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

const fieldProblem = (field: string, message: string) => new ApiError('validation_failed', message, { errors: [{ field, message }] });

/** The key as the client derives it from the name when none is sent. */
function keyOf(body: Body): string {
  if (body.key) return body.key;
  const derived = body.name.toLowerCase().replace(/\s+/g, '_');
  if (!KEY_PATTERN.test(derived)) throw fieldProblem('body.key', `No key can be derived from this name: send a key of ${KEY_RULE}`);
  return derived;
}

function checkNotBuiltin(key: string) {
  if (BUILTIN_KEYS.has(key)) throw conflict(`${key} is a built-in category`);
}

const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

/** One sendBatch's worth: a category change answers after one queue subrequest at most. */
const IMMEDIATE_REQUEUE_LIMIT = 100;

const sendClassifications = (services: Services, memos: { memoId: string; userId: string; contentHash: string }[]) =>
  sendJobs(services.jobs, memos.map((memo) => ({ kind: 'classify-memo' as const, ...memo })));

export const listCustom = (services: Services, userId: string) => repository.listCustom(services.db, userId);

/** Built-in keys with the caller's counts, then custom ones; counts and categories in one Neon call. */
export async function categoryOverview(services: Services, userId: string) {
  const { custom, counts } = await repository.categoriesWithCounts(services.db, userId);
  const countOf = new Map(counts.map((row) => [row.category, row.count]));
  const builtin = [...BUILTIN_CATEGORIES, { key: UNCATEGORIZED, name: '분류중 Being classified' }].map((category) => ({
    key: category.key,
    name: category.name,
    builtin: true,
    icon: BUILTIN_LOOK.get(category.key)?.icon ?? null,
    color: BUILTIN_LOOK.get(category.key)?.color ?? null,
    memo_count: countOf.get(category.key) ?? 0,
  }));
  const own = custom.map((category) => ({ key: category.key, name: category.name, builtin: false, icon: category.icon, color: category.color, memo_count: countOf.get(category.key) ?? 0 }));
  return { categories: [...builtin, ...own], no_category_count: countOf.get(null) ?? 0 };
}

export async function createCustom(services: Services, userId: string, body: Body, now = new Date()) {
  const key = keyOf(body);
  checkNotBuiltin(key);
  const row = { id: newObjectId(now.getTime()), userId, key, name: body.name, description: body.description, icon: body.icon, color: body.color, createdAt: now, updatedAt: now };
  const outcome = await repository.insertCustom(services.db, row, MAX_CUSTOM_CATEGORIES, now);
  if (outcome === 'duplicate') throw conflict(`You already have a category ${key}`);
  if (outcome === 'limit') throw fieldProblem('body.name', `At most ${MAX_CUSTOM_CATEGORIES} custom categories; delete one first`);
  await queueOrLeaveToCron(services, outcome.requeued);
  return outcome.created;
}

/** A new key moves the user's memos with it, in the same db.batch as the category write. */
export async function updateCustom(services: Services, userId: string, id: string, body: Body, now = new Date()) {
  const key = keyOf(body);
  checkNotBuiltin(key);
  try {
    const outcome = await repository.updateCustom(services.db, userId, id, { key, name: body.name, description: body.description, icon: body.icon, color: body.color, updatedAt: now });
    if (!outcome) throw notFound('Category not found');
    await queueOrLeaveToCron(services, outcome.requeued);
    return outcome.updated;
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`You already have a category ${key}`);
    throw error;
  }
}

/** Its memos move to `uncategorized` in the same db.batch as the delete, and are queued for classification among the categories left. */
export async function deleteCustom(services: Services, userId: string, id: string, now = new Date()) {
  const moved = await repository.deleteCustom(services.db, userId, id, now);
  if (!moved) throw notFound('Category not found');
  await queueOrLeaveToCron(services, moved);
}

/**
 * Sends the memos a category change made wait for classification. Their classify_requested_at is
 * already set, so a failed send (or the ones past the first sendBatch) only waits for the cron's
 * re-queue a few minutes later, and never fails the category write that happened.
 */
async function queueOrLeaveToCron(services: Services, waiting: QueuedMemo[]) {
  if (waiting.length === 0) return;
  try {
    await sendClassifications(services, waiting.slice(0, IMMEDIATE_REQUEUE_LIMIT));
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', message: 'classification send failed; the cron re-queues it', count: waiting.length, error: String(error) }));
  }
}
