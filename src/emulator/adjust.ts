/**
 * How time changes counts: the current bucket grows with the clock, future buckets are
 * empty, recent days can be restated (one-off `restate()`) or lag behind their final value
 * (standing `provisional` option). All adjustments are monotone in the count, applied per
 * finest cell, so every consistency rule still holds after them.
 */
import { bucketIndex, partialCount } from '../api/time.js';
import type { ProvisionalOptions } from './types.js';
import type { CellAdjust } from './workspace.js';

/** A one-off restatement of local hours [fromHour, toHour). */
export interface Restatement {
  fromHour: number;
  toHour: number;
  factor: number;
  /** Only this event; undefined = all. */
  event: string | undefined;
}

export interface AdjustContext {
  now: number;
  /** The zone's offset in minutes: cells are local hours at it. */
  offsetMinutes: number;
  restatements: readonly Restatement[];
  provisional: ProvisionalOptions | undefined;
}

/** Restatement of the last `days` local days (the current one included) as of `now`. */
export function restatementOf(
  now: number,
  offsetMinutes: number,
  days: number,
  factor: number,
  event: string | undefined,
): Restatement {
  const today = bucketIndex(now, 'day', offsetMinutes);
  return { fromHour: (today - days + 1) * 24, toHour: (today + 1) * 24, factor, event };
}

/**
 * The adjustment for one event now, and the first local hour it can change (older cells
 * are final, so callers skip the call for them).
 */
export function cellAdjuster(
  ctx: AdjustContext,
  event: string,
): { adjust: CellAdjust; from: number } {
  const { now, offsetMinutes, provisional } = ctx;
  const currentHour = bucketIndex(now, 'hour', offsetMinutes);
  const restatements = ctx.restatements.filter((r) => r.event === undefined || r.event === event);
  const lagFrom =
    provisional !== undefined && provisional.days > 0
      ? (bucketIndex(now, 'day', offsetMinutes) - provisional.days + 1) * 24
      : Number.POSITIVE_INFINITY;
  let from = Math.min(currentHour, lagFrom);
  for (const r of restatements) from = Math.min(from, r.fromHour);
  const adjust: CellAdjust = (count, localHour) => {
    if (localHour > currentHour || count === 0) return 0;
    let value = count;
    for (const r of restatements) {
      if (localHour >= r.fromHour && localHour < r.toHour) value = Math.round(value * r.factor);
    }
    if (localHour >= lagFrom && provisional !== undefined) {
      value = Math.round(value * provisional.factor);
    }
    if (localHour === currentHour) {
      value = partialCount(value, now, 'hour', offsetMinutes);
    }
    return value;
  };
  return { adjust, from };
}
