import { and, asc, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { customCategories, memos } from '../../db/schema';
import type { Db } from '../../platform/db';


/**
 * Every Postgres call of categories, one round trip per function (a `db.batch` is one POST).
 * Memo category columns are written here: the classifier's result, and the moves a rename or delete makes.
 */

export type CustomCategoryRow = typeof customCategories.$inferSelect;

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


