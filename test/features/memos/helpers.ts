import { exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import { api, env, json } from '../../helpers/api';
import type { TestUser } from '../../helpers/users';
import { fixtureBytes, type MediaFixture } from '../../fixtures/media';

export interface AttachmentBody {
  id: string;
  type: 'image' | 'audio';
  url: string;
  filename: string;
}

export interface MemoBody {
  id: string;
  user_id: string;
  content: string;
  tags: string[];
  attachments: AttachmentBody[];
  created_at: string;
  updated_at: string;
  category: string | null;
  category_confidence: number | null;
  is_archived: boolean;
  pinned: boolean;
  pinned_at: string | null;
}

/** A form file from a fixture, under the name and declared type a client would send (neither is trusted). */
export const fixtureFile = (fixture: MediaFixture, name: string = fixture, type = '') => new File([fixtureBytes(fixture)], name, { type });

/** A multipart form as the web client builds it: text fields and files in insertion order. */
export function memoForm(fields: Record<string, string | File>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  return form;
}

export const postMemo = (user: TestUser, form: FormData, path = '/memo') => api(path, { method: 'POST', headers: user.cookie, body: form });

export const putMemo = (user: TestUser, id: string, form: FormData) => api(`/memo/${id}`, { method: 'PUT', headers: user.cookie, body: form });

/** Creates a memo and returns its body, failing the test on anything but 200. */
export async function createMemo(user: TestUser, fields: Record<string, string | File>): Promise<MemoBody> {
  const response = await postMemo(user, memoForm(fields));
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as MemoBody;
}

export async function listMemos(user: TestUser, query: Record<string, string>): Promise<MemoBody[]> {
  const response = await api(`/memo/list?${new URLSearchParams(query)}`, { headers: user.cookie });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as MemoBody[];
}

/** Follows an attachment URL the way a browser's <img> or Audio would: a plain GET, no credentials. */
export const fetchUrl = (url: string, init: RequestInit = {}) => exports.default.fetch(new Request(url, init));

/** The object keys stored under a user's prefix, straight from the bucket binding. */
export async function storedKeys(userId: string): Promise<string[]> {
  const listing = await env.BUCKET.list({ prefix: `${userId}/` });
  return listing.objects.map((object) => object.key).sort();
}

export const keyOf = (user: TestUser, attachment: AttachmentBody) => `${user.userId}/${attachment.filename}`;

export async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

export interface UploadTicket {
  id: string;
  upload_url: string;
  method: 'PUT';
  headers: Record<string, string>;
  expires_at: string;
}

export const requestUpload = (user: TestUser, body: Record<string, unknown>) => api('/memo/uploads', { method: 'POST', ...json(body, user.cookie) });

/** Asks for a direct upload of a fixture and PUTs its bytes to the URL handed out, as a client would. */
export async function uploadDirectly(user: TestUser, fixture: MediaFixture, contentType: string): Promise<UploadTicket> {
  const bytes = fixtureBytes(fixture);
  const response = await requestUpload(user, { content_type: contentType, size: bytes.length });
  expect(response.status, await response.clone().text()).toBe(200);
  const ticket = (await response.json()) as UploadTicket;
  const put = await fetchUrl(ticket.upload_url, { method: ticket.method, headers: ticket.headers, body: bytes });
  expect(put.status, await put.clone().text()).toBe(200);
  return ticket;
}

/** A body of `total` zero bytes, streamed (no Content-Length) 1 MiB at a time; `pulled` says how much the server asked for. */
export function zeroStream(total: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      const size = Math.min(1024 * 1024, total - pulled);
      pulled += size;
      controller.enqueue(new Uint8Array(size));
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => pulled };
}
