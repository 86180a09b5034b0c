/**
 * Date ranges of the dashboard: what `from`/`to`/`days` query parameters mean, the
 * previous period, and the sparkline bins. Pure.
 */
import type { Unit } from '../api/constants.js';
import { quoteInput } from '../api/quote.js';
import {
  addBuckets,
  bucketSpanMs,
  bucketsBetween,
  floorToBucket,
  parseIsoInstant,
  type ZoneLike,
} from '../api/time.js';

/** Days shown when no range is asked for: 30 of daily counts, 4 of hourly ones (sync keeps 100 hours). */
export const DEFAULT_RANGE_DAYS: Readonly<Record<Unit, number>> = { day: 30, hour: 4 };
/**
 * The page's range buttons, in days: the default range and the precomputed ones
 * (PRECOMPUTED_RANGE_DAYS) among them.
 */
export const RANGE_PRESET_DAYS: Readonly<Record<Unit, readonly number[]>> = {
  day: [7, 30, 90, 365],
  hour: [1, 2, 4, 7],
};
/** Longest range accepted (a guard against a query over decades). */
export const MAX_RANGE_DAYS = 3 * 366;
/** Sparklines have at most this many points; longer ranges are summed into bins. */
export const MAX_SPARK_POINTS = 62;

/** A half-open range [from, to) of bucket starts, in epoch ms. */
export interface TimeRange {
  from: number;
  to: number;
}

/**
 * Parses `2026-03-02` (midnight at the workspace's offset: a day of its buckets) or an ISO
 * datetime (zone-less: at the offset); throws a RangeError naming the parameter.
 */
export function parseInstant(name: string, value: string, offsetMinutes = 0): number {
  const ms = parseIsoInstant(value, offsetMinutes);
  if (ms === null) {
    throw new RangeError(
      `${name} must be a date (YYYY-MM-DD) or an ISO datetime, got ${quoteInput(value)}`,
    );
  }
  return ms;
}

/**
 * Resolves a requested range in the workspace's bucket zone (`zone`, default UTC): dates
 * are its local days. `to` defaults to the end of the last complete bucket (`anchor`),
 * `from` to `days` (default 30) before `to`. Both snap to bucket boundaries.
 *
 * @example
 * resolveRange({ days: '7' }, 'day', Date.parse('2026-03-03T00:00:00Z'));
 * // { from: 2026-02-24, to: 2026-03-03 }
 * resolveRange({ from: '2026-03-01', to: '2026-03-03' }, 'day', anchor, 330);
 * // { from: 2026-02-28T18:30Z, to: 2026-03-02T18:30Z }
 */
export function resolveRange(
  params: { from?: string | null; to?: string | null; days?: string | null },
  unit: Unit,
  anchor: number,
  zone: ZoneLike = 0,
): TimeRange {
  const offset = typeof zone === 'number' ? zone : zone.utcOffsetMinutes;
  const snap = (ms: number) => floorToBucket(ms, unit, zone);
  const to = params.to ? snap(parseInstant('to', params.to, offset)) : snap(anchor);
  let from: number;
  if (params.from) {
    from = snap(parseInstant('from', params.from, offset));
  } else {
    const days = params.days ? Number(params.days) : DEFAULT_RANGE_DAYS[unit];
    if (!Number.isInteger(days) || days < 1 || days > MAX_RANGE_DAYS) {
      throw new RangeError(
        `days must be an integer from 1 to ${MAX_RANGE_DAYS}, got ${quoteInput(String(params.days))}`,
      );
    }
    from = addBuckets(to, 'day', -days);
  }
  if (!(from < to)) throw new RangeError('from must be before to');
  if (to - from > bucketSpanMs('day', MAX_RANGE_DAYS)) {
    throw new RangeError(`the range may span at most ${MAX_RANGE_DAYS} days`);
  }
  return { from, to };
}

/** The period of the same length just before `range`, for "change vs previous period". */
export function previousRange(range: TimeRange): TimeRange {
  return { from: range.from - (range.to - range.from), to: range.from };
}

/**
 * Width of one sparkline point: one bucket when the range fits; else, for days, whole
 * weeks (a bin never cuts the weekly cycle in odd places) and, for hours, the smallest
 * divisor of a day (2, 3, 4, 6, 12 or 24 hours) that fits, then whole days.
 */
export function sparkBinMs(range: TimeRange, unit: Unit): number {
  const size = bucketSpanMs(unit);
  const span = range.to - range.from;
  if (bucketsBetween(range.from, range.to, unit) <= MAX_SPARK_POINTS) return size;
  if (unit === 'hour') {
    for (const hours of [2, 3, 4, 6, 12]) {
      if (Math.ceil(span / (hours * size)) <= MAX_SPARK_POINTS) return hours * size;
    }
  }
  const cycle = bucketSpanMs('day', unit === 'day' ? 7 : 1);
  return cycle * Math.max(1, Math.ceil(Math.ceil(span / cycle) / MAX_SPARK_POINTS));
}
