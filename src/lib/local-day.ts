import { z } from 'zod';

/**
 * Local calendar days in an IANA time zone, for the "what happened on these days" lists (memos and
 * sessions). A range is half-open, `[00:00 of startDate, 00:00 of endDate + 1 day)` local time, so
 * a DST day is exactly as long as it really was (23 h or 25 h) and nothing falls between two days.
 */

const DAY_MS = 86_400_000;

/** `YYYY-M-D` with one- or two-digit month and day, as Python's `strptime('%Y-%m-%d')` accepts. */
const DATE_PATTERN = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * Days whose local boundaries, in any zone, are instants Postgres and `toISOString()` handle:
 * year 1 in Asia/Seoul starts in year 0, and the day after 9999-12-31 is in year 10000.
 */
const MIN_YEAR = 1900;
const MAX_YEAR = 9998;

interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A UTC instant whose UTC fields are the given wall-clock fields (out-of-range days roll over). */
const wallClockUtc = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) =>
  Date.UTC(year, month - 1, day, hour, minute, second);

/** Parses a calendar date, or returns undefined for a malformed or impossible one (2025-02-30). */
export function parseLocalDate(value: string): CivilDate | undefined {
  const match = DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const roundTrip = new Date(wallClockUtc(year, month, day));
  return roundTrip.getUTCMonth() === month - 1 ? { year, month, day } : undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached) return cached;
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  // Cached only under a zone's canonical spelling: Intl also takes `asia/SEOUL` and the like, and a
  // cache keyed by whatever callers send would grow without bound.
  if (formatter.resolvedOptions().timeZone === timeZone) formatters.set(timeZone, formatter);
  return formatter;
}

/** IANA names only: `Intl` also takes offsets like `+09:00`, which are not zones and have no DST. */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z][\w+\-/]*$/.test(value)) return false;
  try {
    formatterFor(value);
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant` (whole seconds, as tz data is). */
function offsetAt(timeZone: string, instant: number): number {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant))) fields[part.type] = part.value;
  const wall = wallClockUtc(Number(fields.year), Number(fields.month), Number(fields.day), Number(fields.hour), Number(fields.minute), Number(fields.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant of a local day. Midnight can occur twice (a clock set back at 01:00) or not at
 * all (a clock set forward at 00:00): the earlier one wins, and a skipped midnight means the day
 * starts at the jump, which is what Python's `replace(tzinfo=ZoneInfo(tz))` (fold=0) gives too.
 */
function startOfLocalDay(timeZone: string, date: CivilDate): number {
  const wall = wallClockUtc(date.year, date.month, date.day);
  // No zone changes its offset twice within two days, so these are the offsets before and after any jump near midnight.
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const valid = [wall - before, wall - after].filter((instant) => offsetAt(timeZone, instant) === wall - instant);
  return valid.length > 0 ? Math.min(...valid) : wall - before;
}

function nextDay(date: CivilDate): CivilDate {
  const next = new Date(wallClockUtc(date.year, date.month, date.day + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

/**
 * `[local 00:00 of startDate, local 00:00 of the day after endDate)` in `timeZone`, as UTC instants.
 * Throws a RangeError for an unknown zone or a bad date: callers validate with `localDayQuerySchema` first.
 */
export function localDayRange(timeZone: string, startDate: string, endDate: string): { start: Date; end: Date } {
  if (!isTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
  const first = parseLocalDate(startDate);
  const last = parseLocalDate(endDate);
  if (!first || !last) throw new RangeError(`Invalid date range: ${startDate}..${endDate}`);
  return { start: new Date(startOfLocalDay(timeZone, first)), end: new Date(startOfLocalDay(timeZone, nextDay(last))) };
}

export const localDate = z.string().refine((value) => parseLocalDate(value) !== undefined, 'Expected a real date as YYYY-MM-DD');

export const timeZone = z
  .string()
  .refine(isTimeZone, 'Unknown time zone: expected an IANA name such as Asia/Seoul')
  .describe('IANA time zone whose local days are meant, e.g. Asia/Seoul');

/** Number of calendar days from `startDate` to `endDate`, both included (0 or less when reversed). */
export function localDaySpan(startDate: string, endDate: string): number {
  const first = parseLocalDate(startDate);
  const last = parseLocalDate(endDate);
  if (!first || !last) throw new RangeError(`Invalid date range: ${startDate}..${endDate}`);
  return (wallClockUtc(last.year, last.month, last.day) - wallClockUtc(first.year, first.month, first.day)) / DAY_MS + 1;
}

/** A date in canonical `YYYY-MM-DD` form (the query also takes `2025-8-3`). */
export function canonicalDate(value: string): string {
  const date = parseLocalDate(value);
  if (!date) throw new RangeError(`Invalid date: ${value}`);
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

const localDayFields = {
  tz: timeZone,
  start_date: localDate.describe('First local day, YYYY-MM-DD'),
  end_date: localDate.describe('Last local day (inclusive), YYYY-MM-DD'),
};

/**
 * The list query shared by memos and sessions (`?tz=&start_date=&end_date=`), plus `extra` fields
 * (paging). Every refusal is an issue on the field at fault, so the problem names `query.tz`,
 * `query.start_date` or `query.end_date`.
 */
export const localDayQueryWith = <T extends z.ZodRawShape>(extra: T) =>
  z.object({ ...localDayFields, ...extra }).check((context) => {
    const value = context.value as { start_date: string; end_date: string };
    const first = parseLocalDate(value.start_date);
    const last = parseLocalDate(value.end_date);
    if (!first || !last) return;
    if (wallClockUtc(last.year, last.month, last.day) < wallClockUtc(first.year, first.month, first.day)) {
      context.issues.push({ code: 'custom', path: ['end_date'], message: 'end_date is before start_date', input: value.end_date });
    }
  });

export const localDayQuerySchema = localDayQueryWith({});

export type LocalDayQuery = z.infer<typeof localDayQuerySchema>;
