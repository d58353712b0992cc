import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv, Idempotency } from './app-env';
import { ApiError, validationFailed } from '../lib/problem';
import { sha256Hex } from '../lib/encoding';
import { idempotencyKey, keepAnswer, releaseClaim, type Claim, type KeptAnswer } from '../platform/idempotency';

/**
 * Idempotent writes (IETF httpapi Idempotency-Key draft). Three steps, all here but the first's
 * Redis command:
 *
 * 1. The auth guard reads the header (`idempotencyOf`) and sends the claim in its one Upstash
 *    pipeline (platform/idempotency.ts): the key is taken with an in-flight marker, or its kept
 *    answer, or the marker of a request still running, comes back. Still running: 409 at once.
 * 2. `idempotentRequest`, which createRouter puts after every authenticated write route's own
 *    middleware (so after its body limit) and before its validators, takes the request's digest
 *    (method, path and query, and the body: form fields and file bytes as parsed, so the multipart
 *    boundary does not matter; any other body's bytes) from the body Hono caches, which the
 *    validators then reuse: the body is read once. A kept answer is replayed if the digest matches
 *    (nothing runs), else 422.
 * 3. When the route has answered, the guard calls `settleIdempotency`: an answer below 500 is kept
 *    for a day (one more Upstash call); a 5xx, or a request refused before the digest was taken
 *    (401, 403, 413, 429), drops the marker, so a retry runs.
 */

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** 1 to 255 visible ASCII characters (the draft leaves the syntax to the server). */
const VALID_KEY = /^[\x21-\x7e]{1,255}$/;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The answer headers a replay repeats; a renewed token is issued fresh on the replay itself. */
const KEPT_HEADERS = ['Content-Type', 'Location', 'Retry-After', 'ETag'];

export const idempotencyKeyProblem = (message: string) => validationFailed([{ field: `header.${IDEMPOTENCY_HEADER}`, message }]);

/**
 * The caller's Idempotency-Key on a write, namespaced by user; undefined without one (or on a read).
 * A malformed one is 422 naming `header.Idempotency-Key`.
 */
export async function idempotencyOf(c: Context<AppEnv>, userId: string): Promise<Idempotency | undefined> {
  if (!UNSAFE_METHODS.has(c.req.method)) return undefined;
  const header = c.req.header(IDEMPOTENCY_HEADER);
  if (header === undefined) return undefined;
  if (!VALID_KEY.test(header)) throw idempotencyKeyProblem('Expected 1 to 255 visible ASCII characters');
  return { userId, key: idempotencyKey(userId, await sha256Hex(header)) };
}

/** Refuses a retry whose first request is still running; otherwise the claim goes on with the request. */
export function holdClaim(c: Context<AppEnv>, idempotency: Idempotency, claim: Claim) {
  if (claim.state === 'in-flight') {
    throw new ApiError('conflict', 'A request with this Idempotency-Key is still being processed; retry when it has answered', {
      headers: { 'Retry-After': '1' },
    });
  }
  c.set('idempotency', { ...idempotency, claim });
}

const hex = (digest: ArrayBuffer) => Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');

/**
 * What makes two requests the same one. A form is digested as parsed (its fields in order, each
 * file's name, declared type and bytes), and left parsed where the form validator looks for it,
 * so it is neither read nor parsed twice; a form that does not parse is digested as bytes and the
 * validator refuses it as before.
 */
async function requestDigest(c: Context<AppEnv>): Promise<string> {
  const url = new URL(c.req.url);
  // The conditions are part of the request: a retry with a new If-Match is another request, not a replay of a 412.
  const target: unknown[] = [c.req.method, url.pathname, url.search, c.req.header('If-Match') ?? null, c.req.header('If-None-Match') ?? null];
  const contentType = c.req.header('Content-Type') ?? '';
  if (c.req.raw.body) {
    const bytes = await c.req.arrayBuffer();
    const form = /^(multipart\/form-data|application\/x-www-form-urlencoded)\s*(;|$)/i.test(contentType)
      ? await new Response(bytes, { headers: { 'Content-Type': contentType } }).formData().catch(() => undefined)
      : undefined;
    if (form) {
      c.req.bodyCache.formData = form;
      for (const [name, value] of form) {
        if (typeof value === 'string') target.push([name, value]);
        else {
          const digest = new crypto.DigestStream('SHA-256');
          await value.stream().pipeTo(digest);
          target.push([name, value.name, value.type, hex(await digest.digest)]);
        }
      }
    } else target.push(contentType, hex(await crypto.subtle.digest('SHA-256', bytes)));
  }
  return sha256Hex(JSON.stringify(target));
}

function replay(c: Context<AppEnv>, answer: KeptAnswer) {
  const headers = { ...answer.headers, [REPLAYED_HEADER]: 'true' };
  const status = answer.status as ContentfulStatusCode;
  if (answer.body === '' || answer.status === 204 || answer.status === 304) return c.body(null, status, headers);
  return c.body(answer.body, status, headers);
}

/**
 * The digest step of every authenticated write (createRouter adds it after the route's own
 * middleware): replays a kept answer, refuses a key reused for another request, or lets the
 * request run under its claim.
 */
export const idempotentRequest = createMiddleware<AppEnv>(async (c, next) => {
  const idempotency = c.get('idempotency');
  if (!idempotency?.claim) return next();
  const digest = await requestDigest(c);
  const { claim } = idempotency;
  if (claim.state === 'kept') {
    if (claim.answer.digest !== digest) throw idempotencyKeyProblem('This Idempotency-Key was already used for a different request');
    return replay(c, claim.answer);
  }
  idempotency.digest = digest;
  await next();
});

/**
 * After the route answered (the guard calls this last): keeps an answer below 500 for a day, or
 * drops the claim so the request can be retried. A failure to keep is logged, never answered:
 * the write happened, and the marker expires on its own.
 */
export async function settleIdempotency(c: Context<AppEnv>, failed = false) {
  const idempotency = c.get('idempotency');
  if (idempotency?.claim?.state !== 'claimed') return;
  const { redis } = c.get('services');
  const keep = !failed && idempotency.digest !== undefined && c.res.status < 500;
  try {
    if (!keep) {
      await releaseClaim(redis, idempotency.key);
      return;
    }
    const response = c.res;
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    const body = response.body ? await response.clone().text() : '';
    await keepAnswer(redis, idempotency.userId, idempotency.key, { digest: idempotency.digest!, status: response.status, headers, body });
  } catch (error) {
    console.warn(JSON.stringify({ level: 'warn', requestId: c.get('requestId'), path: c.req.path, detail: `Idempotency-Key not ${keep ? 'kept' : 'released'}`, message: String(error) }));
  }
}
