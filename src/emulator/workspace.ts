/**
 * The data model every data source (synthetic or explicit) implements. The finest cell is
 * one (event, app, local hour); every answer is a sum of cells, so the consistency rules
 * hold by construction: apps sum to the total, hours sum to their day, and a segment
 * (a per-cell floor of a fraction) never exceeds the total, also after the clock and
 * restatements adjust cells (those adjustments are monotone in the count).
 */
import type { WireCustomEvent } from '../api/types.js';
import type { EmulatorApp, EmulatorSegment, SeededAnomaly } from './types.js';

/** Adjusts one cell's final count (restatement, lag, current-bucket growth). */
export type CellAdjust = (count: number, localHour: number) => number;

/** Which slice of an event's counts a query wants. -1 = no filter. */
export interface CellFilter {
  appIndex: number;
  segmentIndex: number;
}

export interface Workspace {
  /** Events sorted as /events/list and /events serve them. */
  readonly events: readonly WireCustomEvent[];
  readonly apps: readonly EmulatorApp[];
  readonly segments: readonly EmulatorSegment[];
  readonly anomalies: readonly SeededAnomaly[];
  /** Index of an event by name, -1 when unknown. */
  indexOf(name: string): number;
  /**
   * Writes the 24 hourly counts of local day `day` into `out` (overwriting it). `adjust`
   * is applied to each cell whose local hour is at or after `adjustFrom`.
   */
  dayHours(
    eventIndex: number,
    day: number,
    filter: CellFilter,
    adjust: CellAdjust | null,
    adjustFrom: number,
    out: Float64Array,
  ): void;
  /**
   * Optional fast path: the final count of a whole local day, or undefined when it needs
   * the hourly cells (e.g. a segment filter). Only called for days no adjustment touches.
   */
  dayCount?(eventIndex: number, day: number, filter: CellFilter): number | undefined;
}

/**
 * Splits `total` into parts proportional to a cumulative weight table (last entry 1) by
 * rounding the running sum: parts are non-negative integers that sum to exactly `total`.
 */
export function splitCumulative(total: number, cumulative: ArrayLike<number>, i: number): number {
  const prev = i === 0 ? 0 : Math.round(total * (cumulative[i - 1] as number));
  return Math.round(total * (cumulative[i] as number)) - prev;
}

/** Builds an event index by name. */
export function nameIndex(events: readonly WireCustomEvent[]): (name: string) => number {
  const map = new Map<string, number>();
  events.forEach((event, i) => {
    map.set(event.name, i);
  });
  return (name) => map.get(name) ?? -1;
}
