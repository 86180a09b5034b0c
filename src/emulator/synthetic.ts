/**
 * The deterministic synthetic workspace. Counts are a pure function of (seed, event, local
 * day, local hour), computed on demand: nothing is materialised, so a 100-bucket query
 * costs ~100 × 24 × apps arithmetic steps whatever the date.
 */

import { dayNumber } from '../api/time.js';
import { generateEventNames } from './names.js';
import { createRandom, fakeUuid, hashUnit } from './prng.js';
import {
  describeAnomalies,
  type EventParams,
  eventDetails,
  eventParams,
} from './synthetic-params.js';
import type { EmulatorApp, EmulatorSegment } from './types.js';
import { type CellFilter, nameIndex, splitCumulative, type Workspace } from './workspace.js';

const APP_NAMES = ['iOS', 'Android', 'Web'];
const SEGMENT_NAMES = ['Active users (30 days)', 'Paying customers', 'New users', 'Churn risk'];

// Salts keep the hash streams of different quantities independent.
const SALT_ZERO = 1;
const SALT_NOISE = 2;
const SALT_ROUND = 5;
const SALT_HOUR = 0x1000;
const SALT_SEGMENT = 0x2000;

export interface SyntheticOptions {
  seed: number;
  events: number;
  /** ISO date: anomalies, stops and starts fall in the 90 days before it. */
  anchor: string;
}

/**
 * @example
 * const ws = createSyntheticWorkspace({ seed: 1, events: 612, anchor: '2026-11-01' });
 * ws.events.length; // 612
 */
export function createSyntheticWorkspace(options: SyntheticOptions): Workspace {
  const { seed } = options;
  const anchorDay = dayNumber(options.anchor);
  const rand = createRandom(seed);
  const apps: EmulatorApp[] = APP_NAMES.map((name) => ({ id: fakeUuid(rand), name }));
  const segments: EmulatorSegment[] = SEGMENT_NAMES.map((name) => ({ id: fakeUuid(rand), name }));
  const names = generateEventNames(rand, options.events);
  const events = names.map((name) => eventDetails(rand, name));
  const params: EventParams[] = names.map(() =>
    eventParams(rand, apps.length, segments.length, anchorDay),
  );
  const anomalies = names.flatMap((name, i) => describeAnomalies(name, params[i]!, anchorDay));

  function dayTotal(e: number, p: EventParams, day: number): number {
    if (day < p.startDay || day >= p.stopDay) return 0;
    if (p.zeroProb > 0 && hashUnit(seed, e, day, SALT_ZERO) < p.zeroProb) return 0;
    // Sum of three uniforms: a cheap, bounded stand-in for a normal variate (sd 0.5 → ×2).
    const n =
      (hashUnit(seed, e, day, SALT_NOISE) +
        hashUnit(seed, e, day, SALT_NOISE + 1) +
        hashUnit(seed, e, day, SALT_NOISE + 2) -
        1.5) *
      2;
    const trend = Math.max(-3, Math.min(3, p.trendPerDay * (day - anchorDay)));
    let value =
      p.base * (p.weekly[(((day + 4) % 7) + 7) % 7] as number) * Math.exp(trend + p.noise * n);
    for (const a of p.anomalies) if (day >= a.from && day < a.to) value *= a.factor;
    // Stochastic rounding keeps small events realistic (mostly 0s and 1s) and unbiased.
    return Math.floor(value + hashUnit(seed, e, day, SALT_ROUND));
  }

  const hourCumulative = new Float64Array(24);

  const dayHours: Workspace['dayHours'] = (e, day, filter, adjust, adjustFrom, out) => {
    out.fill(0);
    const p = params[e];
    if (p === undefined) return;
    const total = dayTotal(e, p, day);
    if (total === 0) return;
    let sum = 0;
    for (let h = 0; h < 24; h++) {
      sum += (p.diurnal[h] as number) * (0.8 + 0.4 * hashUnit(seed, e, day, SALT_HOUR + h));
      hourCumulative[h] = sum;
    }
    for (let h = 0; h < 24; h++) hourCumulative[h] = (hourCumulative[h] as number) / sum;
    hourCumulative[23] = 1;
    let share = 1;
    if (filter.segmentIndex >= 0) {
      const jitter = 0.9 + 0.2 * hashUnit(seed, e, day, SALT_SEGMENT + filter.segmentIndex);
      share = Math.min(1, (p.segmentShare[filter.segmentIndex] as number) * jitter);
    }
    const firstHour = day * 24;
    const appFrom = Math.max(filter.appIndex, 0);
    const appTo = filter.appIndex >= 0 ? filter.appIndex + 1 : apps.length;
    for (let a = appFrom; a < appTo; a++) {
      const appCount = splitCumulative(total, p.appCumulative, a);
      if (appCount === 0) continue;
      let prev = 0;
      for (let h = 0; h < 24; h++) {
        const cur = Math.round(appCount * (hourCumulative[h] as number));
        let cell = cur - prev;
        prev = cur;
        if (share < 1) cell = Math.floor(cell * share);
        if (adjust !== null && firstHour + h >= adjustFrom) cell = adjust(cell, firstHour + h);
        out[h] = (out[h] as number) + cell;
      }
    }
  };

  function dayCount(e: number, day: number, filter: CellFilter): number | undefined {
    const p = params[e];
    if (p === undefined) return 0;
    if (filter.segmentIndex >= 0) return undefined;
    const total = dayTotal(e, p, day);
    return filter.appIndex < 0 ? total : splitCumulative(total, p.appCumulative, filter.appIndex);
  }

  return {
    events,
    apps,
    segments,
    anomalies,
    indexOf: nameIndex(events),
    dayHours,
    dayCount,
  };
}
