/**
 * Splitting a time range into data_series requests. Pure: the client asks this module
 * which windows to request and nothing else decides it.
 */
import { MAX_SERIES_LENGTH, type Unit } from '../api/constants.js';
import {
  addBuckets,
  bucketsBetween,
  ceilToBucket,
  floorToBucket,
  type HourBuckets,
} from '../api/time.js';

/** One data_series request: `ending_at = end`, `length` buckets, covering [start, end). */
export interface SeriesWindow {
  start: Date;
  end: Date;
  length: number;
}

export interface PlanSeriesWindowsOptions {
  unit: Unit;
  /** The bucket containing this instant is the first one (inclusive). */
  since: Date;
  /** Buckets whose start is before this instant are included (exclusive end). */
  until: Date;
  /** Minutes east of UTC of Braze's bucket zone. Default 0. */
  utcOffsetMinutes?: number;
  /** Hour alignment under an offset that is not whole hours. Default `local`. */
  hourBuckets?: HourBuckets;
  /** Largest `length` per request. Default 100 (Braze's bound). */
  maxLength?: number;
}

/**
 * Plans the fewest requests of at most `maxLength` buckets that cover every bucket of
 * [since, until) exactly once, oldest first. Full windows come first, the remainder last.
 * Since Braze returns the `length` buckets whose start is before `ending_at`, each
 * window's `end` (a bucket boundary) is sent as `ending_at`.
 *
 * The options are checked at once (a RangeError); the windows are made one at a time as
 * they are iterated, so a range of millions of buckets (`since` in year 1, hourly) costs
 * memory only for the windows actually requested.
 *
 * @example
 * ```ts
 * [...seriesWindows({ unit: 'day', since: new Date('2024-01-01'), until: new Date('2024-05-01') })];
 * // [{ start: 2024-01-01, end: 2024-04-10, length: 100 }, { start: 2024-04-10, end: 2024-05-01, length: 21 }]
 * ```
 */
export function seriesWindows(options: PlanSeriesWindowsOptions): Iterable<SeriesWindow> {
  const { unit } = options;
  const zone = {
    utcOffsetMinutes: options.utcOffsetMinutes ?? 0,
    ...(options.hourBuckets !== undefined ? { hourBuckets: options.hourBuckets } : {}),
  };
  const maxLength = options.maxLength ?? MAX_SERIES_LENGTH;
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new RangeError(`maxLength must be a positive integer, got ${maxLength}`);
  }
  const sinceMs = options.since.getTime();
  const untilMs = options.until.getTime();
  if (Number.isNaN(sinceMs) || Number.isNaN(untilMs)) {
    throw new RangeError('since and until must be valid dates');
  }
  if (sinceMs > untilMs) {
    throw new RangeError(
      `since (${options.since.toISOString()}) must not be after until (${options.until.toISOString()})`,
    );
  }
  const first = floorToBucket(sinceMs, unit, zone);
  const end = ceilToBucket(untilMs, unit, zone);
  const total = bucketsBetween(first, end, unit);
  return {
    *[Symbol.iterator]() {
      for (let done = 0; done < total; done += maxLength) {
        const length = Math.min(maxLength, total - done);
        const start = addBuckets(first, unit, done);
        yield {
          start: new Date(start),
          end: new Date(addBuckets(start, unit, length)),
          length,
        };
      }
    },
  };
}

/** {@link seriesWindows} as an array, for planners that reorder windows (sync). */
export function planSeriesWindows(options: PlanSeriesWindowsOptions): SeriesWindow[] {
  return [...seriesWindows(options)];
}
