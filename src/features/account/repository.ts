import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../platform/db';

/** An instant as the API writes it (`…Z`, milliseconds): raw queries hand timestamps back as Postgres text. */
const iso = (column: string) => sql.raw(`to_char(${column} at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export type UserDetailsRow = {
  id: string;
  provider: string | null;
  provider_id: string | null;
  email: string | null;
  name: string | null;
  picture: string | null;
  email_verified: boolean;
  sign_in_methods: string[];
  created_at: string;
  deletion_scheduled_at: string | null;
};

/** The `/user/me` shape of the users row `u` (a table or a CTE with the users columns). */
const userDetails = (from: SQL) => sql`
  select u.id, first_identity.provider, first_identity.provider_id, u.email, u.name, u.picture,
    exists (
      select 1 from user_identities v where v.user_id = u.id and v.email_verified and lower(v.email) = lower(u.email)
    ) as email_verified,
    (select coalesce(json_agg(distinct m.provider order by m.provider), '[]'::json) from user_identities m where m.user_id = u.id) as sign_in_methods,
    ${iso('u.created_at')} as created_at, ${iso('u.deletion_scheduled_at')} as deletion_scheduled_at
  from ${from} u
  left join lateral (
    select provider, provider_id from user_identities
    where user_id = u.id
    order by created_at, provider, provider_id
    limit 1
  ) first_identity on true`;

export async function findUserDetails(db: Db, userId: string): Promise<UserDetailsRow | undefined> {
  const result = await db.execute<UserDetailsRow>(sql`${userDetails(sql`users`)} where u.id = ${userId}`);
  return result.rows[0];
}

export interface ProfileEdit {
  name?: string;
  picture?: string | null;
}

/**
 * Edits the profile and answers the `/user/me` shape, in one statement. An edited name or
 * picture is the user's from then on: sign-ins stop refreshing them from the provider.
 */
export async function updateProfile(db: Db, userId: string, edit: ProfileEdit): Promise<UserDetailsRow | undefined> {
  const setsName = edit.name !== undefined;
  const setsPicture = edit.picture !== undefined;
  const result = await db.execute<UserDetailsRow>(sql`
    with edited as (
      update users set
        name = case when ${setsName}::boolean then ${edit.name ?? null} else name end,
        picture = case when ${setsPicture}::boolean then ${edit.picture ?? null} else picture end,
        profile_edited = profile_edited or ${setsName || setsPicture}::boolean,
        updated_at = now()
      where id = ${userId}
      returning *
    )
    ${userDetails(sql`edited`)}`);
  return result.rows[0];
}

export type DeletionRequest =
  | { found: false }
  | { found: true; confirmed: false }
  | { found: true; confirmed: true; deletion_scheduled_at: string; purge_after: string };

/**
 * Schedules the user's deletion in one conditional statement, only when `confirm` is the account's
 * address (or its id, for an account without one). A repeated request keeps the schedule it
 * already has, except that `immediately` can still bring the purge forward.
 */
export async function scheduleDeletion(db: Db, userId: string, confirm: string, immediately: boolean, graceDays: number): Promise<DeletionRequest> {
  const result = await db.execute<{ found: boolean; deletion_scheduled_at: string | null; purge_after: string | null }>(sql`
    with target as (
      select id from users
      where id = ${userId}
    ), scheduled as (
      update users set
        deletion_scheduled_at = coalesce(deletion_scheduled_at, now()),
        purge_after = case
          when ${immediately}::boolean then least(coalesce(purge_after, now()), now())
          else coalesce(purge_after, now() + make_interval(days => ${graceDays}))
        end,
        updated_at = now()
      where id = ${userId} and lower(coalesce(email, id)) = lower(trim(${confirm}))
      returning deletion_scheduled_at, purge_after
    )
    select exists (select 1 from target) as found, ${iso('s.deletion_scheduled_at')} as deletion_scheduled_at, ${iso('s.purge_after')} as purge_after
    from (select 1) one left join scheduled s on true`);
  const [row] = result.rows;
  if (!row?.found) return { found: false };
  if (!row.deletion_scheduled_at || !row.purge_after) return { found: true, confirmed: false };
  return { found: true, confirmed: true, deletion_scheduled_at: row.deletion_scheduled_at, purge_after: row.purge_after };
}

export type PurgeCandidate = {
  id: string;
  /**
   * The addresses the user proved they own (lower case; an identity's verified address), whose
   * mail throttles, sign-in limits and pending sign-up links go too. An address a provider did not
   * verify is not theirs to erase: anyone could claim one and wipe its owner's links.
   */
  emails: string[];
};

/** Users past their grace period, longest waiting first. */
export async function findDueForPurge(db: Db, limit: number): Promise<PurgeCandidate[]> {
  const result = await db.execute<PurgeCandidate>(sql`
    select u.id, (
      select coalesce(json_agg(distinct address), '[]'::json) from (
        select lower(email) as address from user_identities where user_id = u.id and email is not null and email_verified
      ) addresses
    ) as emails
    from users u
    where u.purge_after <= now()
    order by u.purge_after
    limit ${limit}`);
  return result.rows;
}

/**
 * The last step of a purge: the user's row, with everything that still hangs off it (identities,
 * password, check-ins, categories, summaries, pending uploads; foreign keys cascade), and the
 * sign-up links mailed to their addresses. Only a user still due: one restored in the meantime
 * stays. True when the row was deleted.
 */
export async function deleteUser(db: Db, userId: string, emails: string[]): Promise<boolean> {
  const result = await db.execute(sql`
    with gone as (
      delete from users where id = ${userId} and purge_after <= now() returning id
    ), links as (
      delete from email_tokens
      where lower(email) in (select jsonb_array_elements_text(${JSON.stringify(emails)}::jsonb)) and exists (select 1 from gone)
    )
    select id from gone`);
  return result.rows.length > 0;
}
