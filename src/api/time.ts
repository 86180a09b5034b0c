/**
 * Time, the one model every layer uses: the offset of Braze's buckets, bucket floor, ceiling
 * and step, the last complete bucket at a moment, the ISO 8601 forms Braze sends and
 * accepts, and the wire form of bucket `time` values. Core, sync, export, check, the CLI,
 * the emulator and the dashboard (server and browser) all import this file; no other file
 * does bucket arithmetic (test/api/time-owner.test.ts holds every file to that).
 *
 * Self-contained on purpose (type-only imports, which compile away): the dashboard serves
 * this module's compiled JavaScript to the browser as `/assets/time.js`.
 *
 * Braze does not document the zone of its buckets (docs/BRAZE_API.md), so every function
 * takes a {@link BucketZone}: a fixed UTC offset and, for offsets that are not whole hours,
 * whether hour buckets follow the local clock or UTC hours (also undocumented). A number
 * where a zone is expected is the offset in minutes with local hours.
 */
import type { Unit } from './constants.js';
import { BrazeOptionRangeError } from './option-errors.js';

const MINUTE_MS = 60_000;

/** Milliseconds in one bucket of each unit. */
export const UNIT_MS: Readonly<Record<Unit, number>> = {
  day: 86_400_000,
  hour: 3_600_000,
};

/** Milliseconds in a day and in a week: the check's seasonal periods. */
export const DAY_MS = UNIT_MS.day;
export const WEEK_MS = 7 * DAY_MS;

// ───────────────────────────── offsets ─────────────────────────────

/** Westernmost offset a real zone uses: −12:00 (Baker Island). */
export const MIN_UTC_OFFSET_MINUTES = -12 * 60;
/** Easternmost offset a real zone uses: +14:00 (Line Islands). */
export const MAX_UTC_OFFSET_MINUTES = 14 * 60;
/** Real zones' offsets are whole quarter hours (+05:45 Nepal, +12:45 Chatham). */
export const UTC_OFFSET_STEP_MINUTES = 15;

/** How an offset is written, for messages. */
export const UTC_OFFSET_FORMS =
  'a UTC offset from -12:00 to +14:00 in quarter hours, such as -05:00, +05:30 or Z';

/** Whether `minutes` is an offset a real zone can have: −12:00 … +14:00 in quarter hours. */
export function isUtcOffsetMinutes(minutes: unknown): minutes is number {
  return (
    typeof minutes === 'number' &&
    Number.isInteger(minutes) &&
    minutes >= MIN_UTC_OFFSET_MINUTES &&
    minutes <= MAX_UTC_OFFSET_MINUTES &&
    minutes % UTC_OFFSET_STEP_MINUTES === 0
  );
}

const OFFSET_RE = /^([+-])(\d{1,2})(?::?(\d{2}))?$/;

/**
 * Minutes east of UTC, or `null` when `text` is not an offset of a real zone: `Z`, `UTC`
 * (either case), `±H`, `±HH`, `±HH:MM`, `±H:MM` or `±HHMM`, from −12:00 to +14:00 in
 * quarter hours. `±HH:MM` is the form this project writes.
 *
 * @example parseUtcOffset('-05:00') // -300
 * @example parseUtcOffset('+0530')  // 330
 */
export function parseUtcOffset(text: string): number | null {
  if (typeof text !== 'string' || text.length > 16) return null;
  const trimmed = text.trim();
  if (/^(z|utc)$/i.test(trimmed)) return 0;
  const match = OFFSET_RE.exec(trimmed);
  if (!match) return null;
  const minutes = match[3] === undefined ? 0 : Number(match[3]);
  if (minutes >= 60) return null;
  const total = Number(match[2]) * 60 + minutes;
  // `-00:00` is UTC too, not minus zero.
  const signed = match[1] === '-' && total !== 0 ? -total : total;
  return isUtcOffsetMinutes(signed) ? signed : null;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `±HH:MM` for an offset in minutes.
 *
 * @example formatUtcOffset(-300) // '-05:00'
 */
export function formatUtcOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * Checks an option holding an offset in minutes; throws a RangeError naming it and the value.
 *
 * @example validateUtcOffsetMinutes('bucketUtcOffsetMinutes', -300) // -300
 */
export function validateUtcOffsetMinutes(name: string, value: unknown): number {
  if (isUtcOffsetMinutes(value)) return value;
  let shown: string;
  try {
    shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 64)) : String(value);
  } catch {
    // An object whose toString/valueOf cannot be called: the message must still name the option.
    shown = 'a value with no text form';
  }
  throw new BrazeOptionRangeError(
    name,
    value,
    `${name} must be minutes east of UTC from ${MIN_UTC_OFFSET_MINUTES} to ${MAX_UTC_OFFSET_MINUTES} in steps of ${UTC_OFFSET_STEP_MINUTES} (-12:00 … +14:00), got ${shown}`,
  );
}

// ───────────────────────────── zones and buckets ─────────────────────────────

/**
 * Where hour buckets start when the offset is not a whole number of hours (+05:30,
 * +05:45, −09:30, +12:45): `local`, on the local clock's hours (each day is exactly 24 hour
 * buckets), or `utc`, on UTC hours. Braze does not document it (docs/BRAZE_API.md).
 */
export type HourBuckets = 'local' | 'utc';
export const HOUR_BUCKETS: readonly HourBuckets[] = ['local', 'utc'];
/**
 * `local`: hour buckets tile day buckets exactly, as they do in every whole-hour zone, so a
 * day's count stays the sum of its hours; and it is what this project did before the choice
 * existed, so stored hour rows keep their meaning.
 */
export const DEFAULT_HOUR_BUCKETS: HourBuckets = 'local';

/** The zone of Braze's buckets: a fixed offset, and how hour buckets align under it. */
export interface BucketZone {
  /** Minutes east of UTC (−720 … 840, quarter hours). */
  utcOffsetMinutes: number;
  /** Default {@link DEFAULT_HOUR_BUCKETS}. */
  hourBuckets?: HourBuckets;
}

/** A zone, or just its offset in minutes (local hours). */
export type ZoneLike = BucketZone | number;

/** UTC, local hours. */
export const UTC_ZONE: Readonly<BucketZone> = { utcOffsetMinutes: 0, hourBuckets: 'local' };

/** The zone with defaults filled in. */
export function bucketZone(zone: ZoneLike = 0): Required<BucketZone> {
  return typeof zone === 'number'
    ? { utcOffsetMinutes: zone, hourBuckets: DEFAULT_HOUR_BUCKETS }
    : {
        utcOffsetMinutes: zone.utcOffsetMinutes,
        hourBuckets: zone.hourBuckets ?? DEFAULT_HOUR_BUCKETS,
      };
}

/**
 * Whether buckets of `unit` start at the same instants in zones `a` and `b`. For hours at
 * whole-hour offsets `local` and `utc` coincide, so only there does the alignment not
 * matter; days differ exactly when the offsets do.
 *
 * @example sameBucketEdges('hour', { utcOffsetMinutes: 330, hourBuckets: 'utc' }, 330) // false
 * @example sameBucketEdges('hour', { utcOffsetMinutes: -300, hourBuckets: 'utc' }, -300) // true
 */
export function sameBucketEdges(unit: Unit, a: ZoneLike, b: ZoneLike): boolean {
  // Buckets have one length, so equal floors of any one instant mean equal grids.
  return floorToBucket(0, unit, a) === floorToBucket(0, unit, b);
}

/**
 * Whether `ms` is where a bucket of `unit` starts in `zone`: the check that an answer's
 * buckets are the zone's (an hour at :00 is not one at +05:30 on local hours).
 *
 * @example isBucketStart(Date.parse('2026-03-01T18:30:00Z'), 'day', 330) // true
 */
export function isBucketStart(ms: number, unit: Unit, zone: ZoneLike = 0): boolean {
  return floorToBucket(ms, unit, zone) === ms;
}

/** An alignment in messages: `local hours` or `UTC hours`. */
export function describeHourBuckets(hourBuckets: HourBuckets): string {
  return hourBuckets === 'utc' ? 'UTC hours' : 'local hours';
}

/**
 * Where a zone's buckets of `unit` start, for messages: `the day edges of UTC+05:30`, `the
 * hour edges of UTC+05:30 (local hours)`.
 */
export function describeBucketEdges(unit: Unit, zone: ZoneLike): string {
  const z = bucketZone(zone);
  const offset = `UTC${formatUtcOffset(z.utcOffsetMinutes)}`;
  return unit === 'day'
    ? `the day edges of ${offset}`
    : `the hour edges of ${offset} (${describeHourBuckets(z.hourBuckets)})`;
}

/** Milliseconds `unit`'s bucket edges are shifted from UTC's in `zone`. */
function shiftMs(unit: Unit, zone: ZoneLike): number {
  const minutes = typeof zone === 'number' ? zone : zone.utcOffsetMinutes;
  if (unit === 'hour' && typeof zone !== 'number' && zone.hourBuckets === 'utc') return 0;
  return minutes * MINUTE_MS;
}

/**
 * Index of the bucket holding `ms`: buckets of `unit` counted from the zone's 1970-01-01.
 *
 * @example bucketIndex(Date.parse('1970-01-02T03:00:00Z'), 'day', 0) // 1
 */
export function bucketIndex(ms: number, unit: Unit, zone: ZoneLike = 0): number {
  return Math.floor((ms + shiftMs(unit, zone)) / UNIT_MS[unit]);
}

/** UTC instant (epoch ms) where bucket `index` of {@link bucketIndex} starts. */
export function bucketStartOfIndex(index: number, unit: Unit, zone: ZoneLike = 0): number {
  return index * UNIT_MS[unit] - shiftMs(unit, zone);
}

/**
 * Start of the bucket containing `ms` (epoch milliseconds).
 *
 * @example floorToBucket(Date.parse('2024-03-10T17:45:00Z'), 'day') // Date.parse('2024-03-10')
 */
export function floorToBucket(ms: number, unit: Unit, zone: ZoneLike = 0): number {
  return bucketStartOfIndex(bucketIndex(ms, unit, zone), unit, zone);
}

/**
 * The first bucket boundary at or after `ms`.
 *
 * @example ceilToBucket(Date.parse('2024-03-10T17:45:00Z'), 'hour') // Date.parse('2024-03-10T18:00:00Z')
 */
export function ceilToBucket(ms: number, unit: Unit, zone: ZoneLike = 0): number {
  const shift = shiftMs(unit, zone);
  const size = UNIT_MS[unit];
  return Math.ceil((ms + shift) / size) * size - shift;
}

/**
 * `ms` moved by `n` buckets of `unit` (negative: back). Fixed offsets have no DST, so a
 * bucket is always the same length.
 *
 * @example addBuckets(Date.parse('2026-03-02'), 'day', -7) // Date.parse('2026-02-23')
 */
export function addBuckets(ms: number, unit: Unit, n: number): number {
  return ms + n * UNIT_MS[unit];
}

/**
 * By how many days an answer's day buckets sit off [from, to): `1` or `-1` when the answer
 * holds exactly as many contiguous days as asked but starts one day later or earlier, else
 * `0`. A date-only `time` carries no offset, so this shift is the only trace an answer can
 * show of Braze reading `ending_at` at another UTC offset than the client's (its day-bucket
 * zone is undocumented). core's `dayShiftProblem` words it.
 *
 * @example
 * dayShift([Date.parse('2026-07-05'), Date.parse('2026-07-06')], Date.parse('2026-07-04'), Date.parse('2026-07-06'), 'day') // 1
 */
export function dayShift(starts: readonly number[], from: number, to: number, unit: Unit): number {
  if (unit !== 'day' || starts.length === 0) return 0;
  const sorted = [...starts].sort((a, b) => a - b);
  const first = sorted[0]!;
  const shift = (first - from) / UNIT_MS.day;
  if (Math.abs(shift) !== 1 || sorted.length !== (to - from) / UNIT_MS.day) return 0;
  if (sorted.some((ms, i) => ms !== first + i * UNIT_MS.day)) return 0;
  return shift;
}

/**
 * Milliseconds spanned by `n` buckets of `unit` (a duration: a sparkline bin, a period).
 *
 * @example bucketSpanMs('hour', 2) // 7_200_000
 */
export function bucketSpanMs(unit: Unit, n = 1): number {
  return n * UNIT_MS[unit];
}

/**
 * Number of whole buckets of `unit` from `from` to `to`, both edges of the same zone's
 * buckets. Throws a RangeError when they are not a whole number of buckets apart: two
 * zones' edges mixed (an hour at :00 against a grid at :30) is a bug to show, not to round.
 *
 * @example bucketsBetween(Date.parse('2026-03-01'), Date.parse('2026-03-08'), 'day') // 7
 */
export function bucketsBetween(from: number, to: number, unit: Unit): number {
  const n = (to - from) / UNIT_MS[unit];
  if (!Number.isInteger(n)) {
    throw new RangeError(
      `${formatIsoInstant(from)} and ${formatIsoInstant(to)} are not a whole number of ${unit}s apart (${n}): edges of different bucket zones`,
    );
  }
  return n;
}

/**
 * Start of the last complete bucket at instant `now`: the one before the bucket `now`
 * falls in, which is still growing.
 *
 * @example lastCompleteBucket('day', Date.parse('2026-03-03T10:00:00Z')) // Date.parse('2026-03-02')
 */
export function lastCompleteBucket(unit: Unit, now: number, zone: ZoneLike = 0): number {
  return addBuckets(floorToBucket(now, unit, zone), unit, -1);
}

/**
 * The part of `total` that a bucket filling evenly holds at `now` (rounded down): the
 * emulator's still-growing current bucket.
 *
 * @example partialCount(100, Date.parse('2026-03-02T12:00:00Z'), 'day') // 50
 */
export function partialCount(total: number, now: number, unit: Unit, zone: ZoneLike = 0): number {
  return Math.floor((total * (now - floorToBucket(now, unit, zone))) / UNIT_MS[unit]);
}

// ───────────────────────────── ISO 8601 ─────────────────────────────

/** Longest input the parser looks at; anything longer is refused without scanning. */
export const MAX_ISO_LENGTH = 64;

// A date, or a datetime with optional seconds and fraction and an offset. One-digit offset
// hours (`-5:00`) appear in Braze's docs. The `ending_at` form also takes a space where `+`
// stood: an unencoded `+` in a query string decodes to a space.
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{1,2}(?::?\d{2})?)?)?$/;
const ISO_QUERY_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+\- ]\d{1,2}(?::?\d{2})?)?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (month 1–12), for any year.
 * Arithmetic rather than Date.UTC: it is on the hot path (every bucket of every
 * data_series answer) and Date.UTC maps years 0–99 to 1900–1999. The algorithm counts in
 * 400-year eras starting on 1 March, so leap days fall at the end of each era-year.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  // From here on every operand is non-negative, so `| 0` truncates like Math.floor.
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The instants with a 4-digit year: [0000-01-01, 10000-01-01). */
const FIRST_ISO_MS = daysFromCivil(0, 1, 1) * UNIT_MS.day;
const END_ISO_MS = daysFromCivil(10_000, 1, 1) * UNIT_MS.day;

/** Parses `±H:MM`, `±HH:MM`, `±HHMM`, `±HH` or `Z` (a space for `+`) into minutes east of UTC. */
function parseIsoOffset(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const m = /^(\d{1,2})(?::?(\d{2}))?$/.exec(text.slice(1));
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = m[2] === undefined ? 0 : Number(m[2]);
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

/** Epoch ms of validated calendar fields at `offset` minutes east of UTC, or null. */
function toInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  offset: number,
): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const days = daysFromCivil(year, month, day);
  return days * UNIT_MS.day + ((hour * 60 + minute - offset) * 60 + second) * 1000 + ms;
}

/** Far below any sum of digits, so one bad character makes the whole field negative. */
const NOT_A_DIGIT = -100_000;

/** The digit at `i`, or NOT_A_DIGIT. */
function digitAt(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NOT_A_DIGIT;
}

/** The two digits at `i` as a number; negative when either is not a digit. */
function twoDigitsAt(text: string, i: number): number {
  return digitAt(text, i) * 10 + digitAt(text, i + 1);
}

const DASH = 45;
const COLON = 58;
const PLUS = 43;
const MINUS = 45;
const LETTER_T = 84;
const LETTER_Z = 90;

/**
 * The shapes Braze sends in every data_series answer — `YYYY-MM-DD`,
 * `YYYY-MM-DDTHH:MM:SS`, with `Z` or `±HH:MM` — read without a regex and without
 * allocating: the client parses every bucket of every answer, and the general pattern cost
 * as much as JSON.parse. Returns undefined for any other shape, which the pattern decides.
 */
function parseCommonForm(text: string, defaultOffset: number): number | null | undefined {
  const n = text.length;
  if (n !== 10 && n !== 19 && n !== 20 && n !== 25) return undefined;
  const year = twoDigitsAt(text, 0) * 100 + twoDigitsAt(text, 2);
  const month = twoDigitsAt(text, 5);
  const day = twoDigitsAt(text, 8);
  if (year < 0 || month < 0 || day < 0) return undefined;
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  if (n === 10) return toInstant(year, month, day, 0, 0, 0, 0, defaultOffset);
  const hour = twoDigitsAt(text, 11);
  const minute = twoDigitsAt(text, 14);
  const second = twoDigitsAt(text, 17);
  if (hour < 0 || minute < 0 || second < 0) return undefined;
  if (
    text.charCodeAt(10) !== LETTER_T ||
    text.charCodeAt(13) !== COLON ||
    text.charCodeAt(16) !== COLON
  ) {
    return undefined;
  }
  let offset = defaultOffset;
  if (n === 20) {
    if (text.charCodeAt(19) !== LETTER_Z) return undefined;
    offset = 0;
  } else if (n === 25) {
    const signChar = text.charCodeAt(19);
    const sign = signChar === PLUS ? 1 : signChar === MINUS ? -1 : 0;
    const oh = twoDigitsAt(text, 20);
    const om = twoDigitsAt(text, 23);
    if (sign === 0 || text.charCodeAt(22) !== COLON || oh < 0 || om < 0) return undefined;
    if (oh > 23 || om > 59) return null;
    offset = sign * (oh * 60 + om);
  }
  return toInstant(year, month, day, hour, minute, second, 0, offset);
}

function parseByPattern(text: string, defaultOffset: number, re: RegExp): number | null {
  if (text.length > MAX_ISO_LENGTH) return null;
  const m = re.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const offset = zone === undefined ? defaultOffset : parseIsoOffset(zone);
  if (offset === null) return null;
  return toInstant(
    Number(y),
    Number(mo),
    Number(d),
    h === undefined ? 0 : Number(h),
    mi === undefined ? 0 : Number(mi),
    s === undefined ? 0 : Number(s),
    frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000),
    offset,
  );
}

/**
 * Every form {@link parseIsoInstant} accepts, by pattern. Exported for the property test
 * that holds the fast path to it.
 *
 * @internal
 */
export function parseIsoInstantByPattern(text: string, defaultOffsetMinutes = 0): number | null {
  return parseByPattern(text, defaultOffsetMinutes, ISO_RE);
}

/**
 * Parses an ISO 8601 date or datetime into epoch milliseconds, or `null` when it is not
 * one: `YYYY-MM-DD`, and datetimes with `Z`, `±HH:MM`, `±HHMM`, `±HH` or Braze's
 * one-digit `-5:00`, optional seconds and fractional seconds. Date-only and zone-less
 * values are read at `defaultOffsetMinutes` east of UTC. `Date.parse` is not used: it
 * accepts many non-ISO strings, reads zone-less datetimes in the machine's zone, and
 * rejects `-5:00`.
 *
 * @example parseIsoInstant('2014-12-10T23:59:59-5:00') // Date.UTC(2014, 11, 11, 4, 59, 59)
 * @example parseIsoInstant('2022-12-09', 330) // Date.UTC(2022, 11, 8, 18, 30)
 */
export function parseIsoInstant(text: string, defaultOffsetMinutes = 0): number | null {
  if (text.length > MAX_ISO_LENGTH) return null;
  const common = parseCommonForm(text, defaultOffsetMinutes);
  return common !== undefined ? common : parseByPattern(text, defaultOffsetMinutes, ISO_RE);
}

/**
 * Epoch milliseconds of an instant as this project stores and serves it: an ISO 8601
 * datetime with `Z` or an offset (`toISOString()` form: `bucket_start`, watermarks, run
 * times), read like {@link parseIsoInstant} with a zone-less value at UTC, never in the
 * machine's zone. NaN when it is not one, like `Date.parse`, which it replaces outside this
 * module (test/api/time-owner.test.ts).
 *
 * @example instantMs('2026-03-02T18:30:00.000Z') // Date.UTC(2026, 2, 2, 18, 30)
 */
export function instantMs(text: string): number {
  return parseIsoInstant(text, 0) ?? Number.NaN;
}

/**
 * {@link parseBucketTime} as epoch milliseconds, without allocating a Date: the client
 * parses every bucket of every answer, so this is on its hottest path. Throws a RangeError
 * naming the value when it is not ISO 8601.
 */
export function bucketStartMs(time: string, unit: Unit, utcOffsetMinutes = 0): number {
  const ms = typeof time === 'string' ? parseIsoInstant(time, utcOffsetMinutes) : null;
  if (ms === null) {
    const shown = typeof time === 'string' ? JSON.stringify(time.slice(0, 64)) : String(time);
    throw new RangeError(
      `time ${shown} is not an ISO 8601 ${unit === 'day' ? 'date' : 'datetime'}`,
    );
  }
  return ms;
}

/**
 * Parses a bucket's `time` as Braze sends it into the bucket's start instant: a
 * `YYYY-MM-DD` day is midnight at the offset; hour datetimes may carry `Z`, an offset or
 * fractional seconds (zone-less ones are read at the offset). Throws a RangeError naming
 * the value when it is not ISO 8601.
 *
 * @example parseBucketTime('2022-12-08', 'day').toISOString() // '2022-12-08T00:00:00.000Z'
 * @example parseBucketTime('2022-12-08', 'day', { utcOffsetMinutes: 330 }).toISOString() // '2022-12-07T18:30:00.000Z'
 */
export function parseBucketTime(
  time: string,
  unit: Unit,
  options: { utcOffsetMinutes?: number } = {},
): Date {
  return new Date(bucketStartMs(time, unit, options.utcOffsetMinutes));
}

/**
 * `ending_at` as it arrives in a query string: {@link parseIsoInstant}, plus a space where
 * the offset's `+` stood (an unencoded `+` decodes to a space; curl users paste
 * `…T10:00:00+05:00`). Null when it is not ISO 8601.
 *
 * @example parseEndingAt('2022-12-09T10:00:00 05:00', 0) // Date.UTC(2022, 11, 9, 5)
 */
export function parseEndingAt(text: string, defaultOffsetMinutes = 0): number | null {
  if (text.length > MAX_ISO_LENGTH) return null;
  const common = parseCommonForm(text, defaultOffsetMinutes);
  return common !== undefined ? common : parseByPattern(text, defaultOffsetMinutes, ISO_QUERY_RE);
}

/**
 * Whether an instant has a 4-digit ISO 8601 year (0000–9999): the only form Braze reads
 * and {@link parseIsoInstant} parses; {@link formatIsoInstant} writes others with a
 * six-digit signed year.
 *
 * @example isIsoYearInstant(Date.parse('+010000-01-01T00:00:00Z')) // false
 */
export function isIsoYearInstant(ms: number): boolean {
  return ms >= FIRST_ISO_MS && ms < END_ISO_MS;
}

/**
 * Formats an instant the way the client sends `ending_at`: UTC, seconds precision unless
 * the instant has milliseconds.
 *
 * @example formatIsoInstant(new Date(Date.UTC(2022, 11, 9))) // '2022-12-09T00:00:00Z'
 */
export function formatIsoInstant(date: Date | number): string {
  const iso = new Date(date).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * The instant whose UTC fields read as the wall clock of `ms` at `offsetMinutes`: what a
 * UTC-only formatter (uPlot's `tzDate` with `Etc/UTC`, `toISOString`) needs to show local
 * times. Not a real instant: only ever formatted, never compared or stored.
 *
 * @example new Date(wallClockMs(Date.parse('2026-03-01T20:00:00Z'), 330)).toISOString() // '2026-03-02T01:30:00.000Z'
 */
export function wallClockMs(ms: number, offsetMinutes = 0): number {
  return ms + offsetMinutes * MINUTE_MS;
}

/**
 * The local wall-clock of `ms` at `offsetMinutes`, `YYYY-MM-DDTHH:MM:SS.sss` (no zone).
 * Every local date and time this project shows or sends is a prefix of it.
 */
function localIso(ms: number, offsetMinutes: number): string {
  return new Date(wallClockMs(ms, offsetMinutes)).toISOString().slice(0, 23);
}

/**
 * `YYYY-MM-DD`: the date of `ms` on the clock at `offsetMinutes` (Braze's day `time`).
 *
 * @example formatLocalDate(Date.parse('2026-03-01T20:00:00Z'), 330) // '2026-03-02'
 */
export function formatLocalDate(ms: number, offsetMinutes = 0): string {
  return localIso(ms, offsetMinutes).slice(0, 10);
}

/**
 * `YYYY-MM-DD HH:MM`: the date and time of `ms` on the clock at `offsetMinutes`.
 *
 * @example formatLocalTime(Date.parse('2026-03-01T20:00:00Z'), 330) // '2026-03-02 01:30'
 */
export function formatLocalTime(ms: number, offsetMinutes = 0): string {
  const iso = localIso(ms, offsetMinutes);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/**
 * Days since 1970-01-01 of a calendar date `YYYY-MM-DD`, whatever the zone (the number of
 * the local day); NaN when it is not a valid date.
 *
 * @example dayNumber('1970-01-02') // 1
 */
export function dayNumber(date: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? parseIsoInstant(date, 0) : null;
  return ms === null ? Number.NaN : bucketIndex(ms, 'day', 0);
}

/**
 * `YYYY-MM-DD` of a day number (the inverse of {@link dayNumber}).
 *
 * @example dateOfDayNumber(1) // '1970-01-02'
 */
export function dateOfDayNumber(day: number): string {
  return formatLocalDate(bucketStartOfIndex(day, 'day', 0), 0);
}

/**
 * How an hour bucket's `time` can be written (Braze's exact form is unknown): `z`
 * (`2026-11-26T13:00:00Z`), `offset` (`2026-11-26T13:00:00+00:00`, in the bucket zone's
 * offset) or `fractional` (`2026-11-26T13:00:00.000Z`).
 */
export const HOUR_TIME_FORMATS = ['z', 'offset', 'fractional'] as const;

/** How an hour bucket's `time` is written: one of {@link HOUR_TIME_FORMATS}. */
export type HourTimeFormat = (typeof HOUR_TIME_FORMATS)[number];

/**
 * The `time` of a bucket as data_series sends it: `YYYY-MM-DD` (the local date) for days,
 * an ISO 8601 datetime for hours: `Z`, the zone's offset, or fractional seconds with `Z`.
 *
 * @example formatBucketTime(Date.UTC(2026, 10, 26, 13), 'hour', -300, 'offset') // '2026-11-26T08:00:00-05:00'
 */
export function formatBucketTime(
  start: number,
  unit: Unit,
  offsetMinutes = 0,
  hourFormat: HourTimeFormat = 'offset',
): string {
  if (unit === 'day') return formatLocalDate(start, offsetMinutes);
  if (hourFormat === 'fractional') return new Date(start).toISOString();
  if (hourFormat === 'z') return `${localIso(start, 0).slice(0, 19)}Z`;
  return localIso(start, offsetMinutes).slice(0, 19) + formatUtcOffset(offsetMinutes);
}
