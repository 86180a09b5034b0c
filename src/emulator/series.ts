/**
 * The answer of GET /events/data_series (and of the ground truth): exactly `length`
 * ascending buckets whose start is before `end`, zero-filled; unknown events are all zeros.
 */
import type { SeriesPoint, Unit } from '../api/index.js';
import { type AdjustContext, cellAdjuster } from './adjust.js';
import { bucketIndex, bucketStart, formatBucketTime } from './time.js';
import type { HourFormat } from './types.js';
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
  hourFormat: HourFormat;
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
  const { offsetMs, hourFormat } = ctx;
  // The last bucket is the one holding the instant just before `end`.
  const last = bucketIndex(req.end - 1, unit, offsetMs);
  const first = last - length + 1;
  const eventIndex = ws.indexOf(req.event);
  const { adjust, from } = cellAdjuster(ctx, req.event);
  const hours = new Float64Array(24);
  const out: SeriesPoint[] = new Array(length);
  let loadedDay = Number.NaN;
  for (let i = 0; i < length; i++) {
    const index = first + i;
    let count = 0;
    // Whole days older than any adjustment: one arithmetic step instead of 24 × apps cells.
    const fast =
      eventIndex >= 0 && unit === 'day' && (index + 1) * 24 <= from
        ? ws.dayCount?.(eventIndex, index, filter)
        : undefined;
    if (fast !== undefined) {
      count = fast;
    } else if (eventIndex >= 0) {
      const day = unit === 'day' ? index : Math.floor(index / 24);
      if (day !== loadedDay) {
        ws.dayHours(eventIndex, day, filter, adjust, from, hours);
        loadedDay = day;
      }
      if (unit === 'day') {
        for (let h = 0; h < 24; h++) count += hours[h] as number;
      } else {
        count = hours[index - day * 24] as number;
      }
    }
    out[i] = {
      time: formatBucketTime(bucketStart(index, unit, offsetMs), unit, offsetMs, hourFormat),
      count,
    };
  }
  return out;
}
