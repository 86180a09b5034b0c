/** Synthetic series with weekly (and daily) seasonality, for the check's tests. */
import type { BucketCount } from '../../src/check/index.js';
import { createRandom } from '../../src/emulator/prng.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Weekday factors, Monday first: busy weekdays, quiet weekends. */
export const WEEKLY = [1, 1.1, 1.05, 1, 0.95, 0.4, 0.3];

export interface SeasonalOptions {
  /** Start of the first bucket (epoch ms, aligned to the unit). */
  start: number;
  buckets: number;
  unit: 'day' | 'hour';
  level: number;
  weekly?: readonly number[];
  daily?: readonly number[];
  /** Relative noise amplitude: each count is multiplied by 1 ± noise. */
  noise?: number;
  /** Growth per week (0.05 = +5 %/week). */
  trend?: number;
  seed?: number;
}

/** A seasonal series: level × weekday factor × hour factor × trend × noise, rounded. */
export function seasonal(o: SeasonalOptions): BucketCount[] {
  // The emulator's seeded PRNG, so every synthetic series is reproducible.
  const random = createRandom(o.seed ?? 1);
  const weekly = o.weekly ?? WEEKLY;
  const size = o.unit === 'day' ? DAY : HOUR;
  const out: BucketCount[] = [];
  for (let i = 0; i < o.buckets; i++) {
    const ms = o.start + i * size;
    const date = new Date(ms);
    const weekday = (date.getUTCDay() + 6) % 7;
    const hourFactor = o.daily ? o.daily[date.getUTCHours()]! : 1;
    const weeks = (ms - o.start) / (7 * DAY);
    const expected = o.level * weekly[weekday]! * hourFactor * (1 + (o.trend ?? 0)) ** weeks;
    const noise = 1 + (random() * 2 - 1) * (o.noise ?? 0);
    out.push({ bucketStart: new Date(ms).toISOString(), count: Math.round(expected * noise) });
  }
  return out;
}

/** Replaces the count of the last bucket (the one the check judges). */
export function withLast(
  series: BucketCount[],
  count: (previous: number) => number,
): BucketCount[] {
  const copy = series.slice();
  const last = copy[copy.length - 1]!;
  copy[copy.length - 1] = { ...last, count: count(last.count) };
  return copy;
}

export function lastStart(series: readonly BucketCount[]): string {
  return String(series[series.length - 1]!.bucketStart);
}
