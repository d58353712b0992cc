import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db';
import type { RedisClient } from '../../platform/redis';
import { deletionState, mailSlotKey, type SignInUser } from './repository';

// ---- Mailed tokens and passwords (Postgres) ----

/**
 * A registration waiting for its link, in one statement: nothing is written when the address
 * already belongs to a verified email account (the caller mails "you already have an account").
 * Returns whether the token was stored.
 */
export async function storeRegistration(
  db: Db,
  registration: { tokenHash: string; email: string; passwordHash: string; name: string; language: string; ttlSeconds: number },
): Promise<boolean> {
  const { tokenHash, email, passwordHash, name, language, ttlSeconds } = registration;
  const result = await db.execute(sql`
    insert into email_tokens (token_hash, purpose, email, password_hash, name, language, expires_at)
    select ${tokenHash}, 'verify', ${email}, ${passwordHash}, ${name}, ${language}, now() + make_interval(secs => ${ttlSeconds})
    where not exists (
      select 1 from user_identities where provider = 'email' and provider_id = lower(${email}) and email_verified
    )
    returning token_hash`);
  return result.rows.length > 0;
}

/**
 * Follows a verification link, in one atomic statement (neon-http has no interactive
 * transactions): the token is used up, and its registration becomes the `email` identity of the
 * user who already holds the address through a verified identity (Google, Kakao, Naver), else of
 * a new user `candidateUserId`, with the registration's password. Undefined when the token is
 * unknown, used or expired. Foreign keys are checked at the end of the statement, so the new user
 * and its identity go in together.
 */
export async function completeRegistration(db: Db, tokenHash: string, candidateUserId: string): Promise<(SignInUser & { language: string | null }) | undefined> {
  const result = await db.execute<SignInUser & { language: string | null }>(sql`
    with used as (
      update email_tokens set used_at = now()
      where token_hash = ${tokenHash} and purpose = 'verify' and used_at is null and expires_at > now()
      returning email, password_hash, name, language
    ), holder as (
      select user_id from user_identities
      where email_verified and lower(email) = lower((select email from used))
      order by provider = 'email' desc, created_at
      limit 1
    ), target as (
      select coalesce((select user_id from holder), ${candidateUserId}) as user_id, used.* from used
    ), new_user as (
      insert into users (id, email, name, language)
      select user_id, email, name, language from target where user_id = ${candidateUserId}
      returning id
    ), identity as (
      insert into user_identities (provider, provider_id, user_id, email, email_verified)
      select 'email', lower(email), user_id, email, true from target
      on conflict (provider, provider_id) do update set email = excluded.email, email_verified = true
      returning user_id
    ), credential as (
      insert into password_credentials (user_id, password_hash)
      select user_id, password_hash from target
      on conflict (user_id) do update set password_hash = excluded.password_hash, updated_at = now()
      returning user_id
    )
    select target.user_id as id, coalesce(existing.email, target.email) as email, coalesce(existing.name, target.name) as name,
           existing.picture, coalesce(existing.language, target.language) as language, ${deletionState('existing')}
    from target left join users existing on existing.id = target.user_id`);
  return result.rows[0];
}

export type EmailSignIn = {
  /** The verified email account's user and password hash, if there is one. */
  account?: SignInUser & { passwordHash: string };
  /** Else the newest registration still waiting for its link. */
  pending?: { passwordHash: string; name: string | null; language: string | null };
};

/** What a sign-in with this address can be checked against, in one query. */
export async function findEmailSignIn(db: Db, email: string): Promise<EmailSignIn> {
  const result = await db.execute<{
    id: string | null;
    email: string | null;
    name: string | null;
    picture: string | null;
    password_hash: string | null;
    deletion: SignInUser['deletion'];
    pending_hash: string | null;
    pending_name: string | null;
    pending_language: string | null;
  }>(sql`
    select account.id, account.email, account.name, account.picture, account.password_hash, account.deletion,
           pending.password_hash as pending_hash, pending.name as pending_name, pending.language as pending_language
    from (select 1) one
    left join lateral (
      select u.id, u.email, u.name, u.picture, c.password_hash, ${deletionState('u')}
      from user_identities i join users u on u.id = i.user_id join password_credentials c on c.user_id = i.user_id
      where i.provider = 'email' and i.provider_id = lower(${email}) and i.email_verified
    ) account on true
    left join lateral (
      select password_hash, name, language from email_tokens
      where purpose = 'verify' and lower(email) = lower(${email}) and used_at is null and expires_at > now()
      order by created_at desc
      limit 1
    ) pending on account.id is null`);
  const [row] = result.rows;
  if (row?.id && row.password_hash) {
    return { account: { id: row.id, email: row.email, name: row.name, picture: row.picture, deletion: row.deletion, passwordHash: row.password_hash } };
  }
  if (row?.pending_hash) return { pending: { passwordHash: row.pending_hash, name: row.pending_name, language: row.pending_language } };
  return {};
}

/** A reset link for the verified email account with this address; undefined when there is none. */
export async function storeResetToken(db: Db, email: string, tokenHash: string, ttlSeconds: number) {
  const result = await db.execute<{ user_id: string; name: string | null; language: string | null }>(sql`
    with account as (
      select i.user_id, i.email from user_identities i
      where i.provider = 'email' and i.provider_id = lower(${email}) and i.email_verified
    ), stored as (
      insert into email_tokens (token_hash, purpose, email, user_id, expires_at)
      select ${tokenHash}, 'reset', email, user_id, now() + make_interval(secs => ${ttlSeconds}) from account
      returning user_id
    )
    select stored.user_id, u.name, u.language from stored join users u on u.id = stored.user_id`);
  return result.rows[0];
}

/** Uses up a reset token and sets the password it was for, in one statement; undefined when the token is unknown, used or expired. */
export async function resetPassword(db: Db, tokenHash: string, passwordHash: string): Promise<SignInUser | undefined> {
  const result = await db.execute<SignInUser>(sql`
    with used as (
      update email_tokens set used_at = now()
      where token_hash = ${tokenHash} and purpose = 'reset' and used_at is null and expires_at > now()
      returning user_id
    ), credential as (
      insert into password_credentials (user_id, password_hash)
      select user_id, ${passwordHash} from used
      on conflict (user_id) do update set password_hash = excluded.password_hash, updated_at = now()
      returning user_id
    )
    select u.id, u.email, u.name, u.picture, ${deletionState('u')} from users u join used on u.id = used.user_id`);
  return result.rows[0];
}

/** The user's address and password hash (null without a password); undefined when the user is gone. */
export async function findPasswordCredential(db: Db, userId: string) {
  const result = await db.execute<{ password_hash: string | null; email: string | null }>(sql`
    select c.password_hash, u.email from users u left join password_credentials c on c.user_id = u.id where u.id = ${userId}`);
  return result.rows[0];
}

export async function updatePassword(db: Db, userId: string, passwordHash: string) {
  await db.execute(sql`update password_credentials set password_hash = ${passwordHash}, updated_at = now() where user_id = ${userId}`);
}

// ---- Mail throttling (Redis) ----

/**
 * At most one mail of a kind per address a minute, so nobody can flood a mailbox through sign-up
 * or "forgot password": true when this one may go. Keyed by the address's digest, never the address.
 */
export async function claimMailSlot(redis: RedisClient, kind: string, addressDigest: string): Promise<boolean> {
  return (await redis.set(mailSlotKey(kind, addressDigest), '1', { nx: true, ex: 60 })) === 'OK';
}
