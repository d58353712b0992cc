import { z } from 'zod';
import type { FieldError } from './problem';

/** NUL (Postgres text and jsonb refuse it) and UTF-16 halves without their partner (they cannot be encoded). */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const unstorableMessage = 'must not contain NUL (\\u0000) characters or unpaired UTF-16 surrogates';

/**
 * Every string of validated input that could not be stored as it is, named by its field: the
 * router's validation hook runs this over bodies, form fields (and file names), queries, headers
 * and path parameters, so no user string reaches SQL with a byte Postgres refuses (a 500) or one
 * that would be silently replaced (U+FFFD).
 */
export function unstorableFields(value: unknown, path: string[]): FieldError[] {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? [{ field: path.join('.'), message: unstorableMessage }] : [];
  if (value instanceof File) return UNSTORABLE.test(value.name) ? [{ field: path.join('.'), message: `file name ${unstorableMessage}` }] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => unstorableFields(item, [...path, String(index)]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      ...(UNSTORABLE.test(key) ? [{ field: [...path, key].join('.'), message: `name ${unstorableMessage}` }] : []),
      ...unstorableFields(item, [...path, key]),
    ]);
  }
  return [];
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
