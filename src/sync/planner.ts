/**
 * Which data_series windows one series needs on this run. Pure: a function of the stored
 * state, the clock and the flags; the engine only executes what this returns.
 *
 * The stored part of a series is always one contiguous range of buckets
 * [storedFrom, syncedThrough]: forward windows run oldest first from syncedThrough, and
 * windows that extend history backwards run newest first from storedFrom. So an
 * interrupted run leaves no hole, and the next run resumes where the last commit ended.
 */
import { MAX_SERIES_LENGTH, type Unit } from '../api/constants.js';
import {
  addBuckets,
  bucketsBetween,
  ceilToBucket,
  floorToBucket,
  type HourBuckets,
} from '../api/time.js';
import { planSeriesWindows } from '../core/series-windows.js';

/**
 * Buckets re-read before the current one on every run, because Braze restates recent
 * counts: 14 days, or 48 hours.
 */
export const DEFAULT_LOOKBACK: Readonly<Record<Unit, number>> = { day: 14, hour: 48 };

/** Buckets (current one included) the first run of a series backfills: one full request. */
export const DEFAULT_BACKFILL: Readonly<Record<Unit, number>> = {
  day: MAX_SERIES_LENGTH,
  hour: MAX_SERIES_LENGTH,
};

/** Largest `lookback` accepted, to catch a unit mix-up (e.g. minutes) early. */
export const MAX_LOOKBACK = 10_000;

/** What the database holds for one series. */
export interface SeriesState {
  /** Start of the oldest stored bucket. */
  storedFrom: Date;
  /** Start of the newest stored bucket (the watermark). */
  syncedThrough: Date;
}

export interface PlanSeriesSyncInput {
  unit: Unit;
  now: Date;
  /** Stored state; absent on the series' first run. */
  state?: SeriesState | undefined;
  /**
   * First bucket wanted. Given on a first run, the backfill starts there (default: the
   * last 100 buckets); given later, history is extended back to it when it is older than
   * what is stored. Never re-fetches stored history otherwise.
   */
  since?: Date | undefined;
  /** Buckets before the current one to re-read. Default {@link DEFAULT_LOOKBACK}. */
  lookback?: number | undefined;
  /** Minutes east of UTC of Braze's bucket zone. Default 0. */
  utcOffsetMinutes?: number | undefined;
  /** Hour alignment under an offset that is not whole hours. Default `local`. */
  hourBuckets?: HourBuckets | undefined;
}

/** One request to make: `length` buckets covering [start, end); send `endingAt`. */
export interface PlannedWindow {
  start: Date;
  end: Date;
  length: number;
  /** `end`, or `now` when `end` lies in the future (the request then ends at "now"). */
  endingAt: Date;
}

/**
 * Plans the fewest requests that bring one series up to date.
 *
 * @example
 * planSeriesSync({ unit: 'day', now: new Date('2026-11-27T12:00:00Z') });
 * // first run: one window of 100 days ending now
 * planSeriesSync({ unit: 'day', now, state: { storedFrom, syncedThrough: new Date('2026-11-27') } });
 * // later run: one window of 15 days (today + 14 days of lookback)
 */
export function planSeriesSync(input: PlanSeriesSyncInput): PlannedWindow[] {
  const { unit, now, state, since } = input;
  const offset = input.utcOffsetMinutes ?? 0;
  const hourBuckets = input.hourBuckets;
  const zone = { utcOffsetMinutes: offset, ...(hourBuckets ? { hourBuckets } : {}) };
  const lookback = input.lookback ?? DEFAULT_LOOKBACK[unit];
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('now must be a valid date');
  if (!Number.isInteger(lookback) || lookback < 0 || lookback > MAX_LOOKBACK) {
    throw new RangeError(`lookback must be an integer from 0 to ${MAX_LOOKBACK}, got ${lookback}`);
  }
  if (since !== undefined && !(since.getTime() <= nowMs)) {
    throw new RangeError(`since (${String(since)}) must be a valid date, not after now`);
  }
  const end = ceilToBucket(nowMs, unit, zone);
  const window = (w: { start: Date; end: Date; length: number }): PlannedWindow => ({
    ...w,
    endingAt: new Date(Math.min(w.end.getTime(), nowMs)),
  });
  const plan = (fromMs: number, untilMs: number) =>
    fromMs >= untilMs
      ? []
      : planSeriesWindows({
          unit,
          since: new Date(fromMs),
          until: new Date(untilMs),
          utcOffsetMinutes: offset,
          ...(hourBuckets ? { hourBuckets } : {}),
        }).map(window);

  if (!state) {
    const from = since
      ? floorToBucket(since.getTime(), unit, zone)
      : addBuckets(end, unit, -DEFAULT_BACKFILL[unit]);
    return plan(from, nowMs);
  }

  // Forward: everything after the watermark (the watermark bucket itself may have been
  // partial), and at least the current bucket plus the lookback, but never before the
  // stored range: it starts where the series was asked to start (its backfill, or
  // start_date), and re-reading restated counts is no reason to reach before that.
  // Only an older `since` extends history; that part is fetched newest first, so a crash
  // cannot leave a hole.
  const storedFrom = state.storedFrom.getTime();
  const wantedFrom = Math.min(
    state.syncedThrough.getTime(),
    addBuckets(end, unit, -(lookback + 1)),
  );
  const forwardFrom = Math.max(storedFrom, wantedFrom);
  const backFrom = since ? floorToBucket(since.getTime(), unit, zone) : storedFrom;
  if (backFrom >= storedFrom) return plan(forwardFrom, nowMs);
  // One request covers both when the whole span fits: fewer requests beat smaller ones.
  if (bucketsBetween(backFrom, end, unit) <= MAX_SERIES_LENGTH) return plan(backFrom, nowMs);
  return [...plan(forwardFrom, nowMs), ...plan(backFrom, storedFrom).reverse()];
}

/**
 * The series' state once `window` is stored: the range grows to cover it, and the
 * watermark moves to the window's newest bucket when that is newer. The same rule the
 * database applies (`series_watermarks.synced_through` is a maximum, the stored range's
 * start a minimum), for adapters that keep state outside a database (Airbyte, Singer).
 *
 * @example
 * advanceSeriesState(undefined, 'day', { start, end, length: 3, endingAt: end });
 * // { storedFrom: start, syncedThrough: end − 1 day }
 */
export function advanceSeriesState(
  state: SeriesState | undefined,
  unit: Unit,
  window: Pick<PlannedWindow, 'start' | 'end'>,
): SeriesState {
  const newest = addBuckets(window.end.getTime(), unit, -1);
  if (!state) return { storedFrom: window.start, syncedThrough: new Date(newest) };
  return {
    storedFrom: new Date(Math.min(state.storedFrom.getTime(), window.start.getTime())),
    syncedThrough: new Date(Math.max(state.syncedThrough.getTime(), newest)),
  };
}
