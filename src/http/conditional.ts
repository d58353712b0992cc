import type { Context } from 'hono';
import { sha256Hex } from '../lib/encoding';
import { preconditionFailed } from '../lib/problem';

/**
 * Conditional requests (RFC 9110 §13) for single resources, in one place.
 *
 * An entity tag is `"<state>"` or `"<state>.<variant>"`: `state` hashes what the resource is (the
 * representation without anything that only depends on when it was asked for), `variant` what this
 * answer adds (a memo's attachment URLs, signed for a 10-minute window). A tag is strong: two
 * answers with the same tag are the same bytes. `If-None-Match` compares whole tags (a cached copy
 * with expired links is not fresh); `If-Match` compares the state (a write is about the resource,
 * and the links a client happened to get do not make its copy outdated).
 */
export async function entityTag(state: unknown, variant?: unknown): Promise<string> {
  const stateHash = (await sha256Hex(JSON.stringify(state))).slice(0, 32);
  if (variant === undefined) return `"${stateHash}"`;
  return `"${stateHash}.${(await sha256Hex(JSON.stringify(variant))).slice(0, 16)}"`;
}

const stateOf = (tag: string) => tag.replace(/^W\//, '').replace(/^"|"$/g, '').split('.')[0];

/** The tags of an `If-Match` or `If-None-Match` header; `*` for any. */
function listedTags(header: string | undefined): string[] | '*' | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  return header.split(',').map((tag) => tag.trim()).filter(Boolean);
}

/** Answers with the tag, or 304 when the client's copy is the current one (GET only). */
export function withEntityTag<T>(c: Context, tag: string, body: T) {
  c.header('ETag', tag);
  const cached = listedTags(c.req.header('If-None-Match'));
  // Weak comparison, as RFC 9110 §13.1.2 asks for If-None-Match.
  const fresh = cached === '*' || cached?.some((listed) => listed.replace(/^W\//, '') === tag);
  return fresh ? { notModified: c.body(null, 304) } : { body };
}

/**
 * The check a write with `If-Match` must pass, given the resource as it is now: the caller runs it
 * after reading the resource and before writing, and makes its write conditional on what it read.
 * Undefined when the request has no `If-Match` (the client's current behaviour).
 */
export function ifMatchPrecondition(c: Context): ((currentState: unknown) => Promise<void>) | undefined {
  const expected = listedTags(c.req.header('If-Match'));
  if (expected === undefined || expected === '*') return undefined;
  return async (currentState) => {
    const current = stateOf(await entityTag(currentState));
    if (!expected.some((tag) => !tag.startsWith('W/') && stateOf(tag) === current)) throw preconditionFailed();
  };
}
