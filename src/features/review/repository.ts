import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import { effectiveStatus, focusedSeconds } from '../../db/focus-time';
import { focusSessions, memos } from '../../db/schema';
import type { Db } from '../../platform/db';

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

export async function readDay(db: Db, userId: string, range: LocalRange, now: Date) {
  const attachmentTypes = sql`(select array_agg(distinct a->>'type') from jsonb_array_elements(${memos.attachments}) a)`;
  const [sessions, memoGroups] = await db.batch([
    db
      .select({ session: focusSessions, status: effectiveStatus(now), focusedSeconds: focusedSeconds(now) })
      .from(focusSessions)
      .where(and(eq(focusSessions.userId, userId), inRange(focusSessions.createdAt, range)))
      .orderBy(asc(focusSessions.createdAt), asc(focusSessions.id)),
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
  ]);
  return { sessions, memoGroups };
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
