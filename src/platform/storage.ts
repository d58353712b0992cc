import { AwsV4Signer } from 'aws4fetch';
import type { Config } from '../env';

/**
 * R2, the one place its calls are made: objects through the Worker binding (no credentials, no
 * public endpoint), and presigned URLs for R2's S3 API, which are pure local SigV4 (no call to R2).
 */

export type S3Config = NonNullable<Config['files']['s3']>;

export async function putObject(bucket: R2Bucket, key: string, body: Blob | ArrayBuffer | Uint8Array, contentType: string) {
  await bucket.put(key, body, { httpMetadata: { contentType } });
}

/** One call for up to 1000 keys; deleting a missing key is not an error. */
export async function deleteObjects(bucket: R2Bucket, keys: string[]) {
  if (keys.length > 0) await bucket.delete(keys);
}

/**
 * Copies an object to another key within the bucket (the binding has no copy or rename): streamed
 * through a FixedLengthStream so R2 knows its length and the Worker never holds the whole object.
 * False when the source does not exist.
 */
export async function copyObject(bucket: R2Bucket, from: string, to: string): Promise<boolean> {
  const source = await bucket.get(from);
  if (!source) return false;
  const { readable, writable } = new FixedLengthStream(source.size);
  const [, copied] = await Promise.all([source.body.pipeTo(writable), bucket.put(to, readable, { httpMetadata: source.httpMetadata })]);
  return copied !== null;
}

/** R2's error code for a range that starts at or past the end of the object. */
const RANGE_NOT_SATISFIABLE = '(10039)';

/**
 * Streams an object, or the `range` of it. Null when it does not exist; `{ unsatisfiable, size }`
 * when the range lies outside it (the size then costs a second call, on that rare path only).
 */
export async function getObject(bucket: R2Bucket, key: string, range?: R2Range): Promise<R2ObjectBody | { unsatisfiable: true; size: number } | null> {
  try {
    return await bucket.get(key, range ? { range } : {});
  } catch (error) {
    if (!range || !String(error).includes(RANGE_NOT_SATISFIABLE)) throw error;
    const head = await bucket.head(key);
    return head ? { unsatisfiable: true, size: head.size } : null;
  }
}

/**
 * The first `length` bytes of an object (fewer if it is shorter) and its total size, in one read
 * that stops early; null when it does not exist. Not a ranged read: a range on an empty object fails.
 */
export async function readObjectHead(bucket: R2Bucket, key: string, length: number) {
  const object = await bucket.get(key);
  if (!object) return null;
  const reader = object.body.getReader();
  const chunks: Uint8Array[] = [];
  for (let total = 0, read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
    total += read.value.length;
    if (total >= length) break;
  }
  await reader.cancel();
  return { size: object.size, head: new Uint8Array(await new Blob(chunks).arrayBuffer()).subarray(0, length) };
}

/** One page of the bucket in key order, starting after `startAfter`. */
export function listObjects(bucket: R2Bucket, startAfter: string | undefined, limit: number) {
  return bucket.list({ startAfter, limit });
}

/** One page of the objects whose keys start with `prefix`, in key order. */
export function listObjectsUnder(bucket: R2Bucket, prefix: string, limit: number) {
  return bucket.list({ prefix, limit });
}

/** Signing keys derived per day and credentials; shared across requests of the isolate. */
const signingKeys = new Map<string, ArrayBuffer>();

/** `20250813T100000Z`, the SigV4 timestamp form. */
const amzDate = (date: Date) => date.toISOString().replace(/[-:]|\.\d{3}/g, '');

export interface PresignRequest {
  method: 'GET' | 'PUT';
  key: string;
  /** The signature's start: URLs signed within the same window are identical, so browsers can cache them. */
  signedAt: Date;
  expiresInSeconds: number;
  /** Headers the uploader must send exactly (bound into the signature), e.g. Content-Type and Content-Length. */
  headers?: Record<string, string>;
  /** Signed query parameters, e.g. S3's `response-content-type` overrides of a GET's answer. */
  query?: Record<string, string>;
}

/** A SigV4 query-signed URL on R2's S3 API, path-style: `{endpoint}/{bucket}/{key}`. */
export async function presignS3Url(s3: S3Config, bucketName: string, request: PresignRequest): Promise<string> {
  const path = [bucketName, ...request.key.split('/')].map(encodeURIComponent).join('/');
  const url = new URL(`${s3.endpoint.replace(/\/+$/, '')}/${path}`);
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
  url.searchParams.set('X-Amz-Expires', String(request.expiresInSeconds));
  const headers = request.headers ?? {};
  const signer = new AwsV4Signer({
    method: request.method,
    url: url.toString(),
    headers,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    // Explicit: aws4fetch guesses them only for *.r2.cloudflarestorage.com, not for a local endpoint.
    service: 's3',
    region: 'auto',
    cache: signingKeys,
    datetime: amzDate(request.signedAt),
    signQuery: true,
    // Content-Type and Content-Length are unsignable by default; signing them is what binds them.
    allHeaders: Object.keys(headers).length > 0,
  });
  return (await signer.sign()).url.toString();
}
