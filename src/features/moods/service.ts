import type { SQLWrapper } from 'drizzle-orm';
import { isObjectId, newObjectId } from '../../lib/ids';
import { localDayRange, type LocalDayQuery } from '../../lib/local-day';
import { forbidden, notFound, preconditionFailed, validationFailed } from '../../lib/problem';
import type { Db } from '../../platform/db';
import type { Services } from '../../platform/services';
import { MAX_CLIENT_CLOCK_SKEW_MS } from '../../lib/clock';
import * as repository from './repository';
import type { MoodRow, SessionRow } from './repository';
import { FOCUSED_DAY_MINUTES, type CreateMoodInput, type MoodResponse, type MoodStats, type ReviewMoodInput, type UpdateMoodInput } from './schemas';

type Deps = Pick<Services, 'db'>;

const MOOD_NOT_FOUND = 'Mood check-in not found';
const notYourSession = () => validationFailed([{ field: 'body.session_id', message: 'must be one of your sessions' }], 'Session not found');

export function toResponse(row: MoodRow): MoodResponse {
  return {
    id: row.id,
    score: row.score,
    emotions: row.emotions,
    note: row.note,
    recorded_at: row.recordedAt.toISOString(),
    session_id: row.sessionId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * The sessions' clock rule for a check-in: the client's `recorded_at` is kept, since a mood may be
 * logged after the fact, but a client clock more than 2 minutes ahead of the server cannot place a
 * check-in in the future (on tomorrow's local day): such an instant is taken as the server's now.
 */
export function recordedInstant(clientTime: string | undefined, now: Date): Date {
  if (clientTime === undefined) return now;
  const time = new Date(clientTime);
  return time.getTime() - now.getTime() > MAX_CLIENT_CLOCK_SKEW_MS ? now : time;
}

/** Only an ObjectId can name a check-in; anything else is simply not found. */
function assertPlausibleId(id: string) {
  if (!isObjectId(id)) throw notFound(MOOD_NOT_FOUND);
}

/** Says why a write of a check-in matched nothing: unknown id, someone else's, or a `session_id` that is not the caller's. */
async function explainMiss(db: Db, id: string, userId: string, sessionId: string | null | undefined): Promise<never> {
  const row = await repository.findMood(db, id);
  if (!row) throw notFound(MOOD_NOT_FOUND);
  if (row.userId !== userId) throw forbidden();
  // The caller's own check-in matched nothing: the session it named was refused, or, without one,
  // the check-in was deleted between the write and this read.
  if (sessionId) throw notYourSession();
  throw notFound(MOOD_NOT_FOUND);
}

export async function createMood({ db }: Deps, userId: string, input: CreateMoodInput, now = new Date()): Promise<MoodResponse> {
  const row = await repository.insertMood(db, {
    id: newObjectId(now.getTime()),
    userId,
    sessionId: input.session_id ?? null,
    score: input.score,
    emotions: input.emotions,
    note: input.note ?? null,
    recordedAt: recordedInstant(input.recorded_at, now),
  });
  if (!row) throw notYourSession();
  return toResponse(row);
}

export async function getMood({ db }: Deps, userId: string, id: string): Promise<MoodResponse> {
  assertPlausibleId(id);
  const row = await repository.findMood(db, id);
  if (!row) throw notFound(MOOD_NOT_FOUND);
  if (row.userId !== userId) throw forbidden();
  return toResponse(row);
}

export async function updateMood(
  { db }: Deps,
  userId: string,
  id: string,
  input: UpdateMoodInput,
  now = new Date(),
  precondition?: (current: MoodResponse) => Promise<void>,
): Promise<MoodResponse> {
  assertPlausibleId(id);
  // With If-Match: the check-in as it is now must pass, and the write is conditional on it (one Neon call more).
  const current = precondition ? await getMood({ db }, userId, id) : undefined;
  if (current) await precondition!(current);
  const expectedUpdatedAt = current ? new Date(current.updated_at) : undefined;
  const row = await repository.updateMood(db, id, userId, {
    score: input.score,
    emotions: input.emotions,
    note: input.note,
    recordedAt: input.recorded_at === undefined ? undefined : recordedInstant(input.recorded_at, now),
    sessionId: input.session_id,
  }, expectedUpdatedAt);
  if (!row && current && (await repository.findMood(db, id))?.updatedAt.getTime() !== expectedUpdatedAt?.getTime()) throw preconditionFailed();
  if (!row) return explainMiss(db, id, userId, input.session_id);
  return toResponse(row);
}

export async function deleteMood({ db }: Deps, userId: string, id: string): Promise<void> {
  assertPlausibleId(id);
  const row = await repository.deleteMood(db, id, userId);
  if (!row) {
    if (!(await repository.findMood(db, id))) throw notFound(MOOD_NOT_FOUND);
    throw forbidden();
  }
}

export async function listMoods({ db }: Deps, userId: string, query: LocalDayQuery): Promise<MoodResponse[]> {
  const rows = await repository.listMoods(db, userId, localDayRange(query.tz, query.start_date, query.end_date));
  return rows.map(toResponse);
}

/** The user's check-ins recorded in `[start, end)`, oldest first: what the day in review shows. */
/** The check-ins of a range as a query, for a day-in-review read that batches it with its own; rows go through `moodResponse`. */
export const moodsOfRangeQuery = (db: Db, userId: string, range: { start: Date; end: Date }) => repository.listMoods(db, userId, range);
export const moodResponse = (row: MoodRow) => toResponse(row);

export async function moodsOfRange(db: Db, userId: string, start: Date, end: Date): Promise<MoodResponse[]> {
  return (await repository.listMoods(db, userId, { start, end })).map(toResponse);
}

export async function moodStats({ db }: Deps, userId: string, query: LocalDayQuery, now = new Date()): Promise<MoodStats> {
  const range = localDayRange(query.tz, query.start_date, query.end_date);
  const stats = await repository.moodStats(db, { userId, timeZone: query.tz, ...range }, FOCUSED_DAY_MINUTES, now);
  return {
    days: stats.days,
    emotions: stats.emotions as MoodStats['emotions'],
    focus: { threshold_minutes: FOCUSED_DAY_MINUTES, focused_days: stats.focused, other_days: stats.other },
  };
}

/**
 * For `PUT /session/{id}` with a mood: runs the session's conditional update and records the
 * check-in linked to it in one statement, both or neither. Undefined when the session update matched
 * nothing (the caller explains why); no check-in was written then.
 */
export async function reviewWithMood(
  db: Db,
  userId: string,
  sessionUpdate: SQLWrapper,
  mood: ReviewMoodInput,
  felt: Date,
): Promise<{ session: SessionRow; mood: MoodResponse } | undefined> {
  const result = await repository.insertMoodWithSessionUpdate(db, sessionUpdate, {
    id: newObjectId(),
    userId,
    score: mood.score,
    emotions: mood.emotions,
    note: mood.note ?? null,
    recordedAt: felt,
  });
  return result && { session: result.session, mood: toResponse(result.mood) };
}
