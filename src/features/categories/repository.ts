import { and, asc, count, eq, isNotNull, lt, sql, type SQL } from 'drizzle-orm';
import { customCategories, memos, type SyncColumnKey } from '../../db/schema';
import type { Db } from '../../platform/db';
import { UNCATEGORIZED } from './builtin';


/**
 * Every Postgres call of categories, one round trip per function (a `db.batch` is one POST).
 * Memo category columns are written here: the classifier's result, and the moves a rename or delete makes.
 */

/** A custom category as the feature writes and answers it; rows read from Postgres carry their sync position besides. */
export type CustomCategoryRow = Omit<typeof customCategories.$inferSelect, SyncColumnKey>;

/** SQL's side of `contentHash` (builtin.ts): the hash of what a job classified, compared in its UPDATE. */
const contentHashSql = sql`encode(sha256(convert_to(${memos.content} || E'\\n#' || array_to_string(${memos.tags}, ','), 'UTF8')), 'hex')`;

/** A memo to classify, with its owner's categories, in one round trip. */
export async function findClassificationInput(db: Db, memoId: string, userId: string) {
  const [memoRows, categories] = await db.batch([
    db
      .select({ content: memos.content, tags: memos.tags, hash: contentHashSql.mapWith(String) })
      .from(memos)
      .where(and(eq(memos.id, memoId), eq(memos.userId, userId))),
    db.select({ key: customCategories.key, name: customCategories.name, description: customCategories.description }).from(customCategories).where(eq(customCategories.userId, userId)).orderBy(asc(customCategories.createdAt)),
  ]);
  return { memo: memoRows[0], categories };
}

/**
 * Writes a classification only if the memo still has the classified content and is still
 * automatic: a newer edit (another hash) or a user's choice wins over a late result.
 */
export async function saveClassification(db: Db, memoId: string, hash: string, category: string | null, confidence: number | null): Promise<boolean> {
  const rows = await db
    .update(memos)
    .set({ category, categoryConfidence: confidence, classifyRequestedAt: null })
    .where(and(eq(memos.id, memoId), eq(memos.categoryChosen, false), sql`${contentHashSql} = ${hash}`))
    .returning({ id: memos.id });
  return rows.length === 1;
}

/**
 * Memos waiting for classification since before `cutoff` (a lost message, a failed send, the
 * backfill), oldest first; their wait restarts now, so the next cron run does not send them again.
 */
export async function takeWaitingMemos(db: Db, cutoff: Date, limit: number, now: Date) {
  const waiting = db.select({ id: memos.id }).from(memos).where(and(isNotNull(memos.classifyRequestedAt), lt(memos.classifyRequestedAt, cutoff))).orderBy(asc(memos.classifyRequestedAt)).limit(limit);
  return db
    .update(memos)
    .set({ classifyRequestedAt: now })
    .where(sql`${memos.id} in (${waiting})`)
    .returning({ memoId: memos.id, userId: memos.userId, contentHash: contentHashSql.mapWith(String) });
}



export async function hasCategoryKey(db: Db, userId: string, key: string): Promise<boolean> {
  const rows = await db.select({ id: customCategories.id }).from(customCategories).where(and(eq(customCategories.userId, userId), eq(customCategories.key, key)));
  return rows.length > 0;
}

export async function listCustom(db: Db, userId: string): Promise<CustomCategoryRow[]> {
  return db.select().from(customCategories).where(eq(customCategories.userId, userId)).orderBy(asc(customCategories.createdAt), asc(customCategories.id));
}

/** The user's custom categories and memo counts per category key, in one round trip. */
export async function categoriesWithCounts(db: Db, userId: string) {
  const [custom, counts] = await db.batch([
    db.select().from(customCategories).where(eq(customCategories.userId, userId)).orderBy(asc(customCategories.createdAt), asc(customCategories.id)),
    db.select({ category: memos.category, count: count() }).from(memos).where(eq(memos.userId, userId)).groupBy(memos.category),
  ]);
  return { custom, counts };
}

export interface QueuedMemo {
  memoId: string;
  userId: string;
  contentHash: string;
}

/**
 * The user's automatic memos that fit no category, waiting for classification again (a new or
 * renamed category may fit them), as `requeued` rows; only when `categoryExists` holds, so a refused
 * category write re-queues nothing. A CTE of the statement that writes the category.
 */
const requeueUnfitting = (userId: string, now: Date, categoryExists: SQL) => sql`
  requeued as (
    update ${memos} set classify_requested_at = ${now.toISOString()}::timestamptz
    where user_id = ${userId} and category is null and not category_chosen and ${categoryExists}
    returning ${memos.id} as "memoId", ${memos.userId} as "userId", ${contentHashSql} as "contentHash"
  )`;

const requeuedRows = sql`coalesce((select json_agg(requeued) from requeued), '[]'::json) as requeued`;

/**
 * Inserts unless the user has `limit` categories or the key already, and re-queues the user's
 * unfitting memos when it did; one statement, and the reason when nothing was inserted.
 */
export async function insertCustom(db: Db, row: CustomCategoryRow, limit: number, now: Date): Promise<{ created: CustomCategoryRow; requeued: QueuedMemo[] } | 'duplicate' | 'limit'> {
  const result = await db.execute<{ inserted: boolean; duplicate: boolean; requeued: QueuedMemo[] }>(sql`
    with existing as (select count(*) as n, bool_or(key = ${row.key}) as duplicate from ${customCategories} where user_id = ${row.userId}),
    inserted as (
      insert into ${customCategories} (id, user_id, key, name, description, icon, color, created_at, updated_at)
      select ${row.id}, ${row.userId}, ${row.key}, ${row.name}, ${row.description}, ${row.icon}, ${row.color}, ${row.createdAt}::timestamptz, ${row.updatedAt}::timestamptz
      where (select n from existing) < ${limit} and not coalesce((select duplicate from existing), false)
      on conflict (user_id, key) do nothing
      returning id
    ),
    ${requeueUnfitting(row.userId, now, sql`exists (select 1 from inserted)`)}
    select exists (select 1 from inserted) as inserted, coalesce((select duplicate from existing), false) as duplicate, ${requeuedRows}`);
  const outcome = result.rows[0];
  if (outcome?.inserted) return { created: row, requeued: outcome.requeued };
  return outcome?.duplicate ? 'duplicate' : 'limit';
}

type CustomFields = Pick<CustomCategoryRow, 'key' | 'name' | 'description' | 'icon' | 'color' | 'updatedAt'>;

/**
 * Moves the memos of the old key to the new one, writes the category, and re-queues the user's
 * unfitting memos (the changed name or description may fit them), in one transaction (db.batch).
 */
export async function updateCustom(db: Db, userId: string, id: string, fields: CustomFields): Promise<{ updated: CustomCategoryRow; requeued: QueuedMemo[] } | undefined> {
  const oldKey = db.select({ key: customCategories.key }).from(customCategories).where(and(eq(customCategories.id, id), eq(customCategories.userId, userId)));
  const stillThere = sql`exists (select 1 from ${customCategories} where id = ${id} and user_id = ${userId})`;
  const [, updated, requeue] = await db.batch([
    db.update(memos).set({ category: fields.key }).where(and(eq(memos.userId, userId), sql`${memos.category} = (${oldKey})`)),
    db.update(customCategories).set(fields).where(and(eq(customCategories.id, id), eq(customCategories.userId, userId))).returning(),
    db.execute<{ requeued: QueuedMemo[] }>(sql`with ${requeueUnfitting(userId, fields.updatedAt, stillThere)} select ${requeuedRows}`),
  ]);
  const category = updated[0];
  return category ? { updated: category, requeued: requeue.rows[0]?.requeued ?? [] } : undefined;
}

/**
 * Moves the category's memos to `uncategorized` (automatic again, waiting for classification) and
 * deletes it, in one transaction; undefined when the user has no such category.
 */
export async function deleteCustom(db: Db, userId: string, id: string, now: Date) {
  const key = db.select({ key: customCategories.key }).from(customCategories).where(and(eq(customCategories.id, id), eq(customCategories.userId, userId)));
  const [moved, deleted] = await db.batch([
    db
      .update(memos)
      .set({ category: UNCATEGORIZED, categoryConfidence: null, categoryChosen: false, classifyRequestedAt: now })
      .where(and(eq(memos.userId, userId), sql`${memos.category} = (${key})`))
      .returning({ memoId: memos.id, userId: memos.userId, contentHash: contentHashSql.mapWith(String) }),
    db.delete(customCategories).where(and(eq(customCategories.id, id), eq(customCategories.userId, userId))).returning({ id: customCategories.id }),
  ]);
  return deleted.length === 1 ? moved : undefined;
}
