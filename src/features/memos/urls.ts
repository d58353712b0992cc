import type { Config } from '../../env';
import { hmacSign, hmacVerify } from '../../lib/hmac';
import { presignS3Url } from '../../platform/storage';
import { mediaTypeByExtension } from './attachments';

/**
 * URLs for attachment bytes, all made locally (no call to R2). With R2 S3 credentials configured
 * they are SigV4-presigned URLs on R2's S3 API; without them, Worker URLs `/files/{key}?exp=&sig=`
 * signed with HMAC-SHA256 over method, key and expiry, which the files feature serves from the binding.
 */

type FilesConfig = Config['files'];
export type FileMethod = 'GET' | 'PUT';

/** A download URL works for an hour at most, as the original's boto3 default did. */
export const DOWNLOAD_TTL_SECONDS = 3600;
/** Download URLs are signed at the start of a 10-minute window: the same URL for 10 minutes lets browsers cache, and it stays valid 50-60 minutes. */
const DOWNLOAD_WINDOW_SECONDS = 600;
/** An upload URL is used right away; keeping it short limits how long the object can be overwritten. */
export const UPLOAD_TTL_SECONDS = 900;

const linkMessage = (method: FileMethod, key: string, expiresAt: number) => `${method}\n${key}\n${expiresAt}`;

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

/** A Worker file URL for `method` on `key`, valid until `expiresAt` (seconds since epoch). */
export async function signFileLink(secret: string, origin: string, method: FileMethod, key: string, expiresAt: number): Promise<string> {
  const signature = await hmacSign(secret, linkMessage(method, key, expiresAt));
  return `${origin}/files/${encodeKey(key)}?exp=${expiresAt}&sig=${signature}`;
}

/** The link's expiry (seconds since epoch) when it was signed by us for this method and key and has not expired; else undefined. */
export async function verifyFileLink(
  secret: string,
  method: FileMethod,
  key: string,
  exp: string | undefined,
  sig: string | undefined,
  nowSeconds: number,
): Promise<number | undefined> {
  if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return undefined;
  const expiresAt = Number(exp);
  if (expiresAt <= nowSeconds) return undefined;
  return (await hmacVerify(secret, linkMessage(method, key, expiresAt), sig)) ? expiresAt : undefined;
}

/**
 * How R2 must answer a presigned GET, as the Worker's file route does: the checked type (the key's
 * extension is ours, from the bytes) and an inline disposition naming the file. R2 cannot add
 * `X-Content-Type-Options: nosniff`; a fixed, checked image or audio type is what stands in for it.
 */
export function servedAs(key: string): Record<string, string> {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const type = mediaTypeByExtension(name.slice(name.lastIndexOf('.') + 1));
  return { 'response-content-disposition': contentDisposition(name), ...(type ? { 'response-content-type': type.contentType } : {}) };
}

/** Our file names are `<uuid>.<ext>`, so they need no quoting beyond the quotes. */
export const contentDisposition = (name: string) => `inline; filename="${name}"`;

/**
 * The download URLs signed in the current window, per isolate. Signing is a pure function of the
 * key and the window, so a list re-requested within the window costs no crypto (presigning 300
 * URLs with aws4fetch is tens of milliseconds of CPU); a new window starts an empty map.
 */
const signedWindows = new WeakMap<FilesConfig, { signedAt: number; urls: Map<string, Promise<string>> }>();
const MAX_SIGNED_PER_WINDOW = 10_000;

/** Signs download URLs for one response; every URL of it shares the same window. */
export function downloadUrlSigner(files: FilesConfig, origin: string, now: Date): (key: string) => Promise<string> {
  const signedAt = Math.floor(now.getTime() / 1000 / DOWNLOAD_WINDOW_SECONDS) * DOWNLOAD_WINDOW_SECONDS;
  let window = signedWindows.get(files);
  if (!window || window.signedAt !== signedAt || window.urls.size >= MAX_SIGNED_PER_WINDOW) {
    window = { signedAt, urls: new Map() };
    signedWindows.set(files, window);
  }
  const { s3 } = files;
  const sign = s3
    ? (key: string) =>
        presignS3Url(s3, files.bucketName, { method: 'GET', key, signedAt: new Date(signedAt * 1000), expiresInSeconds: DOWNLOAD_TTL_SECONDS, query: servedAs(key) })
    : (key: string) => signFileLink(files.urlSecret, origin, 'GET', key, signedAt + DOWNLOAD_TTL_SECONDS);
  const { urls } = window;
  return (key) => {
    const id = `${origin} ${key}`;
    let url = urls.get(id);
    if (!url) {
      url = sign(key);
      urls.set(id, url);
    }
    return url;
  };
}

export interface UploadTarget {
  url: string;
  method: 'PUT';
  /** Headers the uploader must send as given. */
  headers: Record<string, string>;
  expiresAt: Date;
}

/**
 * Where to PUT a direct upload: its staging key, never the key a memo references (attaching
 * copies the bytes there, see attachUploads), so no URL handed out can change an attached file. A
 * presigned S3 PUT binds Content-Type and Content-Length into the signature, so R2 itself refuses
 * other types and sizes (a presigned PUT cannot otherwise be capped); a Worker PUT URL is checked
 * by the Worker as it receives the body, and refused once the upload is attached.
 */
export async function uploadTarget(files: FilesConfig, origin: string, key: string, contentType: string, size: number, now: Date): Promise<UploadTarget> {
  const expiresAt = Math.floor(now.getTime() / 1000) + UPLOAD_TTL_SECONDS;
  const headers = { 'Content-Type': contentType };
  if (files.s3) {
    const bound = { ...headers, 'Content-Length': String(size) };
    const url = await presignS3Url(files.s3, files.bucketName, { method: 'PUT', key, signedAt: now, expiresInSeconds: UPLOAD_TTL_SECONDS, headers: bound });
    return { url, method: 'PUT', headers, expiresAt: new Date(expiresAt * 1000) };
  }
  const url = await signFileLink(files.urlSecret, origin, 'PUT', key, expiresAt);
  return { url, method: 'PUT', headers, expiresAt: new Date(expiresAt * 1000) };
}
