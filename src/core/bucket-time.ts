/**
 * Bucket arithmetic for data_series: turning Braze's `time` strings into UTC instants and
 * aligning instants to bucket boundaries.
 *
 * Braze does not document the zone of day buckets, so every function takes the zone's
 * UTC offset (minutes east of UTC, default 0). Hour buckets are aligned to the same
 * offset, which only matters for zones with a half-hour offset.
 */
import { UNIT_MS, type Unit } from '../api/constants.js';
import { DEFAULT_BUCKET_UTC_OFFSET_MINUTES } from './defaults.js';
import { parseIsoInstant } from './iso-time.js';

export interface BucketTimeOptions {
  /** Minutes east of UTC of Braze's reporting zone. Default 0 (UTC). */
  utcOffsetMinutes?: number;
}

/**
 * Parses a bucket's `time` as Braze sends it into the bucket's start instant: a
 * `YYYY-MM-DD` day is midnight at the configured offset; hour datetimes may carry `Z`,
 * `+00:00`, a one-digit offset or fractional seconds (zone-less ones use the offset).
 * Throws a RangeError naming the value when it is not ISO 8601.
 *
 * @example
 * ```ts
 * parseBucketTime('2022-12-08', 'day').toISOString(); // '2022-12-08T00:00:00.000Z'
 * parseBucketTime('2022-12-08T05:00:00+00:00', 'hour').toISOString(); // '2022-12-08T05:00:00.000Z'
 * ```
 */
export function parseBucketTime(time: string, unit: Unit, options: BucketTimeOptions = {}): Date {
  return new Date(bucketStartMs(time, unit, options.utcOffsetMinutes));
}

/**
 * {@link parseBucketTime} as epoch milliseconds, without allocating a Date: the client
 * parses every bucket of every answer, so this is on its hottest path.
 */
export function bucketStartMs(
  time: string,
  unit: Unit,
  utcOffsetMinutes = DEFAULT_BUCKET_UTC_OFFSET_MINUTES,
): number {
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
 * Start of the bucket containing `ms` (epoch milliseconds).
 *
 * @example `floorToBucket(Date.parse('2024-03-10T17:45:00Z'), 'day') // Date.parse('2024-03-10')`
 */
export function floorToBucket(ms: number, unit: Unit, utcOffsetMinutes = 0): number {
  const size = UNIT_MS[unit];
  const shift = utcOffsetMinutes * 60_000;
  return Math.floor((ms + shift) / size) * size - shift;
}

/**
 * The first bucket boundary at or after `ms`.
 *
 * @example `ceilToBucket(Date.parse('2024-03-10T17:45:00Z'), 'hour') // Date.parse('2024-03-10T18:00:00Z')`
 */
export function ceilToBucket(ms: number, unit: Unit, utcOffsetMinutes = 0): number {
  const size = UNIT_MS[unit];
  const shift = utcOffsetMinutes * 60_000;
  return Math.ceil((ms + shift) / size) * size - shift;
}
