/**
 * A strict, bounded ISO 8601 parser for the forms Braze uses and accepts: `YYYY-MM-DD`,
 * and datetimes with `Z`, `±HH:MM`, `±HHMM`, `±HH` or Braze's one-digit `-5:00` offsets,
 * optional seconds and fractional seconds. `Date.parse` is not used: it accepts many
 * non-ISO strings, treats zone-less datetimes as local time, and rejects `-5:00`.
 */

/** Longest input the parser looks at; anything longer is refused without scanning. */
export const MAX_ISO_LENGTH = 64;

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{1,2}(?::?\d{2})?)?)?$/;

const DAY_MS = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
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

/** Parses `±H:MM`, `±HH:MM`, `±HHMM`, `±HH` or `Z` into minutes east of UTC. */
function parseOffset(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const body = text.slice(1);
  const m = /^(\d{1,2})(?::?(\d{2}))?$/.exec(body);
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
  return days * DAY_MS + ((hour * 60 + minute - offset) * 60 + second) * 1000 + ms;
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
 * `YYYY-MM-DDTHH:MM:SS`, with `Z` or `±HH:MM` — read without a regex: the client parses
 * every bucket of every answer, and the general pattern cost as much as JSON.parse.
 * Returns undefined for any other shape, which the general pattern then decides.
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

/**
 * Every form the module accepts, by pattern. Exported for the property test that holds
 * the fast path to it; use {@link parseIsoInstant}.
 *
 * @internal
 */
export function parseIsoInstantByPattern(text: string, defaultOffsetMinutes = 0): number | null {
  if (text.length > MAX_ISO_LENGTH) return null;
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const offset = zone === undefined ? defaultOffsetMinutes : parseOffset(zone);
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
 * Parses an ISO 8601 date or datetime into epoch milliseconds, or `null` when it is not
 * one. Date-only and zone-less values are read at `defaultOffsetMinutes` east of UTC.
 *
 * @example
 * ```ts
 * parseIsoInstant('2014-12-10T23:59:59-5:00'); // Date.UTC(2014, 11, 11, 4, 59, 59)
 * parseIsoInstant('2022-12-09'); // Date.UTC(2022, 11, 9)
 * ```
 */
export function parseIsoInstant(text: string, defaultOffsetMinutes = 0): number | null {
  if (text.length > MAX_ISO_LENGTH) return null;
  const common = parseCommonForm(text, defaultOffsetMinutes);
  return common !== undefined ? common : parseIsoInstantByPattern(text, defaultOffsetMinutes);
}

/**
 * Formats an instant the way the client sends `ending_at`: UTC, seconds precision unless
 * the instant has milliseconds (`2022-12-09T00:00:00Z`).
 *
 * @example
 * ```ts
 * formatIsoInstant(new Date(Date.UTC(2022, 11, 9))); // '2022-12-09T00:00:00Z'
 * ```
 */
export function formatIsoInstant(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
