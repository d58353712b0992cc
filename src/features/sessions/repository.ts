import { and, asc, desc, eq, gte, inArray, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { focusSessions, type SessionStatus } from '../../db/schema';
import type { ListPosition } from '../../lib/pagination';
import type { Db } from '../../platform/db';

export type SessionRow = typeof focusSessions.$inferSelect;
type NewSessionRow = typeof focusSessions.$inferInsert;

export async function insertSession(db: Db, row: NewSessionRow): Promise<SessionRow> {
  const [created] = await db.insert(focusSessions).values(row).returning();
  return created as SessionRow;
}

export async function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  const [row] = await db.select().from(focusSessions).where(eq(focusSessions.id, id)).limit(1);
  return row;
}

/**
 * The user's current session, for rebuilding lost Redis state: the one the pointer names if it is
 * still the user's and not ended, else the newest not ended. One query either way.
 */
export async function findCurrentCandidate(db: Db, userId: string, pointer: string | null | undefined): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(focusSessions)
    .where(and(eq(focusSessions.userId, userId), inArray(focusSessions.status, ['pending', 'started', 'paused'])))
    .orderBy(desc(sql`${focusSessions.id} = ${pointer ?? ''}`), desc(focusSessions.createdAt))
    .limit(1);
  return row;
}

/**
 * One page of a user's sessions created in `[range.start, range.end)` after `after`, oldest first:
 * at most `limit` rows, one more read to know whether another page follows. A session's text is
 * capped (subject, goal, tags, reflection: about 15,000 characters), so a page of 100 stays far
 * under Neon's 10 MB answer.
 */
export async function listSessionsPage(db: Db, userId: string, range: { start: Date; end: Date }, after: ListPosition | undefined, limit: number) {
  const rows = await db
    .select()
    .from(focusSessions)
    .where(
      and(
        eq(focusSessions.userId, userId),
        gte(focusSessions.createdAt, range.start),
        lt(focusSessions.createdAt, range.end),
        after ? sql`(${focusSessions.createdAt}, ${focusSessions.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id})` : undefined,
      ),
    )
    .orderBy(asc(focusSessions.createdAt), asc(focusSessions.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

export interface SessionChange {
  id: string;
  userId: string;
  /** The client's `updated_at`, stored as the contract says. */
  updatedAt: Date;
  /** The instant the change takes effect for timing: the client's clock when it is close to ours. */
  effectiveAt: Date;
  now: Date;
  status?: { to: SessionStatus; from: readonly SessionStatus[] };
  /** Only if the row is still at this revision (a write with `If-Match`). */
  expectedRevision?: number;
  fields: Partial<Pick<NewSessionRow, 'subject' | 'goal' | 'durationMinutes' | 'breakDurationMinutes' | 'tags' | 'reflection'>>;
}

const nextRevision = sql`${focusSessions.revision} + 1`;

const minutesOf = (durationMinutes: number | undefined) =>
  sql`make_interval(mins => ${durationMinutes === undefined ? focusSessions.durationMinutes : sql`${durationMinutes}::int`})`;

/**
 * One conditional UPDATE applies a status transition and field changes, or nothing: the row must be
 * the caller's and in an allowed state, and a started session past its expiry counts as completed
 * (only completing it is still allowed). All timing arithmetic happens in SQL on the old row, so a
 * concurrent writer can never make it compute from stale values.
 */
export async function applySessionChange(db: Db, change: SessionChange): Promise<SessionRow | undefined> {
  const [row] = await sessionChangeUpdate(db, change);
  return row;
}

/** The UPDATE … RETURNING of `applySessionChange`, unsent, for a statement that writes more alongside it. */
export function sessionChangeUpdate(db: Db, change: SessionChange) {
  const effectiveAt = sql`${change.effectiveAt.toISOString()}::timestamptz`;
  const duration = minutesOf(change.fields.durationMinutes);
  const set: Record<string, unknown> = { ...change.fields, updatedAt: change.updatedAt, revision: nextRevision };
  const conditions: (SQL | undefined)[] = [eq(focusSessions.id, change.id), eq(focusSessions.userId, change.userId)];
  if (change.expectedRevision !== undefined) conditions.push(eq(focusSessions.revision, change.expectedRevision));

  if (change.status) {
    conditions.push(inArray(focusSessions.status, [...change.status.from]));
    if (change.status.to !== 'completed') {
      conditions.push(or(ne(focusSessions.status, 'started'), sql`${focusSessions.expiresAt} > ${change.now.toISOString()}::timestamptz`));
    }
    set.status = change.status.to;
    switch (change.status.to) {
      case 'started': {
        // A resume moves the start forward by the paused span, so focus time already spent is kept.
        const startedAt = sql`(case when ${focusSessions.status} = 'paused'
          then ${focusSessions.startedAt} + (${effectiveAt} - coalesce(${focusSessions.pausedAt}, ${effectiveAt}))
          else ${effectiveAt} end)`;
        Object.assign(set, { startedAt, pausedAt: null, expiresAt: sql`${startedAt} + ${duration}` });
        break;
      }
      case 'paused':
        Object.assign(set, { pausedAt: effectiveAt, expiresAt: null });
        break;
      case 'pending':
        Object.assign(set, { startedAt: null, pausedAt: null, expiresAt: null });
        break;
      case 'completed':
        // Focus ends at the pause for a paused session, else now, and never after the expiry.
        Object.assign(set, {
          pausedAt: null,
          completedAt: sql`least(coalesce(${focusSessions.pausedAt}, ${effectiveAt}), coalesce(${focusSessions.expiresAt}, ${effectiveAt}))`,
        });
        break;
      case 'reviewed':
        break;
    }
  } else if (change.fields.durationMinutes !== undefined) {
    // A new length moves the expiry of a running session.
    set.expiresAt = sql`case when ${focusSessions.status} = 'started' then ${focusSessions.startedAt} + ${duration} else ${focusSessions.expiresAt} end`;
  }

  return db
    .update(focusSessions)
    .set(set)
    .where(and(...conditions))
    .returning();
}

export async function deleteSession(db: Db, id: string, userId: string): Promise<SessionRow | undefined> {
  const [row] = await db
    .delete(focusSessions)
    .where(and(eq(focusSessions.id, id), eq(focusSessions.userId, userId)))
    .returning();
  return row;
}

const dueBy = (now: Date) => and(eq(focusSessions.status, 'started'), lte(focusSessions.expiresAt, now));
// A session the cron or a read completes late still focused only until its expiry.
const completion = (now: Date) => ({
  status: 'completed' as const,
  pausedAt: null,
  completedAt: sql`least(${focusSessions.expiresAt}, ${now.toISOString()}::timestamptz)`,
  updatedAt: now,
  revision: nextRevision,
});

/**
 * A sweep page: completes those of `ids` that are still running and due, in one statement, and
 * answers only what Redis needs (a page is thousands of rows).
 */
export async function completeDue(db: Db, now: Date, ids: string[]) {
  return db
    .update(focusSessions)
    .set(completion(now))
    .where(and(dueBy(now), inArray(focusSessions.id, ids)))
    .returning({ id: focusSessions.id, userId: focusSessions.userId, revision: focusSessions.revision });
}

/**
 * Completes started sessions whose expiry has passed, in one statement. `userId` narrows it to a
 * user's rows; the status and expiry conditions make it safe against a pause or
 * resume that landed after the ids were read, and safe to run twice.
 */
export async function completeExpired(
  db: Db,
  now: Date,
  scope: { userId: string } | { expiredBefore: Date; limit: number },
): Promise<SessionRow[]> {
  const due = dueBy(now);
  let where: SQL | undefined;
  if ('userId' in scope) where = and(due, eq(focusSessions.userId, scope.userId));
  else {
    const batch = db
      .select({ id: focusSessions.id })
      .from(focusSessions)
      .where(and(eq(focusSessions.status, 'started'), lte(focusSessions.expiresAt, scope.expiredBefore)))
      .limit(scope.limit)
      .for('update', { skipLocked: true });
    where = and(due, inArray(focusSessions.id, batch));
  }
  return db.update(focusSessions).set(completion(now)).where(where).returning();
}

/** For the purge of a user: up to `limit` of their session ids. */
export async function sessionIdsOf(db: Db, userId: string, limit: number): Promise<string[]> {
  const rows = await db.select({ id: focusSessions.id }).from(focusSessions).where(eq(focusSessions.userId, userId)).limit(limit);
  return rows.map((row) => row.id);
}

export async function deleteSessionsById(db: Db, userId: string, ids: string[]) {
  await db.delete(focusSessions).where(and(eq(focusSessions.userId, userId), inArray(focusSessions.id, ids)));
}
