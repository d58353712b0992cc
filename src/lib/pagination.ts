import { z } from 'zod';

/**
 * Keyset paging for the day lists, on `(created_at, id)`, the order they are listed in. A list is
 * read a page at a time so that no Neon response nears its 10 MB limit, whatever the range holds.
 * Unpaged requests (the web client's) still get one bare JSON array, streamed page by page; API
 * clients may opt in with `limit` and get `{items, next_cursor}`.
 */

/** Where a page ends: the last row's sort key. */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

export const MAX_PAGE_LIMIT = 500;

const base64url = (text: string) => btoa(text).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

/** Opaque to clients: `base64url("<ISO instant>|<id>")`. */
export const encodeCursor = (position: ListPosition) => base64url(`${position.createdAt.toISOString()}|${position.id}`);

export function decodeCursor(cursor: string): ListPosition | undefined {
  let text: string;
  try {
    text = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  } catch {
    return undefined;
  }
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{24})$/.exec(text);
  const createdAt = match ? new Date(match[1] as string) : undefined;
  return createdAt && !Number.isNaN(createdAt.getTime()) ? { createdAt, id: match?.[2] as string } : undefined;
}

/** The opt-in paging fields of a list query. */
export const pageQueryFields = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_LIMIT)
    .optional()
    .describe(`Opt-in paging: at most this many items (1-${MAX_PAGE_LIMIT}), answered as {items, next_cursor}; a page may hold fewer when its items are large. Without it the answer is the whole list as a bare array.`),
  cursor: z
    .string()
    .refine((value) => decodeCursor(value) !== undefined, 'Not a cursor this API handed out')
    .optional()
    .describe('`next_cursor` of the previous page; only with `limit`.'),
};

/** One page of a list and where the next one starts (null: this was the last). `P` is the list's sort key, `(created_at, id)` for the day lists. */
export interface Page<T, P = ListPosition> {
  items: T[];
  next: P | null;
}

/** Every page of a list: the first one read at once (so its failure is still a problem answer), the rest as they are pulled. */
export async function allPages<T, P = ListPosition>(readPage: (after: P | undefined) => Promise<Page<T, P>>): Promise<{ first: T[]; rest: AsyncIterator<T[]> }> {
  const first = await readPage(undefined);
  async function* rest() {
    for (let next = first.next; next; ) {
      const page = await readPage(next);
      yield page.items;
      next = page.next;
    }
  }
  return { first: first.items, rest: rest() };
}

/**
 * Streams a JSON array made of pages. The first page is read by the caller before the response
 * starts, so a failure there is still an ordinary problem answer; a failure on a later page can
 * only end the stream early, which the client sees as a broken response, never as a short list.
 */
export function jsonArrayStream<T>(first: T[], rest: AsyncIterator<T[]>, toJson: (item: T) => Promise<unknown> | unknown): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: T[] | undefined = first;
  let wrote = false;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode('['));
      }
      const items = pending ?? (await nextPage(rest));
      pending = undefined;
      if (!items) {
        controller.enqueue(encoder.encode(']'));
        controller.close();
        return;
      }
      const parts = await Promise.all(items.map(async (item) => JSON.stringify(await toJson(item))));
      if (parts.length > 0) {
        controller.enqueue(encoder.encode((wrote ? ',' : '') + parts.join(',')));
        wrote = true;
      }
    },
  });
}

async function nextPage<T>(pages: AsyncIterator<T[]>): Promise<T[] | undefined> {
  const next = await pages.next();
  return next.done ? undefined : next.value;
}
