import { createRoute, z } from '@hono/zod-openapi';
import { authenticate, requireAuth } from '../auth/guard';
import { limitBody } from '../../http/body-limit';
import { conditionalRead, conditionalWrite, jsonBody, problemResponses } from '../../http/openapi';
import {
  CreateMemoForm,
  MAX_CONTENT_LENGTH,
  MAX_TAG_LENGTH,
  MAX_TAGS,
  MemoDeletedSchema,
  MemoIdParams,
  MemoListQuery,
  MemoPageSchema,
  MemoSchema,
  MemoSearchQuery,
  SearchPageSchema,
  UpdateMemoForm,
  UploadRequestSchema,
  UploadTicketSchema,
} from './schemas';

const LIMITS =
  `\`content\` is at most ${MAX_CONTENT_LENGTH} characters and \`tags\` at most ${MAX_TAGS} tags of at most ${MAX_TAG_LENGTH} characters; ` +
  'neither may contain NUL (U+0000) characters (422 naming the field). ' +
  'Each file is checked from its bytes: images PNG, JPEG, GIF, WebP, HEIC/HEIF, AVIF; audio WebM, Matroska, Ogg, MP3, MP4/M4A, WAV ' +
  '(anything else, or an image under an audio key and vice versa: 415). A file over MAX_UPLOAD_BYTES (default 10 MiB): 413. ' +
  'More than MAX_ATTACHMENTS_PER_MEMO attachments (default 10): 422 naming the first field past the limit. ' +
  'A request body over MAX_FORM_BYTES (32 MiB): 413 before it is read whole ' +
  '(large files can go one request each through POST /memo/uploads).';

/** A form is parsed whole, so its total is capped well inside a Worker's 128 MB of memory. */
const limitMemoForm = limitBody((c) => c.get('services').config.files.maxFormBytes);
/** Memo writes and direct-upload tickets count against the caller's per-minute write limits. */
const memoWrite = authenticate({ writeLimit: 'memos' });
const uploadWrite = authenticate({ writeLimit: 'uploads' });

/**
 * Declared as multipart only, which is what the web client sends: each declared form type adds a
 * validator of its own, and every one of them runs the whole schema. The one validator reads a
 * URL-encoded body too (a text-only memo), so that still works; other bodies are a 415.
 */
const form = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'multipart/form-data': { schema } } });

const createMemoRoute = <P extends '/memo' | '/memo/'>(path: P) =>
  createRoute({
    method: 'post',
    path,
    tags: ['memos'],
    summary: 'Create a memo with text, tags and image/audio files',
    description:
      'Files come under keys whose first `_`-piece is `image` or `audio` (`image_0`, `audio_1`); a repeated key counts with its last value. ' +
      `Answers the created memo (the original answered null; the web client reads only the status). ${LIMITS}`,
    middleware: [memoWrite, limitMemoForm] as const,
    hide: path === '/memo/',
    request: { body: form(CreateMemoForm) },
    responses: {
      200: jsonBody(MemoSchema, 'The created memo'),
      ...problemResponses('unauthorized', 'rate_limited', 'forbidden', 'conflict', 'payload_too_large', 'unsupported_media_type', 'validation_failed'),
    },
  });

/** The original registered both `/memo` and `/memo/` for create, and the web client posts to `/memo`. */
export const createMemo = createMemoRoute('/memo');
export const createMemoSlash = createMemoRoute('/memo/');

export const listMemos = createRoute({
  method: 'get',
  path: '/memo/list',
  tags: ['memos'],
  summary: "The caller's memos created on local days start_date..end_date in tz, oldest first",
  description:
    'Days are half-open in the zone: `[00:00 of start_date, 00:00 of the day after end_date)`, so DST days are 23 or 25 hours long. ' +
    'Without `limit` the answer is every memo of the range as a bare array (what the web client reads), however large. ' +
    'With `limit` it is a page, `{items, next_cursor}`; follow `next_cursor` with the same query until it is null.',
  middleware: [requireAuth] as const,
  request: { query: MemoListQuery },
  responses: {
    200: {
      description: 'Memos, oldest first: a bare array, or a MemoPage when `limit` is given',
      content: { 'application/json': { schema: z.union([z.array(MemoSchema), MemoPageSchema]) } },
    },
    ...problemResponses('unauthorized', 'validation_failed'),
  },
});

export const createUpload = createRoute({
  method: 'post',
  path: '/memo/uploads',
  tags: ['memos'],
  summary: 'Get a URL to PUT a large file to directly, then attach it by id',
  description:
    'PUT the bytes to `upload_url` with `headers`, then reference `id` in `upload_ids` (create) or `new_upload_ids` (edit). ' +
    'The bytes are checked when a memo attaches them; an upload nobody attaches is deleted after 24 hours.',
  middleware: [uploadWrite] as const,
  request: { body: { required: true, content: { 'application/json': { schema: UploadRequestSchema } } } },
  responses: {
    200: jsonBody(UploadTicketSchema, 'Where and how to upload'),
    ...problemResponses('unauthorized', 'rate_limited', 'forbidden', 'payload_too_large', 'unsupported_media_type', 'validation_failed'),
  },
});

export const getMemo = createRoute({
  method: 'get',
  path: '/memo/{id}',
  tags: ['memos'],
  summary: 'One memo of the caller',
  middleware: [requireAuth] as const,
  request: { params: MemoIdParams },
  responses: { 200: jsonBody(MemoSchema), ...conditionalRead, ...problemResponses('unauthorized', 'forbidden', 'not_found') },
});

export const updateMemo = createRoute({
  method: 'put',
  path: '/memo/{id}',
  tags: ['memos'],
  summary: 'Replace content and tags, keep some attachments, add new ones',
  description:
    'New files come under `new_image_<n>` / `new_audio_<n>` (`<n>` without `_`). The result lists the kept attachments in their ' +
    `original order, then the new files, then the new uploads. Dropped files are deleted after the memo is saved. ${LIMITS}`,
  middleware: [memoWrite, limitMemoForm] as const,
  request: { params: MemoIdParams, body: form(UpdateMemoForm) },
  responses: {
    200: jsonBody(MemoSchema, 'The memo as saved'),
    ...problemResponses('unauthorized', 'rate_limited', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type', 'validation_failed'),
    ...conditionalWrite,
  },
});

export const deleteMemo = createRoute({
  method: 'delete',
  path: '/memo/{id}',
  tags: ['memos'],
  summary: 'Delete a memo and then its files',
  middleware: [memoWrite] as const,
  request: { params: MemoIdParams },
  responses: { 200: jsonBody(MemoDeletedSchema), ...problemResponses('unauthorized', 'rate_limited', 'forbidden', 'not_found') },
});

export const listPinned = createRoute({
  method: 'get',
  path: '/memo/pinned',
  tags: ['memos'],
  summary: "The caller's pinned memos, newest pin first",
  description: 'Every pinned memo as one bare array (ties in pin time: the newer memo first), read in pages of bounded size like the lists.',
  middleware: [requireAuth] as const,
  responses: { 200: jsonBody(z.array(MemoSchema), 'Pinned memos, newest pin first'), ...problemResponses('unauthorized') },
});

export const searchMemos = createRoute({
  method: 'get',
  path: '/memo/search',
  tags: ['memos'],
  summary: "Search the caller's memos (content and tags), best matches first",
  description:
    'Korean and English alike: every word of `q` must occur, inside longer words too, whatever its case or width (NFKC). ' +
    'Results are ordered by `score` (per word: more occurrences, a match at the start of a word, a whole tag; the whole query as typed; ' +
    'damped for long memos), ties newest first; follow `next_cursor` with the same query for the next page. ' +
    'Only the caller\'s memos are ever searched. `snippet` is HTML with every match in `<mark>` and everything else escaped. ' +
    'Optional filters: `category`, and local days `from`..`to` (inclusive) in `tz`, on the day a memo was created, as in GET /memo/list.',
  middleware: [requireAuth] as const,
  request: { query: MemoSearchQuery },
  responses: { 200: jsonBody(SearchPageSchema, 'One page of results'), ...problemResponses('unauthorized', 'validation_failed') },
});

const pinRoute = (method: 'put' | 'delete') =>
  createRoute({
    method,
    path: '/memo/{id}/pin',
    tags: ['memos'],
    summary: method === 'put' ? 'Pin a memo (idempotent)' : 'Unpin a memo (idempotent)',
    description:
      method === 'put'
        ? 'Sets `pinned` and `pinned_at`; pinning a pinned memo keeps its first `pinned_at`. `updated_at` does not change.'
        : 'Clears `pinned` and `pinned_at`; unpinning a memo that is not pinned changes nothing. `updated_at` does not change.',
    middleware: [memoWrite] as const,
    request: { params: MemoIdParams },
    responses: { 204: { description: method === 'put' ? 'Pinned' : 'Not pinned' }, ...problemResponses('unauthorized', 'rate_limited', 'forbidden', 'not_found') },
  });

export const pinMemo = pinRoute('put');
export const unpinMemo = pinRoute('delete');
