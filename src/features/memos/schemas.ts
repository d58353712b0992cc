import { z } from '@hono/zod-openapi';
import { attachmentTypes } from '../../db/schema';
import { localDate, localDayQueryWith, parseLocalDate, timeZone } from '../../lib/local-day';
import { pageQueryFields } from '../../lib/pagination';
import { ACCEPTED_CONTENT_TYPES, createFileKind, editFileKind } from './attachments';
import { decodeSearchCursor, MAX_QUERY_LENGTH, MAX_TERMS, MIN_TERM_LENGTH, SEARCH_PAGE_DEFAULT, SEARCH_PAGE_MAX, searchTerms } from './search';

export const AttachmentSchema = z
  .object({
    id: z.string().openapi({ example: '0b6f8c1e-9a55-4c0e-9b1b-3c2f4d5e6f70' }),
    type: z.enum(attachmentTypes),
    url: z.url().openapi({ description: 'Where to fetch the bytes; valid for at most an hour (at least 50 minutes).' }),
    filename: z.string().openapi({ description: '`<attachment id>.<extension of the detected type>`, not the uploaded name.', example: '0b6f8c1e-9a55-4c0e-9b1b-3c2f4d5e6f70.webm' }),
  })
  .openapi('Attachment');

export const MemoSchema = z
  .object({
    id: z.string().openapi({ example: '66bb2f7e9a1c4d2e8f0a1b2c' }),
    user_id: z.string(),
    content: z.string(),
    tags: z.array(z.string()),
    attachments: z.array(AttachmentSchema),
    created_at: z.string().openapi({ example: '2025-08-13T10:00:00.123Z' }),
    updated_at: z.string().openapi({ example: '2025-08-13T10:00:00.123Z' }),
    category: z.string().nullable(),
    category_confidence: z.number().nullable(),
    is_archived: z.boolean(),
    pinned: z.boolean().openapi({ description: 'Pinned with PUT /memo/{id}/pin.' }),
    pinned_at: z.string().nullable().openapi({ description: 'When it was pinned (server clock, `…Z`); null when it is not pinned.', example: '2025-08-13T10:05:00.000Z' }),
  })
  .openapi('Memo');

export type MemoResponse = z.infer<typeof MemoSchema>;

export const MemoDeletedSchema = z.object({ message: z.literal('memo deleted successfully') }).openapi('MemoDeleted');

export const MemoIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, description: '24 lowercase hex digits; any other id is not found (404).', example: '66bb2f7e9a1c4d2e8f0a1b2c' }),
});

const categoryFilter = z.string().max(40).optional().openapi({ description: 'Only memos with this category key (`uncategorized`: still being classified).', example: 'idea' });

export const MemoListQuery = localDayQueryWith({
  ...pageQueryFields,
  category: categoryFilter,
});

/** The opt-in paged answer of GET /memo/list (with `limit`); without it the answer is a bare array. */
export const MemoPageSchema = z
  .object({
    items: z.array(MemoSchema),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` (with `limit`) for the next page; null on the last page.' }),
  })
  .openapi('MemoPage');

export const MemoSearchQuery = z
  .object({
    q: z
      .string()
      .max(MAX_QUERY_LENGTH)
      .refine((value) => searchTerms(value).length > 0, `The query needs a word of at least ${MIN_TERM_LENGTH} characters`)
      .openapi({
        description:
          `Words separated by spaces; every word of at least ${MIN_TERM_LENGTH} characters must occur in the memo's content or tags, ` +
          `also inside longer words ("회의" finds "주간회의록"). Case and width (full-width Ａ, half-width ｶ; NFKC) do not matter. ` +
          `Shorter words are ignored, and words after the first ${MAX_TERMS}; a query with no word of ${MIN_TERM_LENGTH} characters is 422 naming \`query.q\`.`,
        example: '회의 roadmap',
      }),
    category: categoryFilter,
    tz: timeZone.optional().openapi({ description: 'IANA zone of `from` and `to`; required with either.', example: 'Asia/Seoul' }),
    from: localDate.optional().openapi({ description: 'Only memos created on this local day (YYYY-MM-DD, in `tz`) or later.', example: '2025-08-01' }),
    to: localDate.optional().openapi({ description: 'Only memos created on this local day (YYYY-MM-DD, in `tz`, inclusive) or earlier.', example: '2025-08-31' }),
    limit: z.coerce.number().int().min(1).max(SEARCH_PAGE_MAX).optional().openapi({ description: `Results per page, 1-${SEARCH_PAGE_MAX} (default ${SEARCH_PAGE_DEFAULT}); a page may hold fewer when its memos are large.` }),
    cursor: z
      .string()
      .refine((value) => decodeSearchCursor(value) !== undefined, 'Not a search cursor this API handed out')
      .optional()
      .openapi({ description: '`next_cursor` of the previous page, with the same query.' }),
  })
  .check((context) => {
    const { tz, from, to } = context.value;
    if ((from !== undefined || to !== undefined) && tz === undefined) {
      context.issues.push({ code: 'custom', path: ['tz'], message: 'tz is required with from or to', input: tz });
    }
    const first = from === undefined ? undefined : parseLocalDate(from);
    const last = to === undefined ? undefined : parseLocalDate(to);
    if (first && last && Date.UTC(last.year, last.month - 1, last.day) < Date.UTC(first.year, first.month - 1, first.day)) {
      context.issues.push({ code: 'custom', path: ['to'], message: 'to is before from', input: to });
    }
  });

export const SearchResultSchema = z
  .object({
    memo: MemoSchema,
    snippet: z.string().openapi({
      description: 'Where it matched, as HTML: every match in `<mark>…</mark>`, everything else escaped (`&lt;`, `&amp;`); about 180 characters, `…` where cut.',
      example: '…다음 분기 <mark>회의</mark>록 정리',
    }),
    score: z.number().openapi({ description: 'How well it matched (higher first); only comparable within one query.', example: 1.6931 }),
  })
  .openapi('SearchResult');

export const SearchPageSchema = z
  .object({
    results: z.array(SearchResultSchema),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` with the same query for the next page; null on the last page.' }),
  })
  .openapi('SearchPage');

/** Comma-separated ids or tags: pieces trimmed, empty ones dropped (`"a, ,b"` → `["a","b"]`). */
export const splitList = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((piece) => piece.trim())
    .filter(Boolean);

/** A repeated form field counts with its last value, as in the original (`form.items()`). */
export const lastValue = (value: unknown) => (Array.isArray(value) ? value.at(-1) : value);

const text = <T extends z.ZodType>(schema: T) => z.preprocess(lastValue, schema);

/**
 * Caps on a memo's text. Every memo is read whole, and lists are read in pages of bounded size (each
 * one Neon response of at most 10 MB), so one memo must stay far below that.
 */
export const MAX_CONTENT_LENGTH = 100_000;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;

const content = text(
  z.string()
    .trim()
    .min(1, 'Content must not be empty')
    .max(MAX_CONTENT_LENGTH, `Content must be at most ${MAX_CONTENT_LENGTH} characters`),
).openapi({ type: 'string', description: `Required; stored trimmed; at most ${MAX_CONTENT_LENGTH} characters.` });
const tags = text(
  z.string()
    .refine((value) => splitList(value).length <= MAX_TAGS, `At most ${MAX_TAGS} tags`)
    .refine((value) => splitList(value).every((tag) => tag.length <= MAX_TAG_LENGTH), `Each tag must be at most ${MAX_TAG_LENGTH} characters`),
)
  .optional()
  .openapi({
    type: 'string',
    description: `Comma-separated; each tag trimmed, empty ones dropped. Absent or empty: no tags. At most ${MAX_TAGS} tags of at most ${MAX_TAG_LENGTH} characters.`,
    example: 'work, idea',
  });

const category = text(z.string().trim().max(40, 'A category key has at most 40 characters'))
  .optional()
  .openapi({
    type: 'string',
    description: 'A built-in key or one of your custom keys: stored as your choice. `uncategorized`, empty or absent: classified automatically (on edit, the current key sent back keeps it as it is).',
    example: 'idea',
  });

const uuidList = (description: string) =>
  text(z.string().refine((value) => splitList(value).every((id) => z.uuid().safeParse(id).success), 'Expected comma-separated upload ids'))
    .optional()
    .openapi({ type: 'string', description });

const FileSchema = z.custom<File>((value) => value instanceof File, 'Expected a file').openapi({ type: 'string', format: 'binary' });
const formValue = z.union([z.string(), FileSchema]);
const fileFields = z.union([formValue, z.array(formValue)]).openapi({ description: 'Attachment files, under the keys described for the operation.' });

/** A key that names a file must carry one: text under `image_0` is the caller's mistake, named as such. */
const requireFiles = (isFileKey: (key: string) => unknown) => (form: Record<string, unknown>, context: z.core.$RefinementCtx) => {
  for (const [key, value] of Object.entries(form)) {
    if (isFileKey(key) && !(lastValue(value) instanceof File)) context.addIssue({ code: 'custom', path: [key], message: 'Expected a file' });
  }
};

export const CreateMemoForm = z
  .object({
    content,
    tags,
    category,
    upload_ids: uuidList('Comma-separated ids from POST /memo/uploads whose bytes were PUT; attached after the files, in this order.'),
  })
  .catchall(fileFields)
  .superRefine(requireFiles(createFileKind))
  .openapi('CreateMemoForm');

export const UpdateMemoForm = z
  .object({
    content,
    tags,
    category,
    keep_attachments: text(z.string())
      .optional()
      .openapi({ type: 'string', description: 'Comma-separated ids of current attachments to keep. Absent or empty: keep none. Unknown ids are ignored.' }),
    new_upload_ids: uuidList('Comma-separated ids from POST /memo/uploads to attach after the new files, in this order.'),
  })
  .catchall(fileFields)
  .superRefine(requireFiles(editFileKind))
  .openapi('UpdateMemoForm');

export const UploadRequestSchema = z
  .object({
    content_type: z.string().openapi({ description: 'What the bytes are; they are checked when a memo attaches the upload.', enum: ACCEPTED_CONTENT_TYPES, example: 'image/jpeg' }),
    size: z.number().int().positive().openapi({ description: 'Exact byte count; the upload URL accepts no other size when it is presigned.', example: 1048576 }),
  })
  .openapi('UploadRequest');

export const UploadTicketSchema = z
  .object({
    id: z.string().openapi({ description: 'Reference it in `upload_ids` (create) or `new_upload_ids` (edit) once the PUT succeeded.' }),
    upload_url: z.url(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()).openapi({ description: 'Send these headers with the PUT, unchanged.' }),
    expires_at: z.string().openapi({ description: 'The URL stops working then; an unattached upload is deleted after 24 hours.' }),
  })
  .openapi('UploadTicket');
