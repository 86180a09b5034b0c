/**
 * How time changes counts: the current bucket grows with the clock, future buckets are
 * empty, recent days can be restated (one-off `restate()`) or lag behind their final value
 * (standing `provisional` option). All adjustments are monotone in the count, applied per
 * finest cell, so every consistency rule still holds after them.
 */
import { bucketIndex, HOUR_MS } from './time.js';
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
  offsetMs: number;
  restatements: readonly Restatement[];
  provisional: ProvisionalOptions | undefined;
}

/** Restatement of the last `days` local days (the current one included) as of `now`. */
export function restatementOf(
  now: number,
  offsetMs: number,
  days: number,
  factor: number,
  event: string | undefined,
): Restatement {
  const today = bucketIndex(now, 'day', offsetMs);
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
  const { now, offsetMs, provisional } = ctx;
  const currentHour = bucketIndex(now, 'hour', offsetMs);
  const restatements = ctx.restatements.filter((r) => r.event === undefined || r.event === event);
  const lagFrom =
    provisional !== undefined && provisional.days > 0
      ? (bucketIndex(now, 'day', offsetMs) - provisional.days + 1) * 24
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
      const start = localHour * HOUR_MS - offsetMs;
      value = Math.floor((value * (now - start)) / HOUR_MS);
    }
    return value;
  };
  return { adjust, from };
}
