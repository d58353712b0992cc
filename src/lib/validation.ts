import { z } from 'zod';
import type { FieldError } from './problem';

/** NUL (Postgres text and jsonb refuse it) and UTF-16 halves without their partner (they cannot be encoded). */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const unstorableMessage = 'must not contain NUL (\\u0000) characters or unpaired UTF-16 surrogates';

/** Enough to name the mistakes; a body full of NULs needs no thousand-line answer. */
const MAX_NAMED = 20;

/**
 * Every string of the input that could not be stored as it is, named by its field: the router's
 * validation hook runs this over bodies, form fields (and file names), queries, headers and path
 * parameters, so no user string reaches SQL with a byte Postgres refuses (a 500) or one that would
 * be silently replaced (U+FFFD). Iterative, so a hostile 10,000-deep JSON body cannot overflow the stack.
 */
export function unstorableFields(input: unknown, root: string[]): FieldError[] {
  const found: FieldError[] = [];
  const pending: [unknown, string[]][] = [[input, root]];
  while (pending.length > 0 && found.length < MAX_NAMED) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) found.push({ field: path.join('.'), message: unstorableMessage });
    } else if (value instanceof File) {
      if (UNSTORABLE.test(value.name)) found.push({ field: path.join('.'), message: `file name ${unstorableMessage}` });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (UNSTORABLE.test(key)) found.push({ field: [...path, key].join('.'), message: `name ${unstorableMessage}` });
        pending.push([item, [...path, key]]);
      }
    }
  }
  return found.reverse();
}

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);

/**
 * An ISO-8601 instant with an offset (`Z` or `±hh:mm`), within the years Postgres and
 * `toISOString()` both round-trip (year 0 or 10000 would fail the query or print `+010000-…`).
 */
export const instant = () =>
  z.iso.datetime({ offset: true }).refine((value) => {
    const time = Date.parse(value);
    return time >= EARLIEST && time < LATEST;
  }, 'must be between 1970-01-01 and 9999-12-31');
