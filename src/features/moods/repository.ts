import { and, asc, eq, getTableColumns, gte, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { focusedSeconds } from '../../db/focus-time';
import { focusSessions, moodCheckins } from '../../db/schema';
import type { Db } from '../../platform/db';

export type MoodRow = typeof moodCheckins.$inferSelect;
export type SessionRow = typeof focusSessions.$inferSelect;
export type NewMoodRow = Pick<MoodRow, 'id' | 'userId' | 'score' | 'emotions' | 'note' | 'recordedAt'> & { sessionId: string | null };
type MoodChange = Partial<Pick<MoodRow, 'score' | 'emotions' | 'note' | 'recordedAt' | 'sessionId'>>;

const ownsSession = (sessionId: string, userId: string) =>
  sql`exists (select 1 from ${focusSessions} where ${focusSessions.id} = ${sessionId} and ${focusSessions.userId} = ${userId})`;

/**
 * The new row as a SELECT list in the table's column order, for INSERT … SELECT; `sessionId` may be a
 * column of a CTE. The sync position comes last, as the columns' defaults (the table's sync trigger
 * sets it on every insert anyway).
 */
const rowSelection = (row: Omit<NewMoodRow, 'sessionId'>, sessionId: SQL | SQLWrapper) => sql`select
  ${row.id}, ${row.userId}, ${sessionId}, ${row.score}::int, ${sql.param(row.emotions, moodCheckins.emotions)}::text[],
  ${row.note}::text, ${sql.param(row.recordedAt, moodCheckins.recordedAt)}::timestamptz, now(), now(),
  nextval('sync_change_seq'), pg_current_xact_id(), now()`;

/**
 * Inserts a check-in, or nothing (undefined) when `sessionId` names no session of the user: the
 * ownership check and the write are one statement.
 */
export async function insertMood(db: Db, row: NewMoodRow): Promise<MoodRow | undefined> {
  const values = row.sessionId
    ? sql`${rowSelection(row, sql`${row.sessionId}`)} where ${ownsSession(row.sessionId, row.userId)}`
    : rowSelection(row, sql`null::text`);
  const [created] = await db.insert(moodCheckins).select(values).returning();
  return created;
}

/**
 * Runs a session's conditional UPDATE … RETURNING and inserts the check-in linked to the row it
 * returned, in one statement: when the update matches nothing, nothing is inserted either.
 */
export async function insertMoodWithSessionUpdate(
  db: Db,
  sessionUpdate: SQLWrapper,
  row: Omit<NewMoodRow, 'sessionId'>,
): Promise<{ session: SessionRow; mood: MoodRow } | undefined> {
  const updated = db.$with('updated_session', getTableColumns(focusSessions)).as(sessionUpdate.getSQL());
  const inserted = db
    .$with('inserted_mood', getTableColumns(moodCheckins))
    .as(db.insert(moodCheckins).select(sql`${rowSelection(row, updated.id)} from ${updated}`).returning().getSQL());
  const [result] = await db.with(updated, inserted).select().from(updated).innerJoin(inserted, sql`true`);
  return result && { session: result.updated_session, mood: result.inserted_mood };
}

export async function findMood(db: Db, id: string): Promise<MoodRow | undefined> {
  const [row] = await db.select().from(moodCheckins).where(eq(moodCheckins.id, id)).limit(1);
  return row;
}

/** Changes the user's check-in, or nothing when it is not theirs, a new `sessionId` is not one of their sessions, or it changed since `expectedUpdatedAt`. */
export async function updateMood(db: Db, id: string, userId: string, change: MoodChange, expectedUpdatedAt?: Date): Promise<MoodRow | undefined> {
  const conditions = [eq(moodCheckins.id, id), eq(moodCheckins.userId, userId)];
  // A write with If-Match: only if nobody changed the check-in since it was read.
  if (expectedUpdatedAt) conditions.push(eq(moodCheckins.updatedAt, expectedUpdatedAt));
  if (change.sessionId) conditions.push(ownsSession(change.sessionId, userId));
  const [row] = await db
    .update(moodCheckins)
    .set({ ...change, updatedAt: sql`now()` })
    .where(and(...conditions))
    .returning();
  return row;
}

export async function deleteMood(db: Db, id: string, userId: string): Promise<MoodRow | undefined> {
  const [row] = await db
    .delete(moodCheckins)
    .where(and(eq(moodCheckins.id, id), eq(moodCheckins.userId, userId)))
    .returning();
  return row;
}

/** A user's check-ins in a range, oldest first; a query, so another read can put it in its db.batch. */
export function listMoods(db: Db, userId: string, range: { start: Date; end: Date }) {
  return db
    .select()
    .from(moodCheckins)
    .where(and(eq(moodCheckins.userId, userId), gte(moodCheckins.recordedAt, range.start), lt(moodCheckins.recordedAt, range.end)))
    .orderBy(asc(moodCheckins.recordedAt), asc(moodCheckins.id));
}

interface LocalDays {
  userId: string;
  timeZone: string;
  start: Date;
  end: Date;
}

const localDayOf = (column: SQLWrapper, timeZone: string) => sql`(${column} at time zone ${timeZone})::date`;
const inRange = (column: SQLWrapper, days: LocalDays) =>
  sql`${column} >= ${days.start.toISOString()}::timestamptz and ${column} < ${days.end.toISOString()}::timestamptz`;

/**
 * Focus minutes per local day of the day a session was created (as the lists and the day in
 * review count it): the minutes the server measured, with a started session past its expiry
 * counting as completed (src/db/focus-time.ts).
 */
const focusMinutesPerLocalDay = (days: LocalDays, now: Date) => sql`
  select ${localDayOf(focusSessions.createdAt, days.timeZone)} as day, sum(${focusedSeconds(now)}) / 60 as minutes
  from ${focusSessions}
  where ${focusSessions.userId} = ${days.userId}
    and ${inRange(focusSessions.createdAt, days)}
  group by 1`;

export interface MoodStatsRow {
  days: { date: string; average_score: number; count: number }[];
  emotions: { emotion: string; count: number }[];
  focused: { average_score: number | null; days: number };
  other: { average_score: number | null; days: number };
}

/**
 * Everything `GET /moods/stats` shows, in one statement: the daily averages, the emotion counts, and
 * the mean daily score on days with at least `focusedMinutes` focus minutes against the other days
 * with check-ins.
 */
export async function moodStats(db: Db, days: LocalDays, focusedMinutes: number, now: Date): Promise<MoodStatsRow> {
  const result = await db.execute(sql`
    with checkins as (
      select ${localDayOf(moodCheckins.recordedAt, days.timeZone)} as day, ${moodCheckins.score} as score, ${moodCheckins.emotions} as emotions
      from ${moodCheckins}
      where ${moodCheckins.userId} = ${days.userId} and ${inRange(moodCheckins.recordedAt, days)}
    ),
    daily as (select day, avg(score)::float8 as average_score, count(*)::int as count from checkins group by day),
    focus as (${focusMinutesPerLocalDay(days, now)}),
    scored_days as (
      select daily.average_score, coalesce(focus.minutes, 0) >= ${focusedMinutes}::float8 as focused
      from daily left join focus using (day)
    ),
    chosen as (select emotion, count(*)::int as count from checkins, unnest(checkins.emotions) as emotion group by emotion)
    select
      (select coalesce(json_agg(json_build_object('date', to_char(day, 'YYYY-MM-DD'), 'average_score', average_score, 'count', count) order by day), '[]'::json) from daily) as days,
      (select coalesce(json_agg(json_build_object('emotion', emotion, 'count', count) order by count desc, emotion), '[]'::json) from chosen) as emotions,
      (select json_build_object('average_score', avg(average_score), 'days', count(*)) from scored_days where focused) as focused,
      (select json_build_object('average_score', avg(average_score), 'days', count(*)) from scored_days where not focused) as other`);
  return result.rows[0] as unknown as MoodStatsRow;
}
