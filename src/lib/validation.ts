import { z } from 'zod';

/**
 * Text that Postgres can store: it refuses NUL characters, which would otherwise turn a user's
 * input into a failed query (a 500) instead of a 422 that names the field.
 */
export const storableText = () => z.string().refine((value) => !value.includes('\u0000'), 'must not contain NUL (\\u0000) characters');

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
