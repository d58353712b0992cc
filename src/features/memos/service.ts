import type { AttachmentType, StoredAttachment } from '../../db/schema';
import { isObjectId, newObjectId, newUuid } from '../../lib/ids';
import { localDayRange } from '../../lib/local-day';
import { allPages, type ListPosition, type Page } from '../../lib/pagination';
import { conflict, forbidden, notFound, preconditionFailed, type ApiError } from '../../lib/problem';
import { sqlState } from '../../platform/db';
import { neverReachedPostgres } from '../../platform/dependencies';
import type { Services } from '../../platform/services';
import { copyObject, deleteObjects, getObject, listObjects, listObjectsUnder, putObject, readObjectHead } from '../../platform/storage';
import {
  checkAttachmentCount,
  checkMedia,
  fieldError,
  mediaTypeByContentType,
  mediaTypeByExtension,
  objectKey,
  SNIFF_BYTES,
  stagingKey,
} from './attachments';
import { categoryOnCreate, categoryOnEdit, queueClassification } from '../categories';
import * as repository from './repository';
import type { MemoRow, PendingUpload, PinPosition } from './repository';
import { SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX, searchPhrase, searchTerms, type SearchPosition } from './search';
import { verifyFileLink, type FileMethod } from './urls';

/**
 * Memo rules. The order of every write is what keeps files safe: objects are uploaded before the
 * row that references them is written (and removed again only if that write certainly failed);
 * objects a memo no longer references are removed only after the row is written. A crash or a lost
 * reply can leave an unreferenced object, never a reference to a missing one; the orphan sweep
 * removes those.
 */

const DAY_MS = 86_400_000;
/** Pending uploads live this long unclaimed; objects must be this old before the sweep may call them orphans. */
const UPLOAD_GRACE_MS = DAY_MS;
/** R2 lists and deletes at most 1000 keys per call: one page per cron run keeps its subrequests bounded. */
const SWEEP_PAGE_SIZE = 1000;

export interface IncomingFile {
  /** Where it came from, for error messages: `body.image_0`. */
  field: string;
  kind: AttachmentType;
  file: File;
}

export interface MemoDraft {
  content: string;
  tags: string[];
  /** The `category` form field: a key, `uncategorized`, empty, or absent (see features/categories). */
  category: string | undefined;
  files: IncomingFile[];
  /** Attachment ids from `POST /memo/uploads`, in the order they are attached. */
  uploadIds: string[];
  /** The form field that carried `uploadIds`, for error messages. */
  uploadField: string;
}

export interface MemoEdit extends MemoDraft {
  /** Ids of the current attachments to keep; unknown ids are ignored, as in the original. */
  keepIds: Set<string>;
  /** `If-Match`: the memo as it is now must pass it, and the write happens only if nobody changed it since. */
  precondition?: (current: MemoRow) => Promise<void>;
}

interface PreparedFile {
  attachment: StoredAttachment;
  file: File;
}

/** Only an ObjectId can name a memo; anything else (a NUL, which Postgres refuses in text, included) is simply not found. */
function assertPlausibleId(memoId: string) {
  if (!isObjectId(memoId)) throw notFound('Memo not found');
}

function ownMemo(memo: MemoRow | undefined, userId: string): MemoRow {
  if (!memo) throw notFound('Memo not found');
  if (memo.userId !== userId) throw forbidden('Forbidden');
  return memo;
}

const storedAttachment = (id: string, kind: AttachmentType, key: string, contentType: string, size: number): StoredAttachment => ({
  id,
  type: kind,
  key,
  filename: key.slice(key.indexOf('/') + 1),
  contentType,
  size,
});

/** Checks every file from its bytes, in form order (so the first bad field is the one reported), before anything is uploaded. */
async function prepareFiles(files: IncomingFile[], userId: string, maxBytes: number): Promise<PreparedFile[]> {
  const prepared: PreparedFile[] = [];
  for (const { field, kind, file } of files) {
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const type = checkMedia(field, kind, file.size, head, maxBytes);
    const id = newUuid();
    prepared.push({ file, attachment: storedAttachment(id, kind, objectKey(userId, id, type), type.contentType, file.size) });
  }
  return prepared;
}

/** Direct uploads a memo is about to reference: their attachments, under keys of their own, and where they were staged. */
interface AttachedUploads {
  attachments: StoredAttachment[];
  /** The keys copied to for this request; removed again if the write certainly failed. */
  copies: string[];
  staged: string[];
}

/**
 * Direct uploads become attachments only once their object exists and its first bytes are what was
 * declared: a presigned PUT goes straight to R2, so this is the first time the Worker sees them.
 * Each is first copied from its staging key to the key the memo will reference, and the copy is
 * what gets checked: an upload URL replayed during or after the attach writes only the staging key.
 */
async function attachUploads(services: Services, userId: string, pending: PendingUpload[], ids: string[], field: string): Promise<AttachedUploads> {
  const byId = new Map(pending.map((upload) => [upload.id, upload]));
  const unknown = ids.find((id) => !byId.has(id));
  if (unknown) throw fieldError('validation_failed', field, `No pending upload ${unknown}: unknown, expired or already attached`);
  const uploads = ids.map((id) => byId.get(id) as PendingUpload);
  const keys = uploads.map((upload) => {
    const type = mediaTypeByContentType(upload.contentType);
    return type ? objectKey(userId, upload.id, type) : upload.key;
  });
  // Uploads registered before staging keys existed were written in place; they are checked there.
  const copied = await Promise.all(uploads.map((upload, index) => upload.key === keys[index] || copyObject(services.bucket, upload.key, keys[index] as string)));
  try {
    const heads = await Promise.all(keys.map((key, index) => (copied[index] ? readObjectHead(services.bucket, key, SNIFF_BYTES) : null)));
    const attachments = uploads.map((upload, index) => {
      const object = heads[index];
      if (!object) throw fieldError('validation_failed', field, `Upload ${upload.id} has not been received yet`);
      const type = checkMedia(field, upload.type, object.size, object.head, services.config.files.maxUploadBytes);
      if (type.contentType !== upload.contentType) {
        throw fieldError('unsupported_media_type', field, `Upload ${upload.id} is ${type.contentType}, not the declared ${upload.contentType}`);
      }
      return storedAttachment(upload.id, upload.type, keys[index] as string, upload.contentType, object.size);
    });
    const staged = uploads.map((upload) => upload.key).filter((key, index) => key !== keys[index]);
    return { attachments, copies: keys.filter((key, index) => key !== uploads[index]?.key), staged };
  } catch (error) {
    await removeObjects(services, keys.filter((key, index) => copied[index] && key !== uploads[index]?.key));
    throw error;
  }
}

/** Best effort: a failed delete leaves an unreferenced object, which the orphan sweep removes later. */
async function removeObjects(services: Services, keys: string[]) {
  try {
    await deleteObjects(services.bucket, keys);
  } catch (error) {
    console.error(JSON.stringify({ level: 'warn', message: 'object delete failed; the orphan sweep will retry', keys, error: String(error) }));
  }
}

/**
 * Whether a failed write certainly wrote nothing. An error with a SQLSTATE is Postgres refusing the
 * statement, which then rolled back; so is a call that never reached Postgres (the connection was
 * refused, or Neon could not connect). Any other error (a dropped connection, a timeout) may have
 * come after Neon committed, and so may the connection and operator-intervention classes (08, 57P:
 * a backend terminated after its commit reports them too), so those leave the outcome unknown.
 */
function certainlyNotWritten(error: unknown): boolean {
  if (neverReachedPostgres(error)) return true;
  const code = sqlState(error);
  return code !== undefined && !code.startsWith('08') && !code.startsWith('57P');
}

/**
 * Uploads the new files, then writes the row. What this request stored (its files and the copies of
 * attached uploads) is removed again only when the row certainly does not reference it: an upload
 * failed, the write found the data changed and wrote nothing, or Postgres refused the write. When
 * the outcome is unknown (the reply was lost), the saved memo may reference them, so they stay; if
 * it does not, the orphan sweep removes them a day later. Once the row is written, the staged
 * uploads it claimed are removed.
 */
async function uploadThenWrite(services: Services, files: PreparedFile[], attached: AttachedUploads, write: () => Promise<boolean>, changed: () => ApiError) {
  const stored = [...files.map(({ attachment }) => attachment.key), ...attached.copies];
  const removeStored = () => removeObjects(services, stored);
  // allSettled: none may still be in flight when the cleanup below runs.
  const puts = await Promise.allSettled(files.map(({ attachment, file }) => putObject(services.bucket, attachment.key, file, attachment.contentType)));
  const failed = puts.find((put) => put.status === 'rejected');
  if (failed) {
    await removeStored();
    throw failed.reason;
  }
  let written: boolean;
  try {
    written = await write();
  } catch (error) {
    if (certainlyNotWritten(error)) await removeStored();
    throw error;
  }
  if (!written) {
    await removeStored();
    throw changed();
  }
  await removeObjects(services, attached.staged);
}

export async function createMemo(services: Services, userId: string, draft: MemoDraft, now = new Date()): Promise<MemoRow> {
  const { db, config } = services;
  checkAttachmentCount(0, [...draft.files.map((file) => file.field), ...draft.uploadIds.map(() => draft.uploadField)], config.files.maxAttachmentsPerMemo);
  const files = await prepareFiles(draft.files, userId, config.files.maxUploadBytes);
  const pending = draft.uploadIds.length > 0 ? await repository.findPendingUploads(db, userId, draft.uploadIds) : [];
  const uploaded = await attachUploads(services, userId, pending, draft.uploadIds, draft.uploadField);
  const category = await categoryOnCreate(services, userId, draft.category, now);

  const memo = {
    id: newObjectId(now.getTime()),
    userId,
    content: draft.content,
    tags: draft.tags,
    attachments: [...files.map((file) => file.attachment), ...uploaded.attachments],
    createdAt: now,
    updatedAt: now,
    category,
  };
  await uploadThenWrite(services, files, uploaded, () => repository.insertMemo(db, memo, draft.uploadIds), () => conflict('An upload was attached elsewhere or expired meanwhile'));
  if (category.classifyRequestedAt) await queueClassification(services, memo);
  return { ...memo, ...category, isArchived: false, pinnedAt: null };
}

/**
 * Stored text per page of a memo list. JSON can escape a character into six bytes, so 1.5 MB of
 * text stays under Neon's 10 MB response limit however it is written; a day of 110 memos of
 * 100,000 characters is about eight pages.
 */
const LIST_PAGE_BYTES = 1_500_000;
/** Rows per page of an unpaged list: small memos come a month at a time. */
const LIST_PAGE_ROWS = 1000;

export interface MemoListQuery {
  tz: string;
  start_date: string;
  end_date: string;
  /** Only memos with this category key. */
  category?: string;
}

/** One page of the caller's memos on the query's local days, after `after`, of at most `limit` memos. */
export async function listMemosPage(services: Services, userId: string, query: MemoListQuery, after: ListPosition | undefined, limit = LIST_PAGE_ROWS): Promise<Page<MemoRow>> {
  const { start, end } = localDayRange(query.tz, query.start_date, query.end_date);
  const { rows, more } = await repository.listMemosPage(services.db, userId, { start, end, category: query.category }, after, limit, LIST_PAGE_BYTES);
  const last = rows.at(-1);
  return { items: rows, next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** Every page of the caller's memos on the query's local days (see allPages). */
export const listAllMemos = (services: Services, userId: string, query: MemoListQuery) =>
  allPages((after) => listMemosPage(services, userId, query, after));

export async function getMemo(services: Services, userId: string, memoId: string): Promise<MemoRow> {
  assertPlausibleId(memoId);
  return ownMemo(await repository.findMemo(services.db, memoId), userId);
}

/** Kept attachments in their original order, then the new files in form order, then the direct uploads. */
export async function updateMemo(services: Services, userId: string, memoId: string, edit: MemoEdit, now = new Date()): Promise<MemoRow> {
  assertPlausibleId(memoId);
  const { db, config } = services;
  const found = await repository.findMemoAndUploads(db, memoId, userId, edit.uploadIds);
  const current = ownMemo(found.memo, userId);
  await edit.precondition?.(current);
  const kept = current.attachments.filter((attachment) => edit.keepIds.has(attachment.id));
  const dropped = current.attachments.filter((attachment) => !edit.keepIds.has(attachment.id));
  checkAttachmentCount(kept.length, [...edit.files.map((file) => file.field), ...edit.uploadIds.map(() => edit.uploadField)], config.files.maxAttachmentsPerMemo);
  const files = await prepareFiles(edit.files, userId, config.files.maxUploadBytes);
  const uploaded = await attachUploads(services, userId, found.uploads, edit.uploadIds, edit.uploadField);
  const category = await categoryOnEdit(services, userId, current, edit.category, edit, now);

  const next = {
    id: current.id,
    userId,
    content: edit.content,
    tags: edit.tags,
    attachments: [...kept, ...files.map((file) => file.attachment), ...uploaded.attachments],
    updatedAt: now,
    category,
  };
  await uploadThenWrite(
    services,
    files,
    uploaded,
    () => repository.updateMemo(db, next, current.attachments, edit.uploadIds, edit.precondition ? current : undefined),
    () => (edit.precondition ? preconditionFailed() : conflict('The memo changed while it was being saved; reload it and try again')),
  );
  if (category.classifyRequestedAt && category.classifyRequestedAt === now) await queueClassification(services, next);
  await removeObjects(services, dropped.map((attachment) => attachment.key));
  return { ...current, ...next, ...category };
}

export async function deleteMemo(services: Services, userId: string, memoId: string) {
  assertPlausibleId(memoId);
  const { ownerId, attachments } = await repository.deleteMemo(services.db, memoId, userId);
  if (ownerId !== undefined && ownerId !== userId) throw forbidden('Forbidden');
  if (!attachments) throw notFound('Memo not found');
  await removeObjects(services, attachments.map((attachment) => attachment.key));
}

/**
 * Pins or unpins the caller's memo: one statement, idempotent. Answers as getMemo does: another
 * user's memo is 403, an unknown or malformed id 404.
 */
export async function setPinned(services: Services, userId: string, memoId: string, pinned: boolean, now = new Date()) {
  assertPlausibleId(memoId);
  const { ownerId } = await repository.setPinned(services.db, memoId, userId, pinned ? now : null);
  if (ownerId === undefined) throw notFound('Memo not found');
  if (ownerId !== userId) throw forbidden('Forbidden');
}

/** One page of the caller's pinned memos, newest pin first. */
export async function listPinnedPage(services: Services, userId: string, after: PinPosition | undefined): Promise<Page<MemoRow, PinPosition>> {
  const { rows, more } = await repository.listPinnedPage(services.db, userId, after, LIST_PAGE_ROWS, LIST_PAGE_BYTES);
  const last = rows.at(-1);
  return { items: rows, next: more && last?.pinnedAt ? { pinnedAt: last.pinnedAt, id: last.id } : null };
}

/** Every pinned memo of the caller, a page at a time (see allPages). */
export const listAllPinned = (services: Services, userId: string) => allPages((after: PinPosition | undefined) => listPinnedPage(services, userId, after));

export interface MemoSearch {
  q: string;
  category?: string;
  /** Local days `[from, to]` in `tz`, as in the lists; either end may be open. */
  tz?: string;
  from?: string;
  to?: string;
}

export interface SearchHit {
  memo: MemoRow;
  score: string;
}

/**
 * One page of the caller's memos matching every word of `q` (at least 2 characters each), best
 * first; one Neon statement. The schema has already refused a query without such a word.
 */
export async function searchMemos(services: Services, userId: string, search: MemoSearch, after: SearchPosition | undefined, limit = SEARCH_PAGE_DEFAULT) {
  const terms = searchTerms(search.q);
  const tz = search.tz ?? 'UTC';
  const start = search.from ? localDayRange(tz, search.from, search.from).start : undefined;
  const end = search.to ? localDayRange(tz, search.to, search.to).end : undefined;
  const filter = { terms, phrase: searchPhrase(search.q), category: search.category, start, end };
  const { rows, more } = await repository.searchMemosPage(services.db, userId, filter, after, Math.min(limit, SEARCH_PAGE_MAX), LIST_PAGE_BYTES);
  const last = rows.at(-1);
  return { terms, hits: rows satisfies SearchHit[], next: more && last ? { score: last.score, id: last.memo.id } : null };
}

/** Registers a direct upload: its key is fixed now, from the declared type, and its bytes are checked when a memo claims it. */
export async function createUpload(services: Services, userId: string, request: { contentType: string; size: number }, now = new Date()) {
  const type = mediaTypeByContentType(request.contentType);
  if (!type) throw fieldError('unsupported_media_type', 'body.content_type', `Unsupported content type ${request.contentType}`);
  const { maxUploadBytes } = services.config.files;
  if (request.size > maxUploadBytes) throw fieldError('payload_too_large', 'body.size', `File is larger than the limit of ${maxUploadBytes} bytes`);
  const id = newUuid();
  const key = stagingKey(userId, id, type);
  await repository.insertPendingUpload(services.db, { id, userId, key, type: type.kind, contentType: type.contentType, createdAt: now });
  return { id, key, contentType: type.contentType };
}

export interface FileLink {
  key: string;
  exp: string | undefined;
  sig: string | undefined;
}

async function authorizeFileLink(services: Services, method: FileMethod, link: FileLink, now: Date): Promise<number> {
  const expiresAt = await verifyFileLink(services.config.files.urlSecret, method, link.key, link.exp, link.sig, Math.floor(now.getTime() / 1000));
  if (expiresAt === undefined) throw forbidden('Invalid or expired file URL');
  return expiresAt;
}

/** The object (or the `range` of it) behind a signed download URL, and until when the URL is valid. */
export async function openFile(services: Services, link: FileLink, range: R2Range | undefined, now = new Date()) {
  const expiresAt = await authorizeFileLink(services, 'GET', link, now);
  const object = await getObject(services.bucket, link.key, range);
  if (!object) throw notFound('File not found');
  return { object, expiresAt };
}

/** Receives the body of a signed upload URL (HMAC mode), checked as strictly as a file posted with a memo. */
export async function receiveUpload(services: Services, link: FileLink, body: ReadableStream<Uint8Array> | null, now = new Date()) {
  await authorizeFileLink(services, 'PUT', link, now);
  // Signed by us, so the key is always `{owner}/{upload id}.upload.{extension of ours}`; the extension says what the bytes must be.
  const [owner = '', name = ''] = link.key.split('/');
  const declared = mediaTypeByExtension(name.slice(name.lastIndexOf('.') + 1));
  if (!declared) throw forbidden('Invalid or expired file URL');
  // The route's body limit keeps this read within MAX_UPLOAD_BYTES.
  const bytes = new Uint8Array(await new Response(body).arrayBuffer());
  const type = checkMedia('body', declared.kind, bytes.length, bytes.subarray(0, SNIFF_BYTES), services.config.files.maxUploadBytes);
  if (type.contentType !== declared.contentType) throw fieldError('unsupported_media_type', 'body', `The body is ${type.contentType}, not the declared ${declared.contentType}`);
  // The URL outlives the upload. It writes only the staging key, which an attached memo never
  // references (the attach copied the bytes away), so a late PUT changes nothing anyone sees; it is
  // refused anyway, so it does not recreate a staged object the attach already removed.
  if (!(await repository.isPendingUpload(services.db, owner, name.slice(0, name.indexOf('.')), link.key))) {
    throw conflict('This upload has already been attached to a memo, or has expired');
  }
  await putObject(services.bucket, link.key, bytes, declared.contentType);
  return { size: bytes.length, contentType: declared.contentType };
}

/**
 * Cron: removes direct uploads nobody attached within a day, rows first, then their objects (see
 * takeExpiredUploads). If the object delete fails, the orphan sweep finds those objects unreferenced.
 */
export async function expirePendingUploads(services: Services, now: Date) {
  const keys = await repository.takeExpiredUploads(services.db, new Date(now.getTime() - UPLOAD_GRACE_MS), SWEEP_PAGE_SIZE);
  await deleteObjects(services.bucket, keys);
  return { expired: keys.length };
}

/**
 * Cron: looks at one page of the bucket per run and deletes objects older than a day that no memo
 * references and no pending upload holds. One page a minute covers 1.44 M objects a day with five
 * subrequests per run; the position is kept in Redis because runs share no memory. "Older than a
 * day" protects an object between its upload and its row's write, which takes seconds.
 */
export async function sweepOrphanObjects(services: Services, now: Date) {
  const after = await repository.readSweepPosition(services.redis);
  const page = await listObjects(services.bucket, after, SWEEP_PAGE_SIZE);
  const old = page.objects.filter((object) => object.uploaded.getTime() < now.getTime() - UPLOAD_GRACE_MS).map((object) => object.key);
  const orphans = old.length > 0 ? await repository.unreferencedKeys(services.db, old) : [];
  await deleteObjects(services.bucket, orphans);
  const finished = !page.truncated;
  await repository.saveSweepPosition(services.redis, finished ? undefined : page.objects.at(-1)?.key);
  return { listed: page.objects.length, deleted: orphans.length, passFinished: finished ? 1 : 0 };
}

/** R2 lists and deletes at most 1,000 keys a call; a purge's memo deletes go in pages as large. */
const PURGE_PAGE_SIZE = 1000;

/**
 * For the purge of a user: every object under the user's prefix (attachments and staged uploads)
 * is deleted, then their memos, a page at a time. Files go first: a memo row left by an
 * interruption is found again at the next run, while a file whose row was gone would only be
 * found by the orphan sweep. Idempotent; two subrequests per 1,000 files, one Neon call per
 * 1,000 memos.
 */
export async function eraseUserMemos(services: Services, userId: string) {
  let files = 0;
  for (;;) {
    // Deleted keys leave the listing, so each page starts from the beginning again.
    const page = await listObjectsUnder(services.bucket, `${userId}/`, PURGE_PAGE_SIZE);
    await deleteObjects(services.bucket, page.objects.map((object) => object.key));
    files += page.objects.length;
    if (!page.truncated) break;
  }
  let memos = 0;
  for (let deleted = PURGE_PAGE_SIZE; deleted === PURGE_PAGE_SIZE; memos += deleted) {
    deleted = await repository.deleteMemosOf(services.db, userId, PURGE_PAGE_SIZE);
  }
  return { files, memos };
}
