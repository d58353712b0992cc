import { and, asc, eq, gte, lt, sql, type SQLWrapper } from 'drizzle-orm';
import { effectiveStatus, focusedSeconds } from '../../db/focus-time';
import { customCategories, dailySummaries, focusSessions, memos, moodCheckins, type StoredCategorySummary } from '../../db/schema';
import type { Db } from '../../platform/db';
import type { RedisClient, RedisPipeline } from '../../platform/redis';
import { moodsOfRangeQuery } from '../moods';

/**
 * The day-in-review reads. Each function is one Neon round trip: the retrospective is one
 * `db.batch` with one statement per part (a new part is one more statement), the statistics one SQL
 * statement with CTEs.
 */

export interface LocalRange {
  start: Date;
  end: Date;
}

const inRange = (column: typeof focusSessions.createdAt | typeof memos.createdAt, range: LocalRange) =>
  and(gte(column, range.start), lt(column, range.end));

const daySessions = (db: Db, userId: string, range: LocalRange, now: Date) =>
  db
    .select({ session: focusSessions, status: effectiveStatus(now), focusedSeconds: focusedSeconds(now) })
    .from(focusSessions)
    .where(and(eq(focusSessions.userId, userId), inRange(focusSessions.createdAt, range)))
    .orderBy(asc(focusSessions.createdAt), asc(focusSessions.id));

/** The retrospective's day: sessions, memo counts, the stored summary with the day's fingerprint, and check-ins. */
export async function readDay(db: Db, days: SummaryDays, now: Date) {
  const { userId, range } = days;
  const attachmentTypes = sql`(select array_agg(distinct a->>'type') from jsonb_array_elements(${memos.attachments}) a)`;
  const [sessions, memoGroups, states, moods] = await db.batch([
    daySessions(db, userId, range, now),
    // Memos grouped by category and by the attachment types they carry (a memo with an image and a
    // recording counts for both), small enough to count per group in the service.
    db
      .select({
        category: memos.category,
        types: sql<string[] | null>`${attachmentTypes}`,
        count: sql<number>`count(*)::int`,
      })
      .from(memos)
      .where(and(eq(memos.userId, userId), inRange(memos.createdAt, range)))
      .groupBy(memos.category, attachmentTypes),
    db.execute(summaryStatesStatement(days, now)),
    moodsOfRangeQuery(db, userId, range),
  ]);
  return { sessions, memoGroups, state: toSummaryStates(states.rows)[0]!, moods };
}

export interface FocusDayRow {
  date: string;
  focusSeconds: number;
  completedSessions: number;
  memoCount: number;
}

export interface FocusStatsRow {
  days: FocusDayRow[];
  currentStreak: number;
  longestStreak: number;
}

/**
 * Per local day of `tz` from `startDate` to `endDate`: seconds focused, sessions completed and memos
 * written, plus streaks of days with a completed session. `created_at at time zone tz` is the local
 * wall-clock time, so its date is the local day the half-open ranges of lib/local-day give (a DST
 * day is simply 23 or 25 hours of the same date). The current streak ends today, or yesterday while
 * today has no completed session yet, and never after `endDate`; both streaks count only days in range.
 */
export async function readFocusStats(db: Db, userId: string, tz: string, startDate: string, endDate: string, range: LocalRange, now: Date): Promise<FocusStatsRow> {
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const result = await db.execute(sql`
    with days as (
      select d::date as day from generate_series(${startDate}::date, ${endDate}::date, interval '1 day') d
    ), focus as (
      select (${focusSessions.createdAt} at time zone ${tz})::date as day,
        sum(${focusedSeconds(now)}) as seconds,
        count(*) filter (where ${effectiveStatus(now)} in ('completed', 'reviewed'))::int as completed
      from ${focusSessions}
      where ${focusSessions.userId} = ${userId} and ${inRange(focusSessions.createdAt, range)}
      group by 1
    ), notes as (
      select (${memos.createdAt} at time zone ${tz})::date as day, count(*)::int as memos
      from ${memos}
      where ${memos.userId} = ${userId} and ${inRange(memos.createdAt, range)}
      group by 1
    ), per_day as (
      select days.day, coalesce(focus.seconds, 0)::float8 as seconds, coalesce(focus.completed, 0) as completed, coalesce(notes.memos, 0) as memos
      from days left join focus using (day) left join notes using (day)
    ), islands as (
      select day, day - (row_number() over (order by day))::int as island from per_day where completed > 0
    ), runs as (
      select max(day) as last_day, count(*)::int as length from islands group by island
    ), anchor as (
      select least(${endDate}::date, (${nowSql} at time zone ${tz})::date) as day, (${nowSql} at time zone ${tz})::date as today
    )
    select
      (select coalesce(json_agg(json_build_array(to_char(day, 'YYYY-MM-DD'), seconds, completed, memos) order by day), '[]'::json) from per_day) as days,
      coalesce((select max(length) from runs), 0) as longest,
      coalesce((select runs.length from runs, anchor
        where runs.last_day = anchor.day or (anchor.day = anchor.today and runs.last_day = anchor.day - 1)
        order by runs.last_day desc limit 1), 0) as current`);
  const row = result.rows[0] as { days: [string, number, number, number][]; longest: number; current: number };
  return {
    days: row.days.map(([date, focusSeconds, completedSessions, memoCount]) => ({ date, focusSeconds, completedSessions, memoCount })),
    currentStreak: Number(row.current),
    longestStreak: Number(row.longest),
  };
}

/** Local days of one user in one zone: `startDate`..`endDate` and the half-open instants they span. */
export interface SummaryDays {
  userId: string;
  tz: string;
  startDate: string;
  endDate: string;
  range: LocalRange;
}

export interface StoredSummary {
  aiComment: string;
  categorySummaries: StoredCategorySummary[];
  totalMemos: number;
  focusMinutes: number;
  completedSessions: number;
  generatedBy: string;
  fingerprint: string;
  generatedAt: Date;
  createdAt: Date;
}

/** A local day's stored summary (if any) next to what the day holds now. */
export interface SummaryState {
  date: string;
  memoCount: number;
  /** md5 over the day's memos (id, updated_at, category), sessions (id, effective status, revision, completion) and check-ins (id, updated_at). */
  fingerprint: string;
  summary: StoredSummary | undefined;
  /** The database's clock when the day was read: the version a summary built from this read carries. */
  readAt: Date;
}

const epoch = (column: SQLWrapper) => sql`extract(epoch from ${column})::text`;

/**
 * One statement: for each local day, its memo count, its current fingerprint and its stored
 * summary. Days are grouped by `… at time zone tz` within the range's half-open instants, as the
 * statistics do, so a memo at 23:30 in Seoul is Seoul's day, whatever UTC says.
 */
function summaryStatesStatement({ userId, tz, startDate, endDate, range }: SummaryDays, now: Date) {
  const dayOf = (column: SQLWrapper) => sql`(${column} at time zone ${tz})::date`;
  const within = (column: SQLWrapper) => sql`${column} >= ${range.start.toISOString()}::timestamptz and ${column} < ${range.end.toISOString()}::timestamptz`;
  return sql`
    with days as (
      select d::date as day from generate_series(${startDate}::date, ${endDate}::date, interval '1 day') d
    ), m as (
      select ${dayOf(memos.createdAt)} as day, count(*)::int as memos,
        string_agg(${memos.id} || ':' || ${epoch(memos.updatedAt)} || ':' || coalesce(${memos.category}, ''), ',' order by ${memos.id}) as part
      from ${memos} where ${memos.userId} = ${userId} and ${within(memos.createdAt)} group by 1
    ), s as (
      select ${dayOf(focusSessions.createdAt)} as day,
        string_agg(${focusSessions.id} || ':' || ${effectiveStatus(now)} || ':' || ${focusSessions.revision} || ':' || coalesce(${epoch(focusSessions.completedAt)}, ''), ',' order by ${focusSessions.id}) as part
      from ${focusSessions} where ${focusSessions.userId} = ${userId} and ${within(focusSessions.createdAt)} group by 1
    ), c as (
      select ${dayOf(moodCheckins.recordedAt)} as day,
        string_agg(${moodCheckins.id} || ':' || ${epoch(moodCheckins.updatedAt)}, ',' order by ${moodCheckins.id}) as part
      from ${moodCheckins} where ${moodCheckins.userId} = ${userId} and ${within(moodCheckins.recordedAt)} group by 1
    )
    select to_char(days.day, 'YYYY-MM-DD') as date, coalesce(m.memos, 0) as memos,
      md5(coalesce(m.part, '') || '|' || coalesce(s.part, '') || '|' || coalesce(c.part, '')) as fingerprint,
      (select row_to_json(stored) from ${dailySummaries} stored
        where stored.user_id = ${userId} and stored.tz = ${tz} and stored.local_date = to_char(days.day, 'YYYY-MM-DD')) as summary,
      statement_timestamp() as read_at
    from days left join m using (day) left join s using (day) left join c using (day)
    order by days.day`;
}

interface StoredSummaryJson {
  ai_comment: string;
  category_summaries: StoredCategorySummary[];
  total_memos: number;
  focus_minutes: number;
  completed_sessions: number;
  generated_by: string;
  fingerprint: string;
  generated_at: string;
  created_at: string;
}

function toSummaryStates(rows: Record<string, unknown>[]): SummaryState[] {
  return rows.map((row) => {
    const stored = row.summary as StoredSummaryJson | null;
    return {
      date: row.date as string,
      memoCount: Number(row.memos),
      fingerprint: row.fingerprint as string,
      readAt: new Date(row.read_at as string),
      summary: stored
        ? {
            aiComment: stored.ai_comment,
            categorySummaries: stored.category_summaries,
            totalMemos: stored.total_memos,
            focusMinutes: stored.focus_minutes,
            completedSessions: stored.completed_sessions,
            generatedBy: stored.generated_by,
            fingerprint: stored.fingerprint,
            generatedAt: new Date(stored.generated_at),
            createdAt: new Date(stored.created_at),
          }
        : undefined,
    };
  });
}

/** Each local day's stored summary and current fingerprint, in one statement. */
export async function readSummaryStates(db: Db, days: SummaryDays, now: Date): Promise<SummaryState[]> {
  return toSummaryStates((await db.execute(summaryStatesStatement(days, now))).rows);
}

/** What a summary job reads of its day, in one round trip: the state, sessions, memos and check-ins. */
export async function readDayToSummarise(db: Db, days: SummaryDays, now: Date) {
  const { userId, range } = days;
  const [states, sessions, dayMemos, moods] = await db.batch([
    db.execute(summaryStatesStatement(days, now)),
    daySessions(db, userId, range, now),
    db
      .select({ content: memos.content, tags: memos.tags, category: memos.category, categoryName: customCategories.name })
      .from(memos)
      // A custom category's name, so the summary calls it as the user named it.
      .leftJoin(customCategories, and(eq(customCategories.userId, memos.userId), eq(customCategories.key, memos.category)))
      .where(and(eq(memos.userId, userId), inRange(memos.createdAt, range)))
      .orderBy(asc(memos.createdAt), asc(memos.id)),
    moodsOfRangeQuery(db, userId, range),
  ]);
  return { state: toSummaryStates(states.rows)[0]!, sessions, memos: dayMemos, moods };
}

export type NewSummaryRow = Omit<typeof dailySummaries.$inferInsert, 'generatedAt' | 'createdAt'>;

/**
 * Writes a summary unless the stored one was built from a later read of the day: a job that read
 * the day before another one did never overwrites that one's summary, whichever finishes last.
 */
export async function upsertSummary(db: Db, row: NewSummaryRow): Promise<boolean> {
  const written = await db
    .insert(dailySummaries)
    .values(row)
    .onConflictDoUpdate({
      target: [dailySummaries.userId, dailySummaries.localDate, dailySummaries.tz],
      set: {
        aiComment: sql`excluded.ai_comment`,
        categorySummaries: sql`excluded.category_summaries`,
        totalMemos: sql`excluded.total_memos`,
        focusMinutes: sql`excluded.focus_minutes`,
        completedSessions: sql`excluded.completed_sessions`,
        generatedBy: sql`excluded.generated_by`,
        fingerprint: sql`excluded.fingerprint`,
        sourceVersion: sql`excluded.source_version`,
        generatedAt: sql`now()`,
      },
      setWhere: sql`excluded.source_version > ${dailySummaries.sourceVersion}`,
    })
    .returning({ userId: dailySummaries.userId });
  return written.length > 0;
}

/** How long a queued generation holds its day: polls within it queue nothing more. */
const SUMMARY_JOB_CLAIM_SECONDS = 60;

/**
 * A user's claims, one hash (field `{date}:{tz}:{fingerprint}`, value the claim's end in epoch
 * seconds), so a purge of the user finds them under one key. The hash lives as long as its
 * newest claim.
 */
const summaryClaimsKey = (userId: string) => `summary-jobs:${userId}`;
export const summaryClaimField = (date: string, tz: string, fingerprint: string) => `${date}:${tz}:${fingerprint}`;

// For each field, claimed (1) unless a claim on it still runs (0); claims that ended are dropped
// first, so a client that never stops polling never grows the hash; it outlives the newest claim.
const CLAIM = `
local now = tonumber(redis.call('TIME')[1])
local ttl = tonumber(ARGV[1])
local held = redis.call('HGETALL', KEYS[1])
for i = 1, #held, 2 do
  if tonumber(held[i + 1]) <= now then redis.call('HDEL', KEYS[1], held[i]) end
end
local claimed = {}
for i = 2, #ARGV do
  local holds = tonumber(redis.call('HGET', KEYS[1], ARGV[i]))
  if holds and holds > now then claimed[#claimed + 1] = 0
  else redis.call('HSET', KEYS[1], ARGV[i], now + ttl); claimed[#claimed + 1] = 1 end
end
redis.call('EXPIRE', KEYS[1], ttl)
return claimed`;

/** Claims each day's generation in one script; true where this caller must queue the job. One round trip. */
export async function claimSummaryJobs(redis: RedisClient, userId: string, fields: string[]): Promise<boolean[]> {
  if (fields.length === 0) return [];
  const replies = await redis.eval<string[], number[]>(CLAIM, [summaryClaimsKey(userId)], [String(SUMMARY_JOB_CLAIM_SECONDS), ...fields]);
  return replies.map((reply) => Number(reply) === 1);
}

/** For the purge of a user: their summary claims, in the caller's pipeline. */
export const forgetSummaryClaimsIn = (pipeline: RedisPipeline, userId: string) => pipeline.del(summaryClaimsKey(userId));
