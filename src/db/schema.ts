import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, index, uniqueIndex, integer, jsonb, pgSequence, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * Delta sync (features/sync): every row of the synced tables carries where its latest change sits
 * in the change feed. Triggers written in the migration (0009_sync_changes) set these on every
 * insert and every update that changes something, and write a `sync_tombstones` row on delete, so
 * no feature can forget them; the defaults only backfilled existing rows when the columns were added.
 * `change_xid` is the writing transaction (`pg_current_xact_id()`): the feed is ordered by
 * (change_xid, change_seq) and hands out only transactions older than the reader's snapshot, so
 * nothing can commit behind a cursor (see README, "Sync").
 */
export const syncChangeSeq = pgSequence('sync_change_seq');

/** Postgres's 64-bit transaction id; read and written as its decimal text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/** The feed position columns: bookkeeping of the sync feed, never part of a resource's answer. */
export type SyncColumnKey = 'changeSeq' | 'changeXid' | 'changedAt';

const syncColumns = () => ({
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull().default(sql`nextval('sync_change_seq')`),
  changeXid: xid8('change_xid').notNull().default(sql`pg_current_xact_id()`),
  /** When the latest change was made (the server's clock: the writing transaction's start). */
  changedAt: timestamptz('changed_at').notNull().defaultNow(),
});

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email'),
    name: text('name'),
    picture: text('picture'),
    /** `ko` or `en`: the language of the mails and notifications the user gets; null until known. */
    language: text('language'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    /** Set once the user edits their name or picture: from then on a sign-in no longer overwrites them with the provider's. */
    profileEdited: boolean('profile_edited').notNull().default(false),
    /** When the user asked to leave; null for an account in use. Signing in before `purge_after` clears both. */
    deletionScheduledAt: timestamptz('deletion_scheduled_at'),
    /** From then on the account can no longer be restored, and the purge sweep erases it. */
    purgeAfter: timestamptz('purge_after'),
  },
  (table) => [index('users_purge_after_idx').on(table.purgeAfter).where(sql`${table.purgeAfter} is not null`)],
);

/** The password of a user who signs in with an email address (their `email` identity); one per user. */
export const passwordCredentials = pgTable('password_credentials', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The scrypt hash with its parameters and salt (`scrypt$N$r$p$salt$hash`), so they can be raised later. */
  passwordHash: text('password_hash').notNull(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/**
 * Single-use tokens sent by mail, stored as their SHA-256 only. A `verify` token carries the
 * registration it confirms (address, name, password hash): nothing becomes an account, and no
 * password takes effect, until its own link is followed. A `reset` token belongs to a user.
 */
export const emailTokens = pgTable(
  'email_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    purpose: text('purpose', { enum: ['verify', 'reset'] }).notNull(),
    email: text('email').notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    passwordHash: text('password_hash'),
    name: text('name'),
    language: text('language'),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    index('email_tokens_email_idx').on(sql`lower(${table.email})`, table.purpose),
    index('email_tokens_user_idx').on(table.userId),
    index('email_tokens_expiry_idx').on(table.expiresAt),
    check('email_tokens_purpose_check', sql`${table.purpose} in ('verify', 'reset')`),
  ],
);

/** A sign-in method of a user: one row per (provider, provider account). */
export const userIdentities = pgTable(
  'user_identities',
  {
    provider: text('provider').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    emailVerified: boolean('email_verified').notNull().default(false),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.providerId] }),
    index('user_identities_user_idx').on(table.userId),
    // Account linking looks up a verified address; an unverified one never links, so it is not indexed.
    index('user_identities_verified_email_idx').on(sql`lower(${table.email})`).where(sql`${table.emailVerified}`),
  ],
);

export const sessionStatuses = ['pending', 'started', 'paused', 'completed', 'reviewed'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];

/**
 * Pomodoro focus sessions. `created_at`/`updated_at` are the client's clock (the contract keeps them);
 * `started_at`, `paused_at` and `expires_at` are the server's truth for timing.
 */
export const focusSessions = pgTable(
  'focus_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    goal: text('goal').notNull().default(''),
    durationMinutes: integer('duration_minutes').notNull(),
    breakDurationMinutes: integer('break_duration_minutes').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    status: text('status', { enum: sessionStatuses }).notNull().default('pending'),
    reflection: text('reflection'),
    startedAt: timestamptz('started_at'),
    pausedAt: timestamptz('paused_at'),
    expiresAt: timestamptz('expires_at'),
    // When the session really completed (server clock). Null for sessions completed before it was
    // recorded: those count their whole duration as focused.
    completedAt: timestamptz('completed_at'),
    createdAt: timestamptz('created_at').notNull(),
    updatedAt: timestamptz('updated_at'),
    // Bumped by every write, so Redis applies a session's changes in the order Postgres made them.
    revision: integer('revision').notNull().default(0),
    ...syncColumns(),
  },
  (table) => [
    index('focus_sessions_user_created_idx').on(table.userId, table.createdAt),
    index('focus_sessions_user_change_idx').on(table.userId, table.changeXid, table.changeSeq),
    // The Postgres-side sweep looks only at running sessions by expiry.
    index('focus_sessions_running_expiry_idx').on(table.expiresAt).where(sql`${table.status} = 'started'`),
    check('focus_sessions_status_check', sql`${table.status} in ('pending','started','paused','completed','reviewed')`),
    check('focus_sessions_duration_check', sql`${table.durationMinutes} > 0 and ${table.breakDurationMinutes} >= 0`),
  ],
);

export const attachmentTypes = ['image', 'audio'] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

/** Stored per attachment inside `memos.attachments` (jsonb): document-shaped, read and written with its memo. */
export interface StoredAttachment {
  id: string;
  type: AttachmentType;
  key: string;
  filename: string;
  contentType: string;
  size: number;
}

export const memos = pgTable(
  'memos',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    attachments: jsonb('attachments').$type<StoredAttachment[]>().notNull().default(sql`'[]'::jsonb`),
    category: text('category'),
    categoryConfidence: real('category_confidence'),
    // The user picked `category`: the classifier never overwrites it.
    categoryChosen: boolean('category_chosen').notNull().default(false),
    // Set when a classification job is queued, cleared when its result lands; the cron re-queues what waits too long.
    classifyRequestedAt: timestamptz('classify_requested_at'),
    isArchived: boolean('is_archived').notNull().default(false),
    // When the user pinned the memo (server clock); null when it is not pinned. Pinning is no edit: `updated_at` stays.
    pinnedAt: timestamptz('pinned_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    ...syncColumns(),
    // Not declared here on purpose: `search_text`, a stored generated column (lower(NFKC(content, tags)))
    // with its trigram and bigram GIN indexes, made by migration 0010's hand-written part. Declaring it
    // would make every memo select carry the text twice; only features/memos/search reads it, by name.
  },
  (table) => [
    index('memos_user_created_idx').on(table.userId, table.createdAt),
    index('memos_user_change_idx').on(table.userId, table.changeXid, table.changeSeq),
    // GET /memo/pinned: a user's pinned memos, newest pin first.
    index('memos_user_pinned_idx').on(table.userId, table.pinnedAt.desc(), table.id.desc()).where(sql`${table.pinnedAt} is not null`),
    index('memos_user_category_idx').on(table.userId, table.category),
    index('memos_classify_waiting_idx').on(table.classifyRequestedAt).where(sql`${table.classifyRequestedAt} is not null`),
  ],
);

/** A user's own memo categories, next to the built-in ones; memos refer to them by `key`. */
export const customCategories = pgTable(
  'custom_categories',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    icon: text('icon').notNull(),
    color: text('color').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    ...syncColumns(),
  },
  (table) => [
    uniqueIndex('custom_categories_user_key_idx').on(table.userId, table.key),
    index('custom_categories_user_change_idx').on(table.userId, table.changeXid, table.changeSeq),
  ],
);

/**
 * Files uploaded straight to R2 with a presigned PUT and not yet attached to a memo. Attaching
 * deletes the row; the cron deletes rows (and their objects) that nobody claimed within a day.
 */
export const pendingUploads = pgTable(
  'pending_uploads',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    type: text('type', { enum: attachmentTypes }).notNull(),
    contentType: text('content_type').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [index('pending_uploads_created_idx').on(table.createdAt)],
);

/** The feelings a check-in may name; documented in the API as the `Emotion` enum. */
export const emotions = ['joy', 'calm', 'focused', 'grateful', 'proud', 'tired', 'anxious', 'sad', 'angry', 'stressed'] as const;
export type Emotion = (typeof emotions)[number];

/**
 * Mood check-ins: a 1–5 score, up to five emotions and a note, at `recorded_at` (the client's time,
 * never in the future). A check-in may belong to one of the user's sessions (recorded with its review);
 * deleting the session keeps the check-in and forgets the link.
 */
export const moodCheckins = pgTable(
  'mood_checkins',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').references(() => focusSessions.id, { onDelete: 'set null' }),
    score: integer('score').notNull(),
    emotions: text('emotions', { enum: emotions }).array().notNull().default(sql`'{}'::text[]`),
    note: text('note'),
    recordedAt: timestamptz('recorded_at').notNull(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    ...syncColumns(),
  },
  (table) => [
    // Lists and stats read one user's check-ins by time.
    index('mood_checkins_user_recorded_idx').on(table.userId, table.recordedAt),
    index('mood_checkins_user_change_idx').on(table.userId, table.changeXid, table.changeSeq),
    // Deleting a session finds its linked check-ins (on delete set null) without a scan.
    index('mood_checkins_session_idx').on(table.sessionId).where(sql`${table.sessionId} is not null`),
    check('mood_checkins_score_check', sql`${table.score} between 1 and 5`),
    check('mood_checkins_emotions_check', sql`cardinality(${table.emotions}) <= 5`),
  ],
);

/** One category's part of a daily summary: what its memos were about, and how many there were. */
export interface StoredCategorySummary {
  category: string;
  summary: string;
  memo_count: number;
}

/**
 * A day's summary per (user, local date, zone), generated in the background. `fingerprint` is the
 * day's memos, sessions and check-ins it was built from (a read compares it with the day's current
 * one); `source_version` is when the job read them, and a write never replaces a summary built from
 * a later read.
 */
export const dailySummaries = pgTable(
  'daily_summaries',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    localDate: text('local_date').notNull(),
    tz: text('tz').notNull(),
    aiComment: text('ai_comment').notNull(),
    categorySummaries: jsonb('category_summaries').$type<StoredCategorySummary[]>().notNull(),
    totalMemos: integer('total_memos').notNull(),
    focusMinutes: integer('focus_minutes').notNull(),
    completedSessions: integer('completed_sessions').notNull(),
    generatedBy: text('generated_by').notNull(),
    fingerprint: text('fingerprint').notNull(),
    sourceVersion: timestamptz('source_version').notNull(),
    generatedAt: timestamptz('generated_at').notNull().defaultNow(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.localDate, table.tz] })],
);

export const syncTypes = ['memo', 'session', 'mood', 'category'] as const;
export type SyncType = (typeof syncTypes)[number];

/**
 * What a deleted memo, session, check-in or custom category leaves in the change feed, written by
 * the delete triggers of the migration; kept 90 days (the cron's `sweepSyncTombstones`).
 */
export const syncTombstones = pgTable(
  'sync_tombstones',
  {
    type: text('type', { enum: syncTypes }).notNull(),
    id: text('id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
    changeXid: xid8('change_xid').notNull(),
    deletedAt: timestamptz('deleted_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.type, table.id] }),
    index('sync_tombstones_user_change_idx').on(table.userId, table.changeXid, table.changeSeq),
    index('sync_tombstones_deleted_at_idx').on(table.deletedAt),
    check('sync_tombstones_type_check', sql`${table.type} in ('memo', 'session', 'mood', 'category')`),
  ],
);

/**
 * Per user, the feed position of the newest tombstone the sweep has removed: a cursor before it may
 * have missed a deletion, so it is refused (410) and the client syncs again from the beginning.
 */
export const syncHorizons = pgTable('sync_horizons', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  changeXid: xid8('change_xid').notNull(),
  changeSeq: bigint('change_seq', { mode: 'number' }).notNull(),
});
