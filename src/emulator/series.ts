/**
 * The answer of GET /events/data_series (and of the ground truth): exactly `length`
 * ascending buckets whose start is before `end`, zero-filled; unknown events are all zeros.
 */

import type { Unit } from '../api/constants.js';
import {
  type BucketZone,
  bucketIndex,
  bucketStartOfIndex,
  formatBucketTime,
  type HourTimeFormat,
} from '../api/time.js';
import type { SeriesPoint } from '../api/types.js';
import { type AdjustContext, cellAdjuster } from './adjust.js';
import type { FutureEndingAt } from './defaults.js';
import type { CellFilter, Workspace } from './workspace.js';

export interface SeriesRequest {
  event: string;
  unit: Unit;
  length: number;
  /** UTC instant; buckets starting before it. */
  end: number;
  filter: CellFilter;
}

export interface SeriesContext extends AdjustContext {
  /** The bucket zone (its offset is `offsetMinutes`). */
  zone: Required<BucketZone>;
  hourFormat: HourTimeFormat;
  /** What an `ending_at` after `now` gets (the HTTP route only; the ground truth answers). */
  futureEndingAt: FutureEndingAt;
}

/**
 * @example
 * computeSeries(ws, { event: 'Purchase Completed', unit: 'day', length: 7, end, filter }, ctx);
 */
export function computeSeries(
  ws: Workspace,
  req: SeriesRequest,
  ctx: SeriesContext,
): SeriesPoint[] {
  const { unit, length, filter } = req;
  const { zone, hourFormat } = ctx;
  const offset = zone.utcOffsetMinutes;
  // The last bucket is the one holding the instant just before `end`.
  const last = bucketIndex(req.end - 1, unit, zone);
  const first = last - length + 1;
  const eventIndex = ws.indexOf(req.event);
  const { adjust, from } = cellAdjuster(ctx, req.event);
  const hours = new Float64Array(24);
  let loadedDay = Number.NaN;
  /** The count of local hour `h` (the workspace's finest cell). */
  const cell = (h: number): number => {
    const day = Math.floor(h / 24);
    if (day !== loadedDay) {
      ws.dayHours(eventIndex, day, filter, adjust, from, hours);
      loadedDay = day;
    }
    return hours[h - day * 24] as number;
  };
  // UTC-aligned hours under an offset that is not whole hours straddle two local hours:
  // the first `minutes` of local hour h+1 and the rest of local hour h, each cell split
  // by minutes (rounded down for the first part), so consecutive hours still add up.
  const straddle = unit === 'hour' && zone.hourBuckets === 'utc' ? ((offset % 60) + 60) % 60 : 0;
  const out: SeriesPoint[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const index = first + i;
    const start = bucketStartOfIndex(index, unit, zone);
    let count = 0;
    // Whole days older than any adjustment: one arithmetic step instead of 24 × apps cells.
    const fast =
      eventIndex >= 0 && unit === 'day' && (index + 1) * 24 <= from
        ? ws.dayCount?.(eventIndex, index, filter)
        : undefined;
    if (fast !== undefined) {
      count = fast;
    } else if (eventIndex >= 0 && unit === 'day') {
      for (let h = 0; h < 24; h++) count += cell(index * 24 + h);
    } else if (eventIndex >= 0) {
      const local = bucketIndex(start, 'hour', offset);
      if (straddle === 0) {
        count = cell(local);
      } else {
        const head = cell(local);
        const tail = cell(local + 1);
        count = head - Math.floor((head * straddle) / 60) + Math.floor((tail * straddle) / 60);
      }
    }
    out[i] = { time: formatBucketTime(start, unit, offset, hourFormat), count };
  }
  return out;
}
