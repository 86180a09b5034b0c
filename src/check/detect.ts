/**
 * The detectors: compare one series' last complete bucket with a seasonal baseline.
 * Pure functions of their inputs (no clock, no IO), so they are tested on synthetic series.
 *
 * Method (also in src/check/README.md): the baseline of a bucket is the median of the same
 * bucket one, two, … N seasonal periods earlier — the same weekday for `day`, the same hour
 * of the same weekday for `hour` when N weeks of hourly history are stored, otherwise the
 * same hour of the previous N days. A bucket is only flagged when it also sits more than
 * `tolerance` robust standard deviations (1.4826 × MAD of the samples, at least √baseline)
 * away from that median.
 */
import type { Unit } from '../api/constants.js';
import { DAY_MS, instantMs, WEEK_MS } from '../api/time.js';
import { type DetectOptions, resolveDetectOptions } from './options.js';
import { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './stats.js';

/** One stored bucket: its start (ISO string, Date or epoch ms) and its count. */
export interface BucketCount {
  bucketStart: string | Date | number;
  count: number;
}

/** What the check reports: a drop, a spike, an event gone silent, or a new event. */
export type AnomalyKind = 'drop' | 'spike' | 'silent' | 'new';

/** All anomaly kinds, most severe first (the order findings are listed in). */
export const ANOMALY_KINDS: readonly AnomalyKind[] = ['silent', 'drop', 'spike', 'new'];

/** The verdict on one series' checked bucket, anomalous or not. */
export interface SeriesEvaluation {
  /** Start of the checked bucket, ISO UTC. */
  bucketStart: string;
  /** Its count; null when the bucket is not stored (nothing can be judged). */
  count: number | null;
  /** Median of the seasonal samples; null when there are too few. */
  baseline: number | null;
  /** Robust standard deviation used for the tolerance. */
  spread: number;
  /** Number of seasonal samples found. */
  samples: number;
  /** Seasonal period the samples are spaced by, in milliseconds. */
  periodMs: number;
  /** (count − baseline) / baseline × 100; null when the baseline is 0 or unknown. */
  changePct: number | null;
  /** The anomaly found, or null. */
  kind: AnomalyKind | null;
}

export interface EvaluateOptions extends DetectOptions {
  /** Unit of the series. */
  unit: Unit;
  /** Start of the bucket to judge: the last complete one (never the still-growing one). */
  at: string | Date | number;
}

function toMs(value: string | Date | number): number {
  const ms =
    typeof value === 'number' ? value : value instanceof Date ? value.getTime() : instantMs(value);
  if (!Number.isFinite(ms)) throw new RangeError(`invalid bucket start: ${String(value)}`);
  return ms;
}

/**
 * Chooses the seasonal period: a week for days; for hours a week when the series holds
 * all N weekly samples (weekends differ from weekdays hour by hour too), else a day.
 */
export function seasonalPeriodMs(
  unit: Unit,
  at: number,
  baseline: number,
  has: (ms: number) => boolean,
): number {
  if (unit === 'day') return WEEK_MS;
  for (let k = 1; k <= baseline; k++) if (!has(at - k * WEEK_MS)) return DAY_MS;
  return WEEK_MS;
}

/**
 * Judges the bucket starting at `options.at` against its seasonal baseline.
 *
 * @example
 * const series = [...]; // 5 weeks of daily {bucketStart, count}
 * evaluateSeries(series, { unit: 'day', at: '2026-03-02T00:00:00.000Z' }).kind; // 'drop' | … | null
 */
export function evaluateSeries(
  series: readonly BucketCount[],
  options: EvaluateOptions,
): SeriesEvaluation {
  const {
    baseline: periods,
    dropFraction,
    spike,
    minVolume,
    tolerance,
  } = resolveDetectOptions(options);
  const at = toMs(options.at);
  const byStart = new Map<number, number>();
  let history = 0;
  for (const point of series) {
    const ms = toMs(point.bucketStart);
    byStart.set(ms, point.count);
    if (ms < at) history += point.count;
  }
  const periodMs = seasonalPeriodMs(options.unit, at, periods, (ms) => byStart.has(ms));
  const samples: number[] = [];
  for (let k = 1; k <= periods; k++) {
    const value = byStart.get(at - k * periodMs);
    if (value !== undefined) samples.push(value);
  }
  const count = byStart.get(at) ?? null;
  // Half the periods must be present: one lone week is not a baseline.
  const enough = samples.length >= Math.ceil(periods / 2);
  const base = enough ? median(samples) : null;
  const spread =
    base === null ? 0 : Math.max(MAD_TO_SIGMA * medianAbsoluteDeviation(samples), Math.sqrt(base));
  const evaluation: SeriesEvaluation = {
    bucketStart: new Date(at).toISOString(),
    count,
    baseline: base,
    spread,
    samples: samples.length,
    periodMs,
    changePct: count !== null && base !== null && base > 0 ? ((count - base) / base) * 100 : null,
    kind: null,
  };
  if (count === null) return evaluation;
  evaluation.kind = classify(count, base, spread, history, {
    dropFraction,
    spike,
    minVolume,
    tolerance,
  });
  return evaluation;
}

function classify(
  count: number,
  base: number | null,
  spread: number,
  history: number,
  o: { dropFraction: number; spike: number; minVolume: number; tolerance: number },
): AnomalyKind | null {
  // Nothing at all before, in the whole window handed in: the event (re)appeared.
  if (history === 0) return count > 0 && count >= o.minVolume ? 'new' : null;
  if (base === null) return null;
  const outside = Math.abs(count - base) > o.tolerance * spread;
  if (!outside) return null;
  if (base >= o.minVolume && count === 0) return 'silent';
  if (base >= o.minVolume && count < (1 - o.dropFraction) * base) return 'drop';
  if (count >= o.minVolume && count > o.spike * base) return 'spike';
  return null;
}

/** Milliseconds of history `evaluateSeries` can use for N periods (the widest period). */
export function historyWindowMs(baseline: number): number {
  return baseline * WEEK_MS;
}
