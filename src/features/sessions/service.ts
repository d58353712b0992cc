import type { SessionStatus } from '../../db/schema';
import type { Services } from '../../platform/services';
import { reviewWithMood, type MoodResponse } from '../moods';
import { MAX_CLIENT_CLOCK_SKEW_MS } from '../../lib/clock';
import { newObjectId, isObjectId } from '../../lib/ids';
import { ApiError, conflict, forbidden, preconditionFailed } from '../../lib/problem';
import { localDayRange, type LocalDayQuery } from '../../lib/local-day';
import { allPages, type ListPosition, type Page } from '../../lib/pagination';
import * as live from './live-state';
import * as repository from './repository';
import type { SessionRow } from './repository';
import type { CreateSessionInput, SessionResponse, UpdateSessionInput } from './schemas';

type Deps = Pick<Services, 'db' | 'redis'>;

/** Allowed transitions, by target status: where each one may come from. */
export const ALLOWED_FROM: Record<SessionStatus, readonly SessionStatus[]> = {
  started: ['pending', 'paused'],
  paused: ['started'],
  pending: ['started', 'paused'],
  completed: ['started', 'paused'],
  reviewed: ['completed'],
};

const SESSION_NOT_FOUND = 'Session not found';
const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toResponse(row: SessionRow): SessionResponse {
  return {
    id: row.id,
    user_id: row.userId,
    subject: row.subject,
    goal: row.goal,
    duration: row.durationMinutes,
    break_duration: row.breakDurationMinutes,
    tags: row.tags,
    started_at: iso(row.startedAt),
    created_at: row.createdAt.toISOString(),
    updated_at: iso(row.updatedAt),
    status: row.status,
    reflection: row.reflection,
    paused_at: iso(row.pausedAt),
    expires_at: iso(row.expiresAt),
  };
}

const versionOf = (row: SessionRow, revision = row.revision): live.SessionVersion => ({ session: toResponse(row), revision });
const endedOf = (row: Pick<SessionRow, 'id' | 'userId' | 'revision'>, revision = row.revision): live.EndedSession => ({ id: row.id, userId: row.userId, revision });

/**
 * Redis follows Postgres. When its update fails after Postgres committed, the change stands (the
 * client must not retry a change that happened): the cached state expires within the hour, the
 * next write of the session corrects it, and the Postgres-side sweep still ends running sessions.
 */
async function followInRedis(update: Promise<unknown>) {
  try {
    await update;
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', message: 'Redis update after a committed session change failed', error: String(error) }));
  }
}

export function effectiveInstant(clientTime: Date, now: Date): Date {
  return Math.abs(clientTime.getTime() - now.getTime()) <= MAX_CLIENT_CLOCK_SKEW_MS ? clientTime : now;
}

const isOverdue = (session: Pick<SessionResponse, 'status' | 'expires_at'>, now: Date) =>
  session.status === 'started' && session.expires_at !== null && Date.parse(session.expires_at) <= now.getTime();

/** Lazy completion: what the cron would have done, done now for a user whose sessions a request touches. */
async function completeOverdueOf({ db, redis }: Deps, userId: string, now: Date): Promise<Map<string, SessionResponse>> {
  const rows = await repository.completeExpired(db, now, { userId });
  await followInRedis(live.applyEnded(redis, rows.map((row) => endedOf(row))));
  return new Map(rows.map((row) => [row.id, toResponse(row)]));
}

async function settle(deps: Deps, userId: string, sessions: SessionResponse[], now: Date): Promise<SessionResponse[]> {
  if (!sessions.some((session) => isOverdue(session, now))) return sessions;
  const completed = await completeOverdueOf(deps, userId, now);
  return sessions.map((session) => completed.get(session.id) ?? session);
}

/** Says why a conditional write matched nothing: unknown id, someone else's session, or a refused transition. */
async function explainMiss(deps: Deps, id: string, userId: string, target: SessionStatus | undefined, now: Date, notOwned: string): Promise<never> {
  const row = await repository.findSession(deps.db, id);
  if (!row) throw new ApiError('not_found', SESSION_NOT_FOUND);
  if (row.userId !== userId) throw forbidden(notOwned);
  let status = row.status;
  if (isOverdue(toResponse(row), now)) {
    await completeOverdueOf(deps, userId, now);
    status = 'completed';
  }
  throw conflict(`A ${status} session cannot become ${target ?? status}`);
}

function assertPlausibleId(id: string) {
  if (!isObjectId(id)) throw new ApiError('not_found', SESSION_NOT_FOUND);
}

export async function createSession(deps: Deps, userId: string, input: CreateSessionInput): Promise<SessionResponse> {
  const row = await repository.insertSession(deps.db, {
    id: newObjectId(),
    userId,
    subject: input.subject,
    goal: input.goal ?? '',
    durationMinutes: input.duration,
    breakDurationMinutes: input.break_duration,
    tags: input.tags ?? [],
    status: 'pending',
    createdAt: new Date(input.created_at),
  });
  const version = versionOf(row);
  await followInRedis(live.applyChange(deps.redis, version, 'current'));
  return version.session;
}

export async function getSession(deps: Deps, userId: string, id: string, now = new Date()): Promise<SessionResponse> {
  assertPlausibleId(id);
  const row = await repository.findSession(deps.db, id);
  if (!row) throw new ApiError('not_found', SESSION_NOT_FOUND);
  if (row.userId !== userId) throw forbidden();
  const [session] = await settle(deps, userId, [toResponse(row)], now);
  return session as SessionResponse;
}

/** Rows per page; see listSessionsPage for why they fit a Neon answer. */
export const SESSION_PAGE_ROWS = 100;

/** One page of the caller's sessions on the query's local days, after `after`, each settled (overdue ones completed). */
export async function listSessionsPage(
  deps: Deps,
  userId: string,
  query: LocalDayQuery,
  after: ListPosition | undefined,
  limit = SESSION_PAGE_ROWS,
  now = new Date(),
): Promise<Page<SessionResponse>> {
  const range = localDayRange(query.tz, query.start_date, query.end_date);
  const { rows, more } = await repository.listSessionsPage(deps.db, userId, range, after, limit);
  const last = rows.at(-1);
  return { items: await settle(deps, userId, rows.map(toResponse), now), next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** Every page of the caller's sessions on the query's local days (see allPages). */
export const listAllSessions = (deps: Deps, userId: string, query: LocalDayQuery) => allPages((after) => listSessionsPage(deps, userId, query, after));

/** The keys the auth guard reads for `GET /session/current` in its one Redis round trip. */
export const currentSessionKeys = (userId: string) => [live.pointerKey(userId), live.stateKey(userId)];

/** Rebuilds lost (or disproved) Redis state from Postgres, and writes it back. */
async function rebuildCurrent(deps: Deps, userId: string, pointer: string | null | undefined) {
  const row = await repository.findCurrentCandidate(deps.db, userId, pointer);
  if (!row) {
    await followInRedis(live.recordNoCurrent(deps.redis, userId));
    return live.NO_CURRENT_SESSION;
  }
  const version = versionOf(row);
  await followInRedis(live.applyChange(deps.redis, version, 'current'));
  return version.session;
}

/**
 * The user's current session from the state the auth guard prefetched (`currentSessionKeys`).
 * Only when Redis has lost it, or it proves stale, does this read Postgres.
 */
export async function currentSession(deps: Deps, userId: string, [pointer, cachedState]: (string | null)[], now = new Date()): Promise<SessionResponse> {
  let state = live.parseState(cachedState) ?? (await rebuildCurrent(deps, userId, pointer));
  // A session that ran out is over: the same answer the cron would have produced a moment later.
  if (state !== live.NO_CURRENT_SESSION && isOverdue(state, now)) {
    const completed = await completeOverdueOf(deps, userId, now);
    // Postgres had nothing overdue under that id: the cached state was stale, so trust Postgres.
    state = completed.has(state.id) ? live.NO_CURRENT_SESSION : await rebuildCurrent(deps, userId, state.id);
  }
  if (state === live.NO_CURRENT_SESSION) throw new ApiError('not_found', SESSION_NOT_FOUND);
  return state;
}

/** What a change means in Redis; a session that already ended left Redis when it completed. */
function redisEffect(target: SessionStatus | undefined, status: SessionStatus): live.Effect | undefined {
  if (target === 'completed') return 'ended';
  if (status === 'completed' || status === 'reviewed') return undefined;
  return target ? 'current' : 'refresh';
}

export async function updateSession(
  deps: Deps,
  userId: string,
  id: string,
  input: Pick<UpdateSessionInput, 'updated_at'> & Partial<UpdateSessionInput>,
  now = new Date(),
  precondition?: (current: SessionResponse) => Promise<void>,
): Promise<SessionResponse & { mood?: MoodResponse }> {
  assertPlausibleId(id);
  const expectedRevision = precondition ? await checkPrecondition(deps, userId, id, precondition) : undefined;
  const clientTime = new Date(input.updated_at);
  const target = input.status;
  const change: repository.SessionChange = {
    id,
    userId,
    now,
    updatedAt: clientTime,
    effectiveAt: effectiveInstant(clientTime, now),
    status: target ? { to: target, from: ALLOWED_FROM[target] } : undefined,
    expectedRevision,
    fields: {
      subject: input.subject,
      goal: input.goal,
      durationMinutes: input.duration,
      breakDurationMinutes: input.break_duration,
      tags: input.tags,
      reflection: input.reflection,
    },
  };
  // A review with a mood writes both in one statement; a refused session change records no mood.
  const reviewed = input.mood
    ? await reviewWithMood(deps.db, userId, repository.sessionChangeUpdate(deps.db, change), input.mood, change.effectiveAt)
    : undefined;
  const row = input.mood ? reviewed?.session : await repository.applySessionChange(deps.db, change);
  if (!row && expectedRevision !== undefined && (await repository.findSession(deps.db, id))?.revision !== expectedRevision) throw preconditionFailed();
  if (!row) return explainMiss(deps, id, userId, target, now, 'Forbidden');

  const version = versionOf(row);
  const effect = redisEffect(target, version.session.status);
  if (effect) await followInRedis(live.applyChange(deps.redis, version, effect));
  const [settled] = await settle(deps, userId, [version.session], now);
  return reviewed ? { ...(settled as SessionResponse), mood: reviewed.mood } : (settled as SessionResponse);
}

/** A write with `If-Match`: the session as it is now must pass `precondition`; the write then needs the revision read (one Neon call more). */
async function checkPrecondition(deps: Deps, userId: string, id: string, precondition: (current: SessionResponse) => Promise<void>) {
  const row = await repository.findSession(deps.db, id);
  if (!row) throw new ApiError('not_found', SESSION_NOT_FOUND);
  if (row.userId !== userId) throw forbidden();
  await precondition(toResponse(row));
  return row.revision;
}

export async function deleteSession(deps: Deps, userId: string, id: string): Promise<void> {
  assertPlausibleId(id);
  const row = await repository.deleteSession(deps.db, id, userId);
  if (!row) {
    const existing = await repository.findSession(deps.db, id);
    if (!existing) throw new ApiError('not_found', SESSION_NOT_FOUND);
    throw forbidden('Not authorized');
  }
  // Completed and reviewed sessions left Redis when they ended.
  if (row.status !== 'completed' && row.status !== 'reviewed') {
    await followInRedis(live.applyEnded(deps.redis, [endedOf(row, row.revision + 1)]));
  }
}

/**
 * Sweep page size: each page is one Upstash read, one Neon statement and one Upstash pipeline, so
 * 100,000 sessions due in the same minute take 10 pages, about 31 subrequests. A completed session
 * adds about 220 bytes of keys and arguments to the page's pipeline (2.2 MB a page; Upstash takes
 * 10 MB a request), one bind parameter to the page's statement (Postgres takes 65,535) and about
 * 80 bytes to its response (Neon answers up to 10 MB).
 */
export const SWEEP_PAGE_SIZE = 10_000;
/** 400,000 sessions a minute at most, 121 subrequests; the next minute's run takes the rest. */
const SWEEP_MAX_PAGES = 40;
/** Started sessions this far past expiry that Redis no longer knows about are completed from Postgres alone. */
export const STALE_SWEEP_GRACE_MS = 2 * 60_000;

/** Cron: complete every session whose expiry in the queue has passed. */
export async function completeDueSessions(deps: Deps, now: Date) {
  const cutoffSeconds = now.getTime() / 1000;
  let completed = 0;
  let pages = 0;
  for (; pages < SWEEP_MAX_PAGES; pages++) {
    const ids = await live.dueSessionIds(deps.redis, cutoffSeconds, SWEEP_PAGE_SIZE);
    if (ids.length === 0) break;
    const rows = await repository.completeDue(deps.db, now, ids);
    await live.settleSweptPage(deps.redis, rows.map((row) => endedOf(row)), ids, cutoffSeconds);
    completed += rows.length;
  }
  return { completed, pages, subrequests: pages * 3 + (pages < SWEEP_MAX_PAGES ? 1 : 0) };
}

/** Cron: the Postgres-side safety net for sessions Redis lost (flushed or evicted queue entries). */
export async function completeForgottenSessions(deps: Deps, now: Date) {
  const rows = await repository.completeExpired(deps.db, now, {
    expiredBefore: new Date(now.getTime() - STALE_SWEEP_GRACE_MS),
    limit: 1000,
  });
  await live.applyEnded(deps.redis, rows.map((row) => endedOf(row)));
  return { completed: rows.length, subrequests: rows.length > 0 ? 2 : 1 };
}

const PURGE_PAGE_SIZE = 1000;

/**
 * For the purge of a user: their sessions a page at a time, each page's Redis entries (revisions,
 * queue) before its rows, so an interruption leaves rows that the next run finds again. The
 * current-session pointer and state go with the first page. Three calls per 1,000 sessions.
 */
export async function eraseUserSessions(deps: Deps, userId: string) {
  let sessions = 0;
  for (;;) {
    const ids = await repository.sessionIdsOf(deps.db, userId, PURGE_PAGE_SIZE);
    await live.forgetSessionsIn(deps.redis.pipeline(), userId, ids).exec();
    if (ids.length === 0) return { sessions };
    await repository.deleteSessionsById(deps.db, userId, ids);
    sessions += ids.length;
    if (ids.length < PURGE_PAGE_SIZE) return { sessions };
  }
}
