import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { customCategories, focusSessions, memos, moodCheckins, syncHorizons, syncTombstones, type SyncType } from '../../db/schema';
import type { Db } from '../../platform/db';
import type { SyncPosition } from './cursor';

/**
 * Every Postgres call of the sync feed, one round trip each. The triggers of migration 0009 keep
 * the feed: each row of the four synced tables carries its latest change's position
 * (change_xid, change_seq), and a delete leaves a row in sync_tombstones.
 */

export type MemoRow = typeof memos.$inferSelect;
export type SessionRow = typeof focusSessions.$inferSelect;
export type MoodRow = typeof moodCheckins.$inferSelect;
export type CategoryRow = typeof customCategories.$inferSelect;

export type FeedEntry =
  | { type: 'memo'; op: 'upsert'; id: string; position: SyncPosition; changedAt: Date; row: MemoRow }
  | { type: 'session'; op: 'upsert'; id: string; position: SyncPosition; changedAt: Date; row: SessionRow }
  | { type: 'mood'; op: 'upsert'; id: string; position: SyncPosition; changedAt: Date; row: MoodRow }
  | { type: 'category'; op: 'upsert'; id: string; position: SyncPosition; changedAt: Date; row: CategoryRow }
  | { type: SyncType; op: 'delete'; id: string; position: SyncPosition; changedAt: Date };

export interface FeedPage {
  /** The cursor is older than a tombstone the sweep removed. */
  expired: boolean;
  entries: FeedEntry[];
  /** Changes after the page: more ready ones, or committed ones waiting behind a transaction still running. */
  more: boolean;
}

const tables = { memo: memos, session: focusSessions, mood: moodCheckins, category: customCategories } as const;

/** A row of `table` from its `row_to_json`, mapped exactly as drizzle maps the driver's values (dates, arrays, jsonb). */
function rowFromJson<T extends PgTable>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = json[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T['$inferSelect'];
}

const afterPosition = (alias: SQL, after: SyncPosition) => sql`(${alias}.change_xid, ${alias}.change_seq) > (${after.xid}::xid8, ${after.seq}::bigint)`;

/**
 * One branch of the feed: the user's rows of `table` after `after`, in feed order, at most `limit`
 * (index <table>_user_change_idx); each as its row_to_json.
 */
function upserts(type: keyof typeof tables, userId: string, after: SyncPosition, limit: number) {
  const t = sql.raw('t');
  // A memo's search_text (migration 0010) restates its content and tags: it is neither answered nor sent.
  const data = type === 'memo' ? sql`(row_to_json(t)::jsonb - 'search_text')` : sql`row_to_json(t)::jsonb`;
  return sql`(select ${type}::text as type, 'upsert'::text as op, t.id, t.change_xid as xid, t.change_seq as seq, t.changed_at as changed_at, ${data} as data
    from ${tables[type]} t where t.user_id = ${userId} and ${afterPosition(t, after)}
    order by t.change_xid, t.change_seq limit ${limit})`;
}

interface FeedRow {
  expired: boolean | null;
  more: boolean;
  changes: { type: SyncType; op: 'upsert' | 'delete'; id: string; xid: string; seq: number | string; changed_at: string; data: Record<string, unknown> | null }[] | string;
}

/**
 * The user's changes after `after`, in feed order, in one statement: at most `limit`, and no more
 * than fit in `maxBytes` of row JSON (always at least one), so huge memos never make an answer near
 * Neon's 10 MB. Only changes of transactions older than this statement's snapshot horizon
 * (the oldest transaction of its snapshot still running in this database) are handed out: every
 * transaction before it has ended, so nothing can still commit at or before the last position handed out.
 */
export async function readFeed(db: Db, userId: string, after: SyncPosition, limit: number, maxBytes: number): Promise<FeedPage> {
  const t = sql.raw('t');
  const branchLimit = limit + 1;
  const result = await db.execute(sql`
    with candidates as (
      ${upserts('memo', userId, after, branchLimit)}
      union all ${upserts('session', userId, after, branchLimit)}
      union all ${upserts('mood', userId, after, branchLimit)}
      union all ${upserts('category', userId, after, branchLimit)}
      union all (select t.type, 'delete'::text, t.id, t.change_xid, t.change_seq, t.deleted_at, null::jsonb
        from ${syncTombstones} t where t.user_id = ${userId} and ${afterPosition(t, after)}
        order by t.change_xid, t.change_seq limit ${branchLimit})
    ),
    -- The oldest transaction of this snapshot still running in this database (transactions of other
    -- databases of the cluster cannot write these tables, and must not hold the feed back), else the
    -- snapshot's xmax: every transaction below it has ended.
    horizon as (
      select coalesce(
        (select x from pg_snapshot_xip(pg_current_snapshot()) x
          where not exists (select 1 from pg_stat_activity a where a.backend_xid = x::xid and a.datname <> current_database())
          order by x limit 1),
        pg_snapshot_xmax(pg_current_snapshot())) as xmin
    ),
    ready as (
      select c.*, coalesce(octet_length(c.data::text), 0) as size
      from candidates c where c.xid < (select xmin from horizon)
    ),
    measured as (select r.*, sum(r.size) over (order by r.xid, r.seq) - r.size as bytes_before from ready r),
    page as (select * from measured where bytes_before < ${maxBytes} order by xid, seq limit ${limit})
    select
      (select (h.change_xid, h.change_seq) > (${after.xid}::xid8, ${after.seq}::bigint) from ${syncHorizons} h where h.user_id = ${userId}) as expired,
      (select count(*) from ready) > (select count(*) from page) or exists (select 1 from candidates where xid >= (select xmin from horizon)) as more,
      coalesce((select json_agg(json_build_object('type', type, 'op', op, 'id', id, 'xid', xid::text, 'seq', seq, 'changed_at', changed_at, 'data', data) order by xid, seq) from page), '[]'::json) as changes`);
  const row = result.rows[0] as unknown as FeedRow;
  const changes = typeof row.changes === 'string' ? (JSON.parse(row.changes) as Exclude<FeedRow['changes'], string>) : row.changes;
  const entries = changes.map((change): FeedEntry => {
    const base = { id: change.id, position: { xid: change.xid, seq: Number(change.seq) }, changedAt: new Date(change.changed_at) };
    if (change.op === 'delete' || !change.data) return { ...base, type: change.type, op: 'delete' };
    return { ...base, type: change.type, op: 'upsert', row: rowFromJson(tables[change.type], change.data) } as FeedEntry;
  });
  return { expired: row.expired === true, entries, more: row.more };
}

/**
 * Removes up to `limit` tombstones deleted before `cutoff`, oldest first, and raises each user's
 * horizon to the newest position removed, in one statement: a cursor before it is refused from then on.
 */
export async function sweepTombstones(db: Db, cutoff: Date, limit: number): Promise<{ swept: number; users: number }> {
  const result = await db.execute<{ swept: number; users: number }>(sql`
    with old as (
      select type, id from ${syncTombstones} where deleted_at < ${cutoff.toISOString()}::timestamptz order by deleted_at limit ${limit}
    ),
    swept as (
      delete from ${syncTombstones} t using old where t.type = old.type and t.id = old.id
      returning t.user_id, t.change_xid, t.change_seq
    ),
    newest as (
      select distinct on (user_id) user_id, change_xid, change_seq from swept order by user_id, change_xid desc, change_seq desc
    ),
    raised as (
      insert into ${syncHorizons} (user_id, change_xid, change_seq) select user_id, change_xid, change_seq from newest
      on conflict (user_id) do update set change_xid = excluded.change_xid, change_seq = excluded.change_seq
        where (excluded.change_xid, excluded.change_seq) > (${syncHorizons.changeXid}, ${syncHorizons.changeSeq})
      returning 1
    )
    select (select count(*) from swept)::int as swept, (select count(*) from newest)::int as users`);
  const row = result.rows[0];
  return { swept: Number(row?.swept ?? 0), users: Number(row?.users ?? 0) };
}
