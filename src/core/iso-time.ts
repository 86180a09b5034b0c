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

/**
 * Date.UTC, but exact for years 0–99 too: Date.UTC maps them to 1900–1999, so the year is
 * set afterwards with setUTCFullYear, which takes it literally.
 */
function utc(year: number, month0: number, day: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(Date.UTC(2000, month0, day, h, mi, s, ms));
  date.setUTCFullYear(year, month0, day);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
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
  const m = ISO_RE.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const offset = zone === undefined ? defaultOffsetMinutes : parseOffset(zone);
  if (offset === null) return null;
  return utc(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
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
