import type { Context } from 'hono';
import type { RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/app-env';
import { entityTag, ifMatchPrecondition, withEntityTag } from '../../http/conditional';
import { decodeCursor, encodeCursor, jsonArrayStream } from '../../lib/pagination';
import { createFileKind, editFileKind } from './attachments';
import type { MemoRow } from './repository';
import type * as routes from './routes';
import { lastValue, splitList } from './schemas';
import * as service from './service';
import type { IncomingFile } from './service';
import { toMemoResponse } from './response';
import { decodeSearchCursor, encodeSearchCursor, snippetOf } from './search';
import { downloadUrlSigner, uploadTarget } from './urls';

const origin = (c: Context<AppEnv>) => new URL(c.req.url).origin;

const signerFor = (c: Context<AppEnv>) => downloadUrlSigner(c.get('services').config.files, origin(c), new Date());

/** What the memo is, without its signed links (which depend on when it is asked for): its entity tag's state. */
const memoState = (memo: MemoRow) => toMemoResponse(memo, async (key) => key);

/** The answer and its entity tag: the memo's state, and the links of this answer as the variant. */
async function taggedMemo(c: Context<AppEnv>, memo: MemoRow) {
  const body = await toMemoResponse(memo, signerFor(c));
  return { body, tag: await entityTag(await memoState(memo), body.attachments.map((attachment) => attachment.url)) };
}

/** File fields in form order (the schema already refused a file key carrying text). */
function filesOf(form: Record<string, unknown>, kindOf: (key: string) => IncomingFile['kind'] | undefined): IncomingFile[] {
  return Object.entries(form).flatMap(([key, value]) => {
    const kind = kindOf(key);
    const file = lastValue(value);
    return kind && file instanceof File ? [{ field: `body.${key}`, kind, file }] : [];
  });
}

type CreateMemoRoute = typeof routes.createMemo | typeof routes.createMemoSlash;

export const createMemo: RouteHandler<CreateMemoRoute, AppEnv> = async (c) => {
  const form = c.req.valid('form');
  const memo = await service.createMemo(c.get('services'), c.get('caller').userId, {
    content: form.content,
    tags: splitList(form.tags),
    category: form.category,
    files: filesOf(form, createFileKind),
    uploadIds: [...new Set(splitList(form.upload_ids))],
    uploadField: 'body.upload_ids',
  });
  return c.json(await toMemoResponse(memo, signerFor(c)), 200);
};

/** Unpaged (the web client): the whole list as one bare array, streamed page by page. Paged with `limit`: `{items, next_cursor}`. */
export const listMemos: RouteHandler<typeof routes.listMemos, AppEnv> = async (c) => {
  const { limit, cursor, ...days } = c.req.valid('query');
  const services = c.get('services');
  const userId = c.get('caller').userId;
  const sign = signerFor(c);
  const toJson = (memo: MemoRow) => toMemoResponse(memo, sign);
  if (limit !== undefined) {
    const page = await service.listMemosPage(services, userId, days, cursor ? decodeCursor(cursor) : undefined, limit);
    return c.json({ items: await Promise.all(page.items.map(toJson)), next_cursor: page.next ? encodeCursor(page.next) : null }, 200);
  }
  const { first, rest } = await service.listAllMemos(services, userId, days);
  // A stream is no typed JSON answer; its shape is the array the route declares.
  return c.body(jsonArrayStream(first, rest, toJson), 200, { 'Content-Type': 'application/json' }) as never;
};

export const getMemo: RouteHandler<typeof routes.getMemo, AppEnv> = async (c) => {
  const memo = await service.getMemo(c.get('services'), c.get('caller').userId, c.req.valid('param').id);
  const { body, tag } = await taggedMemo(c, memo);
  const answer = withEntityTag(c, tag, body);
  return answer.notModified ? (answer.notModified as never) : c.json(answer.body, 200);
};

export const updateMemo: RouteHandler<typeof routes.updateMemo, AppEnv> = async (c) => {
  const form = c.req.valid('form');
  const ifMatch = ifMatchPrecondition(c);
  const memo = await service.updateMemo(c.get('services'), c.get('caller').userId, c.req.valid('param').id, {
    content: form.content,
    tags: splitList(form.tags),
    category: form.category,
    keepIds: new Set(splitList(form.keep_attachments)),
    files: filesOf(form, editFileKind),
    uploadIds: [...new Set(splitList(form.new_upload_ids))],
    uploadField: 'body.new_upload_ids',
    precondition: ifMatch && (async (current) => ifMatch(await memoState(current))),
  });
  const { body, tag } = await taggedMemo(c, memo);
  c.header('ETag', tag);
  return c.json(body, 200);
};

export const deleteMemo: RouteHandler<typeof routes.deleteMemo, AppEnv> = async (c) => {
  await service.deleteMemo(c.get('services'), c.get('caller').userId, c.req.valid('param').id);
  return c.json({ message: 'memo deleted successfully' as const }, 200);
};

export const createUpload: RouteHandler<typeof routes.createUpload, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const services = c.get('services');
  const now = new Date();
  const upload = await service.createUpload(services, c.get('caller').userId, { contentType: body.content_type, size: body.size }, now);
  const target = await uploadTarget(services.config.files, origin(c), upload.key, upload.contentType, body.size, now);
  return c.json({ id: upload.id, upload_url: target.url, method: target.method, headers: target.headers, expires_at: target.expiresAt.toISOString() }, 200);
};

export const pinMemo: RouteHandler<typeof routes.pinMemo, AppEnv> = async (c) => {
  await service.setPinned(c.get('services'), c.get('caller').userId, c.req.valid('param').id, true);
  return c.body(null, 204);
};

export const unpinMemo: RouteHandler<typeof routes.unpinMemo, AppEnv> = async (c) => {
  await service.setPinned(c.get('services'), c.get('caller').userId, c.req.valid('param').id, false);
  return c.body(null, 204);
};

/** Every pinned memo as one bare array, streamed page by page as the unpaged list is. */
export const listPinned: RouteHandler<typeof routes.listPinned, AppEnv> = async (c) => {
  const sign = signerFor(c);
  const { first, rest } = await service.listAllPinned(c.get('services'), c.get('caller').userId);
  return c.body(jsonArrayStream(first, rest, (memo: MemoRow) => toMemoResponse(memo, sign)), 200, { 'Content-Type': 'application/json' }) as never;
};

export const searchMemos: RouteHandler<typeof routes.searchMemos, AppEnv> = async (c) => {
  const { limit, cursor, ...search } = c.req.valid('query');
  const page = await service.searchMemos(c.get('services'), c.get('caller').userId, search, cursor ? decodeSearchCursor(cursor) : undefined, limit);
  const sign = signerFor(c);
  const results = await Promise.all(
    page.hits.map(async ({ memo, score }) => ({ memo: await toMemoResponse(memo, sign), snippet: snippetOf(memo, page.terms), score: Number(score) })),
  );
  return c.json({ results, next_cursor: page.next ? encodeSearchCursor(page.next) : null }, 200);
};
