/**
 * Bucket arithmetic in the emulator's bucket zone (a fixed UTC offset), the parser of
 * data_series' `ending_at`, and the wire form of bucket `time` values.
 *
 * A zone is its offset in ms. Local day `d` starts at UTC instant `d * DAY - offset`; local
 * hour `h` (hours since the local epoch) at `h * HOUR - offset`.
 */
import { UNIT_MS, type Unit } from '../api/index.js';
import type { HourFormat } from './types.js';

export const DAY_MS = UNIT_MS.day;
export const HOUR_MS = UNIT_MS.hour;

/** Local bucket index (days or hours since the local epoch) holding instant `t`. */
export function bucketIndex(t: number, unit: Unit, offsetMs: number): number {
  return Math.floor((t + offsetMs) / UNIT_MS[unit]);
}

/** UTC instant where local bucket `index` starts. */
export function bucketStart(index: number, unit: Unit, offsetMs: number): number {
  return index * UNIT_MS[unit] - offsetMs;
}

/** `YYYY-MM-DD` of local day `day`. */
export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Local day index of a `YYYY-MM-DD` string (no validation beyond Date's). */
export function parseDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `+HH:MM` / `-HH:MM` of an offset in ms. */
export function formatOffset(offsetMs: number): string {
  const minutes = Math.abs(offsetMs) / 60_000;
  const sign = offsetMs < 0 ? '-' : '+';
  return `${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/**
 * The `time` of a bucket as data_series sends it: `YYYY-MM-DD` for days, an ISO 8601
 * datetime in the configured form for hours.
 *
 * @example
 * formatBucketTime(Date.UTC(2026, 10, 26, 13), 'hour', 0, 'offset'); // '2026-11-26T13:00:00+00:00'
 */
export function formatBucketTime(
  start: number,
  unit: Unit,
  offsetMs: number,
  hourFormat: HourFormat,
): string {
  if (unit === 'day') return new Date(start + offsetMs).toISOString().slice(0, 10);
  if (hourFormat === 'fractional') return new Date(start).toISOString();
  if (hourFormat === 'z') return `${new Date(start).toISOString().slice(0, 19)}Z`;
  return new Date(start + offsetMs).toISOString().slice(0, 19) + formatOffset(offsetMs);
}

// A date, or a datetime with optional seconds, fraction and offset. One-digit offset hours
// (`-5:00`) appear in Braze's docs. A space where `+` stood is accepted because an unencoded
// `+` in a query string decodes to a space (curl users paste `…T10:00:00+05:00`).
const ENDING_AT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+\- ]\d{1,2}(?::?\d{2})?)?)?$/;

/**
 * Parses `ending_at` into a UTC instant, or returns undefined when it is not a valid ISO
 * 8601 date/datetime. A date, or a datetime without offset, is read in the bucket zone
 * (so a date-only value is midnight there).
 *
 * @example
 * parseEndingAt('2022-12-09', 0); // Date.UTC(2022, 11, 9)
 * parseEndingAt('2014-12-10T23:59:59-5:00', 0); // Date.UTC(2014, 11, 11, 4, 59, 59)
 */
export function parseEndingAt(value: string, offsetMs: number): number | undefined {
  if (value.length > 40) return undefined;
  const m = ENDING_AT.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(
    year,
    month - 1,
    day,
    hour,
    minute,
    second,
    Number(`0.${frac || '0'}`) * 1000,
  );
  // Date.UTC rolls 2022-02-30 over to March: reject instead.
  if (new Date(utc).getUTCDate() !== day) return undefined;
  if (zone === undefined) return Math.floor(utc) - offsetMs;
  if (zone === 'Z' || zone === 'z') return Math.floor(utc);
  const zm = /^([+\- ])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (zm === null) return undefined;
  const zh = Number(zm[2]);
  const zmin = Number(zm[3] ?? '0');
  if (zh > 23 || zmin > 59) return undefined;
  const sign = zm[1] === '-' ? -1 : 1;
  return Math.floor(utc) - sign * (zh * 60 + zmin) * 60_000;
}
