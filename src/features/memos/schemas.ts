import { z } from '@hono/zod-openapi';
import { attachmentTypes } from '../../db/schema';
import { localDayQueryWith } from '../../lib/local-day';
import { pageQueryFields } from '../../lib/pagination';
import { ACCEPTED_CONTENT_TYPES, createFileKind, editFileKind } from './attachments';

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
  })
  .openapi('Memo');

export type MemoResponse = z.infer<typeof MemoSchema>;

export const MemoDeletedSchema = z.object({ message: z.literal('memo deleted successfully') }).openapi('MemoDeleted');

export const MemoIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, description: '24 lowercase hex digits; any other id is not found (404).', example: '66bb2f7e9a1c4d2e8f0a1b2c' }),
});

export const MemoListQuery = localDayQueryWith({
  ...pageQueryFields,
  category: z.string().max(40).optional().openapi({ description: 'Only memos with this category key (`uncategorized`: still being classified).', example: 'idea' }),
});

/** The opt-in paged answer of GET /memo/list (with `limit`); without it the answer is a bare array. */
export const MemoPageSchema = z
  .object({
    items: z.array(MemoSchema),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as `cursor` (with `limit`) for the next page; null on the last page.' }),
  })
  .openapi('MemoPage');

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
