/**
 * Per-event parameters of the synthetic workspace, drawn once at start-up from the seed:
 * base rate, weekly seasonality, trend, noise, zero days, lifetime, seeded anomalies,
 * the split across apps and hours and the share of each segment.
 */

import { dateOfDayNumber } from '../api/time.js';
import type { WireCustomEvent } from '../api/types.js';
import { ANOMALY_WINDOW_DAYS } from './defaults.js';
import { between, type Random } from './prng.js';
import type { SeededAnomaly } from './types.js';

export interface Anomaly {
  from: number;
  to: number;
  factor: number;
}

export interface EventParams {
  /** Typical daily count at the anchor. */
  base: number;
  /** Multiplier per day of week (0 = Sunday). */
  weekly: Float64Array;
  /** ln-growth per day. */
  trendPerDay: number;
  /** Standard deviation of the daily ln-noise. */
  noise: number;
  /** Probability that a day has no events at all. */
  zeroProb: number;
  /** First local day with events. */
  startDay: number;
  /** First local day without events again (Infinity: never stops). */
  stopDay: number;
  anomalies: Anomaly[];
  /** Cumulative share of each app (last = 1). */
  appCumulative: Float64Array;
  /** Relative weight of each local hour. */
  diurnal: Float64Array;
  /** Share of each segment. */
  segmentShare: Float64Array;
}

const TAGS = ['billing', 'experiment', 'growth', 'legacy', 'marketing', 'mobile', 'product', 'web'];

/** Details of one event as GET /events returns them. */
export function eventDetails(rand: Random, name: string): WireCustomEvent {
  const tags = TAGS.filter(() => rand() < 0.15);
  return {
    name,
    description: rand() < 0.3 ? '' : `Logged when the user's action "${name}" happens.`,
    included_in_analytics_report: rand() < 0.25,
    status: 'Active',
    tag_names: tags,
  };
}

function weekly(rand: Random): Float64Array {
  const amplitude = between(rand, 0, 0.5);
  const weekendHeavy = rand() < 0.25;
  const w = new Float64Array(7);
  for (let dow = 0; dow < 7; dow++) {
    const weekend = dow === 0 || dow === 6;
    w[dow] = weekend === weekendHeavy ? 1 + amplitude * 0.4 : 1 - amplitude;
  }
  return w;
}

function cumulative(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let run = 0;
  weights.forEach((w, i) => {
    run += w;
    out[i] = run / total;
  });
  out[weights.length - 1] = 1;
  return out;
}

function diurnal(rand: Random): Float64Array {
  const peak = between(rand, 11, 21);
  const width = between(rand, 3, 6);
  const out = new Float64Array(24);
  for (let h = 0; h < 24; h++) {
    const dist = Math.min(Math.abs(h - peak), 24 - Math.abs(h - peak));
    out[h] = 0.08 + Math.exp(-(dist * dist) / (2 * width * width));
  }
  return out;
}

/**
 * Draws the parameters of one event. `anchorDay` is the local day seeded anomalies, stops
 * and starts are placed before.
 */
export function eventParams(
  rand: Random,
  appCount: number,
  segmentCount: number,
  anchorDay: number,
): EventParams {
  const within = () => anchorDay - Math.floor(between(rand, 3, ANOMALY_WINDOW_DAYS));
  const lifecycle = rand();
  const started = lifecycle < 0.04;
  const stopped = lifecycle >= 0.04 && lifecycle < 0.08;
  const anomalous = lifecycle >= 0.08 && lifecycle < 0.23;
  const params: EventParams = {
    base: Math.exp(between(rand, Math.log(0.5), Math.log(30_000))),
    weekly: weekly(rand),
    trendPerDay: Math.log(1 + between(rand, -0.4, 0.8)) / 365,
    noise: between(rand, 0.03, 0.12),
    zeroProb: rand() < 0.2 ? between(rand, 0.02, 0.1) : 0,
    startDay: started ? within() : anchorDay - Math.floor(between(rand, 400, 2000)),
    stopDay: stopped ? within() : Number.POSITIVE_INFINITY,
    anomalies: [],
    appCumulative: cumulative(
      Array.from({ length: appCount }, (_, i) =>
        i === 0 || rand() < 0.7 ? between(rand, 0.2, 1) : 0,
      ),
    ),
    diurnal: diurnal(rand),
    segmentShare: Float64Array.from({ length: segmentCount }, () => between(rand, 0.03, 0.9)),
  };
  if (anomalous) {
    // Detectable by construction: enough volume, no random zero days, a clear factor.
    params.base = Math.max(params.base, between(rand, 300, 3000));
    params.zeroProb = 0;
    const drop = rand() < 0.5;
    const from = within();
    params.anomalies.push({
      from,
      to: from + 1 + Math.floor(rand() * (drop ? 3 : 2)),
      factor: drop ? between(rand, 0.02, 0.2) : between(rand, 4, 10),
    });
  }
  if (started || stopped) params.base = Math.max(params.base, between(rand, 100, 1000));
  return params;
}

/** The public description of the anomalies seeded into one event. */
export function describeAnomalies(
  name: string,
  p: EventParams,
  anchorDay: number,
): SeededAnomaly[] {
  const out: SeededAnomaly[] = p.anomalies.map((a) => ({
    event: name,
    kind: a.factor < 1 ? 'drop' : 'spike',
    start: dateOfDayNumber(a.from),
    end: dateOfDayNumber(a.to),
    factor: Number(a.factor.toFixed(4)),
  }));
  if (p.stopDay !== Number.POSITIVE_INFINITY) {
    out.push({
      event: name,
      kind: 'stopped',
      start: dateOfDayNumber(p.stopDay),
      end: null,
      factor: 0,
    });
  }
  if (p.startDay > anchorDay - ANOMALY_WINDOW_DAYS) {
    out.push({
      event: name,
      kind: 'started',
      start: dateOfDayNumber(p.startDay),
      end: null,
      factor: 1,
    });
  }
  return out;
}
