import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { lastCompleteBucket } from '../../src/api/time.js';
import {
  evaluateSeries,
  formatBucket,
  formatCheckTable,
  median,
  medianAbsoluteDeviation,
  resolveDetectOptions,
} from '../../src/check/index.js';
import { DAY, HOUR, lastStart, seasonal, withLast } from './synthetic.js';

// A Monday, so weekday factors line up with WEEKLY.
const START = Date.UTC(2026, 0, 5);
const daily = (level: number, seed = 1) =>
  seasonal({ start: START, buckets: 7 * 6, unit: 'day', level, noise: 0.15, seed });

function kindOf(series: ReturnType<typeof daily>, options = {}) {
  return evaluateSeries(series, { unit: 'day', at: lastStart(series), ...options }).kind;
}

describe('robust statistics', () => {
  test('median and MAD ignore one outlier', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
    assert.equal(medianAbsoluteDeviation([10, 11, 9, 100]), 1);
  });
});

describe('evaluateSeries on synthetic daily series', () => {
  test('an ordinary seasonal day is not flagged', () => {
    assert.equal(kindOf(daily(1000)), null);
  });

  test('a quiet Sunday is compared with past Sundays, not with Friday', () => {
    // 6 weeks from a Monday: the last bucket is a Sunday at 0.3 × level.
    const series = daily(1000);
    const e = evaluateSeries(series, { unit: 'day', at: lastStart(series) });
    assert.equal(new Date(e.bucketStart).getUTCDay(), 0);
    assert.equal(e.kind, null);
    assert.ok(e.baseline! > 200 && e.baseline! < 400, `baseline ${e.baseline}`);
    assert.equal(e.samples, 4);
  });

  test('a drop is found', () => {
    const e = evaluateSeries(
      withLast(daily(1000), (c) => Math.round(c * 0.3)),
      { unit: 'day', at: lastStart(daily(1000)) },
    );
    assert.equal(e.kind, 'drop');
    assert.ok(e.changePct! < -50);
  });

  test('a spike is found', () => {
    assert.equal(kindOf(withLast(daily(1000), (c) => c * 5)), 'spike');
  });

  test('an event that stopped firing is silent', () => {
    assert.equal(kindOf(withLast(daily(1000), () => 0)), 'silent');
  });

  test('an event with no history that starts firing is new', () => {
    const series = withLast(
      daily(1000).map((p) => ({ ...p, count: 0 })),
      () => 250,
    );
    const e = evaluateSeries(series, { unit: 'day', at: lastStart(series) });
    assert.equal(e.kind, 'new');
    assert.equal(e.changePct, null);
  });

  test('--min-volume suppresses tiny events', () => {
    const tiny = seasonal({
      start: START,
      buckets: 7 * 6,
      unit: 'day',
      level: 15,
      weekly: [1, 1, 1, 1, 1, 1, 1],
      noise: 0.05,
    });
    assert.equal(kindOf(withLast(tiny, () => 0)), null);
    assert.equal(
      kindOf(
        withLast(tiny, () => 0),
        { minVolume: 1 },
      ),
      'silent',
    );
    const newTiny = withLast(
      tiny.map((p) => ({ ...p, count: 0 })),
      () => 5,
    );
    assert.equal(kindOf(newTiny), null);
  });

  test('thresholds are configurable', () => {
    const series = withLast(daily(1000), (c) => Math.round(c * 0.6));
    assert.equal(kindOf(series), null);
    assert.equal(kindOf(series, { dropFraction: 0.3 }), 'drop');
    const spiky = withLast(daily(1000), (c) => c * 2);
    assert.equal(kindOf(spiky), null);
    assert.equal(kindOf(spiky, { spike: 1.5 }), 'spike');
  });

  test('a noisy event is not flagged for an ordinary bad day (MAD tolerance)', () => {
    const random = [400, 1000, 200, 900, 350];
    const series = random.map((count, i) => ({
      bucketStart: new Date(START + i * 7 * DAY).toISOString(),
      count,
    }));
    // Median 650, MAD-based spread is huge: 350 is within the event's normal range.
    assert.equal(kindOf(withLast(series, () => 280)), null);
  });

  test('a missing checked bucket or too short a history cannot be judged', () => {
    const series = daily(1000);
    const after = new Date(Date.parse(lastStart(series)) + DAY).toISOString();
    assert.equal(evaluateSeries(series, { unit: 'day', at: after }).count, null);
    const short = series.slice(-8);
    const e = evaluateSeries(
      withLast(short, () => 0),
      { unit: 'day', at: lastStart(short) },
    );
    assert.equal(e.samples, 1);
    assert.equal(e.kind, null);
  });

  test('options are validated with messages naming the option', () => {
    assert.throws(() => resolveDetectOptions({ dropFraction: 1.5 }), /dropFraction .*1\.5/);
    // The former name is refused, not ignored (which would check at the default 0.5).
    assert.throws(
      () => resolveDetectOptions({ drop: 0.3 } as never),
      (e: Error & { option?: string }) =>
        e instanceof TypeError && e.option === 'drop' && /dropFraction/.test(e.message),
    );
    assert.throws(() => resolveDetectOptions({ spike: 1 }), /spike/);
    assert.throws(() => resolveDetectOptions({ baseline: 0 }), /baseline/);
    assert.throws(() => resolveDetectOptions({ minVolume: -1 }), /minVolume/);
  });

  test("the last complete bucket is the one before the current one (the time module's, in ms)", () => {
    const now = Date.UTC(2026, 2, 3, 10, 30);
    assert.equal(lastCompleteBucket('day', now), Date.UTC(2026, 2, 2));
    assert.equal(lastCompleteBucket('hour', now), Date.UTC(2026, 2, 3, 9));
  });
});

describe('evaluateSeries on hourly series', () => {
  const HOURLY = Array.from({ length: 24 }, (_, h) => 0.2 + Math.sin((Math.PI * h) / 24) ** 2);

  test('with N weeks of hours, the same hour of the same weekday is the baseline', () => {
    const series = seasonal({
      start: START,
      buckets: 24 * 7 * 5,
      unit: 'hour',
      level: 500,
      daily: HOURLY,
      noise: 0.1,
    });
    const e = evaluateSeries(series, { unit: 'hour', at: lastStart(series) });
    assert.equal(e.periodMs, 7 * DAY);
    assert.equal(e.kind, null);
    const dropped = withLast(series, (c) => Math.round(c * 0.2));
    assert.equal(evaluateSeries(dropped, { unit: 'hour', at: lastStart(series) }).kind, 'drop');
  });

  test('with only days of hours, the same hour of the previous days is the baseline', () => {
    const series = seasonal({
      start: START,
      buckets: 100,
      unit: 'hour',
      level: 500,
      weekly: [1, 1, 1, 1, 1, 1, 1],
      daily: HOURLY,
      noise: 0.1,
    });
    const e = evaluateSeries(series, { unit: 'hour', at: lastStart(series) });
    assert.equal(e.periodMs, DAY);
    assert.equal(e.samples, 4);
    assert.equal(e.kind, null);
    const spiked = withLast(series, (c) => c * 10);
    assert.equal(evaluateSeries(spiked, { unit: 'hour', at: lastStart(series) }).kind, 'spike');
    assert.equal(HOUR * 24, DAY);
  });
});

describe('properties', () => {
  const weeklyArb = fc.array(fc.double({ min: 0.2, max: 1.5, noNaN: true }), {
    minLength: 7,
    maxLength: 7,
  });
  const seasonalArb = fc.record({
    level: fc.double({ min: 0, max: 1e6, noNaN: true }),
    weekly: weeklyArb,
    noise: fc.double({ min: 0, max: 0.25, noNaN: true }),
    trend: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
    weeks: fc.integer({ min: 1, max: 8 }),
    baseline: fc.integer({ min: 1, max: 6 }),
    seed: fc.integer(),
    offset: fc.integer({ min: 0, max: 6 }),
  });

  test('a purely seasonal series (noise ≤ 25 %, trend ≤ 5 %/week) is never flagged', () => {
    fc.assert(
      fc.property(seasonalArb, (p) => {
        const series = seasonal({
          start: START + p.offset * DAY,
          buckets: 7 * p.weeks + 1,
          unit: 'day',
          level: p.level,
          weekly: p.weekly,
          noise: p.noise,
          trend: p.trend,
          seed: p.seed,
        });
        const e = evaluateSeries(series, {
          unit: 'day',
          at: lastStart(series),
          baseline: p.baseline,
        });
        return e.kind === null;
      }),
      { numRuns: 300 },
    );
  });

  test('an hourly seasonal series over N weeks is never flagged', () => {
    const hourly = fc.array(fc.double({ min: 0.1, max: 2, noNaN: true }), {
      minLength: 24,
      maxLength: 24,
    });
    fc.assert(
      fc.property(seasonalArb, hourly, (p, daily) => {
        const series = seasonal({
          start: START,
          buckets: 24 * 7 * (p.baseline + 1),
          unit: 'hour',
          level: p.level,
          weekly: p.weekly,
          daily,
          noise: p.noise,
          trend: p.trend,
          seed: p.seed,
        });
        const e = evaluateSeries(series, {
          unit: 'hour',
          at: lastStart(series),
          baseline: p.baseline,
        });
        return e.kind === null;
      }),
      { numRuns: 100 },
    );
  });

  test('a collapse to under a fifth of a busy seasonal series is always found', () => {
    fc.assert(
      fc.property(seasonalArb, fc.double({ min: 0, max: 0.2, noNaN: true }), (p, factor) => {
        const series = seasonal({
          start: START,
          buckets: 7 * 5 + 1,
          unit: 'day',
          level: 500 + p.level,
          weekly: p.weekly,
          noise: Math.min(p.noise, 0.1),
          seed: p.seed,
        });
        const dropped = withLast(series, (c) => Math.floor(c * factor));
        const kind = evaluateSeries(dropped, { unit: 'day', at: lastStart(series) }).kind;
        return kind === 'drop' || kind === 'silent';
      }),
      { numRuns: 200 },
    );
  });
});

describe('formatBucket', () => {
  test('shows the local day, or the local hour with its offset', () => {
    assert.equal(formatBucket('2026-03-01T18:30:00.000Z', 'day', 330), '2026-03-02');
    assert.equal(formatBucket('2026-03-02T00:00:00.000Z', 'day'), '2026-03-02');
    assert.equal(formatBucket('2026-03-02T14:00:00.000Z', 'hour'), '2026-03-02 14:00Z');
    assert.equal(formatBucket('2026-03-02T14:00:00.000Z', 'hour', 330), '2026-03-02 19:30+05:30');
  });
});

describe('formatCheckTable', () => {
  test('renders findings as an aligned table with a summary', () => {
    const text = formatCheckTable({
      unit: 'day',
      options: resolveDetectOptions(),
      workspaces: ['demo'],
      checkedSeries: 10,
      findings: [
        {
          workspace: 'demo',
          utcOffsetMinutes: 0,
          event: 'Checkout Started',
          kind: 'drop',
          bucketStart: '2026-03-02T00:00:00.000Z',
          count: 120,
          baseline: 1000,
          spread: 30,
          samples: 4,
          periodMs: 7 * DAY,
          changePct: -88,
        },
      ],
    });
    assert.match(text, /^EVENT\s+KIND\s+BUCKET\s+VALUE\s+BASELINE\s+CHANGE$/m);
    assert.match(text, /^Checkout Started\s+drop\s+2026-03-02\s+120\s+1000\s+-88%$/m);
    assert.match(text, /1 anomaly in 10 day series/);
  });
});
