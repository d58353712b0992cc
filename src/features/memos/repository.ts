import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { WithSubqueryWithSelection } from 'drizzle-orm/pg-core';
import { memos, pendingUploads, type StoredAttachment, type SyncColumnKey } from '../../db/schema';
import type { ListPosition } from '../../lib/pagination';
import { BIGRAM_HEAD, likePattern, regexLiteral, usesBigrams, type SearchPosition } from './search';
import type { Db } from '../../platform/db';
import type { RedisClient } from '../../platform/redis';
import type { CategoryColumns } from '../categories';

/**
 * Every Postgres and Redis call of memos, one round trip per function (a `db.batch` is one POST).
 * Per endpoint: list, get and delete make one Neon call; create makes one (two with direct uploads);
 * update makes two; an upload ticket makes one, and so does the Worker PUT of its bytes. A pin or an
 * unpin is one statement, the pinned list one per page, a search one.
 */

/** A memo as the feature reads and answers it; rows read from Postgres carry their sync position besides. */
export type MemoRow = Omit<typeof memos.$inferSelect, SyncColumnKey>;
export type PendingUpload = typeof pendingUploads.$inferSelect;

export interface MemoWrite {
  id: string;
  userId: string;
  content: string;
  tags: string[];
  attachments: StoredAttachment[];
  updatedAt: Date;
  /** As features/categories decided it (categoryOnCreate, categoryOnEdit). */
  category: CategoryColumns;
}

export async function findMemo(db: Db, id: string): Promise<MemoRow | undefined> {
  const [row] = await db.select().from(memos).where(eq(memos.id, id));
  return row;
}

/** The memo and the caller's pending uploads among `uploadIds`, read together in one round trip. */
export async function findMemoAndUploads(db: Db, id: string, userId: string, uploadIds: string[]) {
  if (uploadIds.length === 0) return { memo: await findMemo(db, id), uploads: [] };
  const [memoRows, uploads] = await db.batch([db.select().from(memos).where(eq(memos.id, id)), selectPendingUploads(db, userId, uploadIds)]);
  return { memo: memoRows[0], uploads };
}

const selectPendingUploads = (db: Db, userId: string, ids: string[]) =>
  db
    .select()
    .from(pendingUploads)
    .where(and(eq(pendingUploads.userId, userId), inArray(pendingUploads.id, ids)));

export async function findPendingUploads(db: Db, userId: string, ids: string[]): Promise<PendingUpload[]> {
  return selectPendingUploads(db, userId, ids);
}

/**
 * One page of a user's memos created in `[start, end)` after `after`, oldest first (index
 * memos_user_created_idx): at most `maxRows` rows, and no more rows than fit in `maxBytes` of
 * stored text (always at least one), so a day of huge memos still comes back in answers well under
 * Neon's 10 MB. `category`, when given, keeps only memos of that key. `more` says whether rows remain after this page.
 */
export async function listMemosPage(db: Db, userId: string, range: { start: Date; end: Date; category?: string }, after: ListPosition | undefined, maxRows: number, maxBytes: number) {
  const { start, end, category } = range;
  const size = sql`(octet_length(${memos.content}) + octet_length(${memos.attachments}::text) + octet_length(array_to_string(${memos.tags}, ',')))`;
  const candidates = db.$with('candidates').as(
    db
      .select({
        id: memos.id,
        bytesBefore: sql<number>`sum(${size}) over (order by ${memos.createdAt}, ${memos.id}) - ${size}`.as('bytes_before'),
        remaining: sql<number>`count(*) over ()`.as('remaining'),
      })
      .from(memos)
      .where(
        and(
          eq(memos.userId, userId),
          gte(memos.createdAt, start),
          lt(memos.createdAt, end),
          category === undefined ? undefined : eq(memos.category, category),
          after ? sql`(${memos.createdAt}, ${memos.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id})` : undefined,
        ),
      )
      .orderBy(asc(memos.createdAt), asc(memos.id))
      .limit(maxRows),
  );
  return withinBytes(db, candidates, maxBytes, [asc(memos.createdAt), asc(memos.id)]);
}

/** The size a memo adds to a page: its text, tags and attachment records (what its JSON mostly is). */
const storedSize = sql`(octet_length(${memos.content}) + octet_length(${memos.attachments}::text) + octet_length(array_to_string(${memos.tags}, ',')))`;

/** Where a pinned list page ends: the last memo's pin time and id, the order it lists in. */
export interface PinPosition {
  pinnedAt: Date;
  id: string;
}

/**
 * One page of a user's pinned memos after `after`, newest pin first (index memos_user_pinned_idx),
 * bounded like listMemosPage: at most `maxRows`, and no more than fit in `maxBytes` of stored text.
 */
export async function listPinnedPage(db: Db, userId: string, after: PinPosition | undefined, maxRows: number, maxBytes: number) {
  const candidates = db.$with('candidates').as(
    db
      .select({
        id: memos.id,
        bytesBefore: sql<number>`sum(${storedSize}) over (order by ${memos.pinnedAt} desc, ${memos.id} desc) - ${storedSize}`.as('bytes_before'),
        remaining: sql<number>`count(*) over ()`.as('remaining'),
      })
      .from(memos)
      .where(
        and(
          eq(memos.userId, userId),
          sql`${memos.pinnedAt} is not null`,
          after ? sql`(${memos.pinnedAt}, ${memos.id}) < (${after.pinnedAt.toISOString()}::timestamptz, ${after.id})` : undefined,
        ),
      )
      .orderBy(desc(memos.pinnedAt), desc(memos.id))
      .limit(maxRows),
  );
  return withinBytes(db, candidates, maxBytes, [desc(memos.pinnedAt), desc(memos.id)]);
}

type PageCandidates = WithSubqueryWithSelection<{ id: typeof memos.id; bytesBefore: SQL.Aliased<number>; remaining: SQL.Aliased<number> }, 'candidates'>;

/** A page's memos, in `order`: the candidates whose text before them fits in `maxBytes`, and whether more follow. */
async function withinBytes(db: Db, candidates: PageCandidates, maxBytes: number, order: SQL[]) {
  const rows = await db
    .with(candidates)
    .select({ memo: memos, remaining: candidates.remaining })
    .from(candidates)
    .innerJoin(memos, eq(memos.id, candidates.id))
    .where(lt(candidates.bytesBefore, maxBytes))
    .orderBy(...order);
  return { rows: rows.map((row) => row.memo), more: rows.length > 0 && rows.length < Number(rows[0]?.remaining) };
}

/**
 * Pins (`at` set) or unpins (`at` null) the caller's memo in one statement, and says whose memo
 * `id` is (undefined: none). Pinning an already pinned memo keeps its first pin time, unpinning an
 * unpinned one changes nothing: both are idempotent, and neither touches `updated_at`.
 */
export async function setPinned(db: Db, id: string, userId: string, at: Date | null): Promise<{ ownerId: string | undefined }> {
  const result = await db.execute<{ owner_id: string | null }>(sql`
    with target as (select user_id from ${memos} where id = ${id}),
    changed as (
      update ${memos} set pinned_at = ${at}::timestamptz
      where id = ${id} and user_id = ${userId} and ${at === null ? sql`pinned_at is not null` : sql`pinned_at is null`}
      returning 1
    )
    select (select user_id from target) as owner_id, (select count(*) from changed) as changed`);
  return { ownerId: result.rows[0]?.owner_id ?? undefined };
}

export interface SearchFilter {
  /** Folded words (features/memos/search.ts): every one must occur. */
  terms: string[];
  /** The folded query as one phrase, for the phrase bonus when it has several words. */
  phrase: string;
  category?: string;
  start?: Date;
  end?: Date;
}

/**
 * The normalized text, `lower(normalize(content || tags, NFKC))`: a stored generated column that
 * migration 0010 made and the drizzle schema leaves out, so no other read carries it.
 */
const searchText = sql`${memos}.search_text`;

/**
 * One word's condition. 3 characters or more: the trigram GIN index (rechecked). 2 characters,
 * when the query has no longer word: the bigram GIN index over the first BIGRAM_HEAD characters
 * ORed with memos_search_long_idx (longer memos) in one bitmap, both exact, so nothing is
 * rechecked and the LIKE is what each row is checked with; spelled this way the OR is implied by
 * the bitmap and never evaluated per row (memo_head_bigrams per row made a search 30 times slower).
 * With a longer word in the query, its trigrams find the rows and a 2-character word is only a
 * LIKE: ANDed with a trigram bitmap, whose rows are all rechecked, the OR would be evaluated per
 * row again. The expressions must stay as the indexes spell them, or the planner cannot match them.
 */
const termMatches = (term: string, byBigrams: boolean): SQL => {
  if (!usesBigrams(term)) return sql`${searchText} like ${likePattern(term)}`;
  // strpos, not LIKE: the trigram index would take '%회의%' too, answer every row (no trigram to
  // look up) for recheck, and so run memo_head_bigrams on every row of the table (3 s on 120,000).
  const contains = sql`strpos(${searchText}, ${term}::text) > 0`;
  return byBigrams ? sql`(${contains} and (memo_head_bigrams(${searchText}) @> array[${term}::text] or length(${searchText}) > ${sql.raw(String(BIGRAM_HEAD))}))` : contains;
};

/**
 * The score of a memo that matched every term, rounded to 4 places (a numeric, so a cursor
 * compares exactly). Per term: ln(1 + occurrences), +0.5 when it starts a word, +1 when it is a
 * whole tag (or a line of its own: tags are the lines after the content in search_text); +1 when a
 * query of several words occurs as typed; the sum damped for long memos (÷ (1 + ¼·ln(1 +
 * characters/1000))), so a short memo about the word beats a long one mentioning it. Every part
 * is a plain string function: each matching row is scored, so a per-row subquery would dominate.
 */
function scoreOf(filter: SearchFilter): SQL {
  const perTerm = filter.terms.map(
    (term) => sql`(
      ln(1 + ((length(${searchText}) - length(replace(${searchText}, ${term}::text, ''))) / length(${term}::text))::float8)
      + case when ${searchText} ~ ('(^|[[:space:][:punct:]])' || ${regexLiteral(term)}::text) then 0.5::float8 else 0 end
      + case when strpos(E'\n' || ${searchText} || E'\n', E'\n' || ${term}::text || E'\n') > 0 then 1::float8 else 0 end
    )`,
  );
  const phrase = filter.terms.length > 1 ? sql` + case when strpos(${searchText}, ${filter.phrase}::text) > 0 then 1::float8 else 0 end` : sql``;
  // float8 throughout (a numeric ln costs ten times more per row); only the result is a numeric.
  return sql`round(((${sql.join(perTerm, sql` + `)}${phrase}) / (1 + 0.25 * ln(1 + length(${searchText}) / 1000::float8)))::numeric, 4)`;
}

/**
 * One page of a user's memos matching every term, best first, ties newest first (`score desc,
 * id desc`), after `after`; one statement. The best `maxRows + 1` are picked first (a top-N sort
 * of ids and scores, however many match), then cut where their stored text passes `maxBytes`
 * (always at least one), so an answer stays well under Neon's 10 MB like a list page.
 */
export async function searchMemosPage(db: Db, userId: string, filter: SearchFilter, after: SearchPosition | undefined, maxRows: number, maxBytes: number) {
  const matched = db.$with('matched').as(
    db
      .select({ id: memos.id, score: sql<string>`${scoreOf(filter)}`.as('score') })
      .from(memos)
      .where(
        and(
          eq(memos.userId, userId),
          ...filter.terms.map((term) => termMatches(term, filter.terms.every(usesBigrams))),
          filter.category === undefined ? undefined : eq(memos.category, filter.category),
          filter.start ? gte(memos.createdAt, filter.start) : undefined,
          filter.end ? lt(memos.createdAt, filter.end) : undefined,
        ),
      ),
  );
  // Each CTE selects from the one before without a `with` of its own (that would repeat it inside).
  const best = db.$with('best').as(
    db
      .select({ id: matched.id, score: matched.score })
      .from(matched)
      .where(after ? sql`(${matched.score}, ${matched.id}) < (${after.score}::numeric, ${after.id}::text)` : undefined)
      .orderBy(sql`${matched.score} desc`, sql`${matched.id} desc`)
      .limit(maxRows + 1),
  );
  const sized = db.$with('sized').as(
    db
      .select({
        id: best.id,
        score: best.score,
        bytesBefore: sql<number>`sum(${storedSize}) over (order by ${best.score} desc, ${best.id} desc) - ${storedSize}`.as('bytes_before'),
        fetched: sql<number>`count(*) over ()`.as('fetched'),
      })
      .from(best)
      .innerJoin(memos, eq(memos.id, best.id)),
  );
  const rows = await db
    .with(matched, best, sized)
    .select({ memo: memos, score: sized.score, fetched: sized.fetched })
    .from(sized)
    .innerJoin(memos, eq(memos.id, sized.id))
    .where(lt(sized.bytesBefore, maxBytes))
    .orderBy(sql`${sized.score} desc`, sql`${sized.id} desc`);
  const page = rows.slice(0, maxRows);
  return {
    rows: page.map((row) => ({ memo: row.memo, score: String(row.score) })),
    more: page.length > 0 && page.length < Number(rows[0]?.fetched),
  };
}

/**
 * Locks the caller's pending uploads among `ids`; `ready` is true only when every one of them is
 * still there. Two requests claiming the same upload serialize on the row lock, and the second
 * then finds it gone, so an upload is attached to at most one memo.
 */
const lockUploads = (userId: string, ids: string[]) => sql`
  locked as (
    select id from ${pendingUploads}
    where id = any(${sql.param(ids)}::text[]) and user_id = ${userId}
    for update
  )`;

const claimLocked = sql`
  claimed as (
    delete from ${pendingUploads} where id in (select id from locked) and (select ok from ready)
    returning id
  )`;

/**
 * Inserts the memo and claims its direct uploads in one statement (one atomic round trip): either
 * both happen or neither does. False when an upload was claimed or expired meanwhile.
 */
export async function insertMemo(db: Db, memo: MemoWrite & { createdAt: Date }, uploadIds: string[]): Promise<boolean> {
  const result = await db.execute(sql`
    with ${lockUploads(memo.userId, uploadIds)},
    ready as (select (select count(*) from locked) = ${uploadIds.length} as ok),
    ${claimLocked}
    insert into ${memos} (id, user_id, content, tags, attachments, created_at, updated_at, category, category_confidence, category_chosen, classify_requested_at)
    select ${memo.id}::text, ${memo.userId}::text, ${memo.content}::text, ${sql.param(memo.tags)}::text[],
           ${JSON.stringify(memo.attachments)}::jsonb, ${memo.createdAt}::timestamptz, ${memo.updatedAt}::timestamptz,
           ${memo.category.category}::text, ${memo.category.categoryConfidence}::real, ${memo.category.categoryChosen}::boolean, ${memo.category.classifyRequestedAt}::timestamptz
    where (select ok from ready)
    returning id`);
  return result.rowCount === 1;
}

/**
 * Rewrites the memo and claims new direct uploads in one statement, only if it is still the
 * caller's and its attachments are still `expected` (what the edit was computed from). Without
 * that check, two concurrent edits could each keep an attachment the other deletes. False when
 * anything changed meanwhile; nothing is written then.
 */
export async function updateMemo(db: Db, memo: MemoWrite, expected: StoredAttachment[], uploadIds: string[], unchangedSince?: MemoRow): Promise<boolean> {
  const result = await db.execute(sql`
    with target as (
      select id from ${memos}
      where id = ${memo.id} and user_id = ${memo.userId} and attachments = ${JSON.stringify(expected)}::jsonb ${unchanged(unchangedSince)}
      for update
    ),
    ${lockUploads(memo.userId, uploadIds)},
    ready as (select (select count(*) from target) = 1 and (select count(*) from locked) = ${uploadIds.length} as ok),
    ${claimLocked}
    update ${memos}
    set content = ${memo.content}, tags = ${sql.param(memo.tags)}::text[], attachments = ${JSON.stringify(memo.attachments)}::jsonb,
        updated_at = ${memo.updatedAt}::timestamptz, category = ${memo.category.category}::text,
        category_confidence = ${memo.category.categoryConfidence}::real, category_chosen = ${memo.category.categoryChosen}::boolean,
        classify_requested_at = ${memo.category.classifyRequestedAt}::timestamptz
    where id in (select id from target) and (select ok from ready)
    returning id`);
  return result.rowCount === 1;
}

/**
 * An If-Match write's condition: everything the memo's entity tag covers is as it was read (a pin
 * or a classification changes the answer without touching `updated_at`).
 */
function unchanged(read: MemoRow | undefined) {
  if (!read) return sql``;
  return sql`and updated_at = ${read.updatedAt.toISOString()}::timestamptz and content = ${read.content} and tags = ${sql.param(read.tags)}::text[]
    and pinned_at is not distinct from ${read.pinnedAt?.toISOString() ?? null}::timestamptz and category is not distinct from ${read.category}::text
    and category_confidence is not distinct from ${read.categoryConfidence}::real and is_archived = ${read.isArchived}::boolean`;
}

/**
 * Deletes the caller's memo and says whose it was, in one round trip: `ownerId` is undefined when
 * no such memo exists, and `attachments` is set only when the caller owned (and deleted) it.
 */
export async function deleteMemo(db: Db, id: string, userId: string) {
  const [owners, deleted] = await db.batch([
    db.select({ userId: memos.userId }).from(memos).where(eq(memos.id, id)),
    db
      .delete(memos)
      .where(and(eq(memos.id, id), eq(memos.userId, userId)))
      .returning({ attachments: memos.attachments }),
  ]);
  return { ownerId: owners[0]?.userId, attachments: deleted[0]?.attachments };
}

/** Whether `key` is still the pending upload `id` of `owner`: neither attached to a memo nor expired. One primary-key lookup. */
export async function isPendingUpload(db: Db, owner: string, id: string, key: string): Promise<boolean> {
  const rows = await db
    .select({ id: pendingUploads.id })
    .from(pendingUploads)
    .where(and(eq(pendingUploads.id, id), eq(pendingUploads.userId, owner), eq(pendingUploads.key, key)));
  return rows.length > 0;
}

export async function insertPendingUpload(db: Db, upload: Omit<PendingUpload, 'createdAt'> & { createdAt: Date }) {
  await db.insert(pendingUploads).values(upload);
}

/**
 * Deletes up to `limit` pending uploads created before `cutoff` and returns their keys. The row goes
 * first: deleting it is the same hand-off a claim makes, so exactly one of "attach" and "expire" wins
 * and an object is never removed from under a memo that just claimed it.
 */
export async function takeExpiredUploads(db: Db, cutoff: Date, limit: number): Promise<string[]> {
  const expired = db.select({ id: pendingUploads.id }).from(pendingUploads).where(lt(pendingUploads.createdAt, cutoff)).orderBy(asc(pendingUploads.createdAt)).limit(limit);
  const rows = await db.delete(pendingUploads).where(inArray(pendingUploads.id, expired)).returning({ key: pendingUploads.key });
  return rows.map((row) => row.key);
}

/**
 * The keys among `keys` that no memo references and no pending upload holds. A key is
 * `{user_id}/{attachment_id}.{ext}`, so each lookup is confined to one user's memos and one pending row.
 */
export async function unreferencedKeys(db: Db, keys: string[]): Promise<string[]> {
  const result = await db.execute<{ key: string }>(sql`
    select k.key from unnest(${sql.param(keys)}::text[]) as k(key)
    where not exists (
      select 1 from ${memos} m
      where m.user_id = split_part(k.key, '/', 1) and m.attachments @> jsonb_build_array(jsonb_build_object('key', k.key))
    )
    and not exists (
      select 1 from ${pendingUploads} p
      where p.id = split_part(split_part(k.key, '/', 2), '.', 1) and p.key = k.key
    )`);
  return result.rows.map((row) => row.key);
}

/** Where the orphan sweep resumes: the last key it looked at, kept across runs (isolates share no memory). */
const SWEEP_POSITION_KEY = 'memo_orphan_sweep:after';

export async function readSweepPosition(redis: RedisClient): Promise<string | undefined> {
  return (await redis.get<string>(SWEEP_POSITION_KEY)) ?? undefined;
}

export async function saveSweepPosition(redis: RedisClient, lastKey: string | undefined) {
  if (lastKey === undefined) await redis.del(SWEEP_POSITION_KEY);
  else await redis.set(SWEEP_POSITION_KEY, lastKey);
}

/** For the purge of a user: up to `limit` of their memos, gone. Returns how many. */
export async function deleteMemosOf(db: Db, userId: string, limit: number): Promise<number> {
  const result = await db.execute(sql`
    delete from memos where id in (select id from memos where user_id = ${userId} limit ${limit}) returning 1`);
  return result.rows.length;
}
