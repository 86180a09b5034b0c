/**
 * The time module's own rules: offsets of real zones, hour alignment under offsets that
 * are not whole hours, the last complete bucket, and the emulator's UTC-aligned hours.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  bucketsBetween,
  ceilToBucket,
  dayShift,
  floorToBucket,
  formatBucketTime,
  isIsoYearInstant,
  isUtcOffsetMinutes,
  lastCompleteBucket,
  parseEndingAt,
  partialCount,
  validateUtcOffsetMinutes,
} from '../../src/api/time.js';
import { EMULATOR_DEFAULT_KEY, startEmulator } from '../../src/emulator/index.js';

const at = (iso: string) => Date.parse(iso);

describe('offsets', () => {
  test('real zones only: -12:00 … +14:00 in quarter hours', () => {
    for (const ok of [-720, -570, 0, 330, 345, 765, 840])
      assert.ok(isUtcOffsetMinutes(ok), String(ok));
    for (const bad of [-735, 855, 1080, 7, 330.5, Number.NaN])
      assert.ok(!isUtcOffsetMinutes(bad), String(bad));
    assert.throws(
      () => validateUtcOffsetMinutes('bucketUtcOffsetMinutes', 1439),
      /^RangeError: bucketUtcOffsetMinutes must be minutes east of UTC from -720 to 840 in steps of 15 \(-12:00 … \+14:00\), got 1439$/,
    );
    // A value with no text form (found by the core property test, seed 1906467290) is
    // still refused naming the option, not with a TypeError from String().
    assert.throws(
      () => validateUtcOffsetMinutes('bucketUtcOffsetMinutes', { toString: [] }),
      /^RangeError: bucketUtcOffsetMinutes must be minutes east of UTC .*, got a value with no text form$/,
    );
  });
});

describe('bucket edges', () => {
  test('days start at local midnight; hours follow local or UTC hours', () => {
    const t = at('2026-03-02T05:10:00Z'); // 10:40 at +05:30
    assert.equal(floorToBucket(t, 'day', 330), at('2026-03-01T18:30:00Z'));
    assert.equal(floorToBucket(t, 'hour', 330), at('2026-03-02T04:30:00Z'));
    assert.equal(
      floorToBucket(t, 'hour', { utcOffsetMinutes: 330, hourBuckets: 'utc' }),
      at('2026-03-02T05:00:00Z'),
    );
    assert.equal(
      ceilToBucket(t, 'hour', { utcOffsetMinutes: 345, hourBuckets: 'local' }),
      at('2026-03-02T05:15:00Z'),
    );
    assert.equal(
      floorToBucket(t, 'day', { utcOffsetMinutes: 330, hourBuckets: 'utc' }),
      at('2026-03-01T18:30:00Z'),
    );
    assert.equal(lastCompleteBucket('day', t, -570), at('2026-02-28T09:30:00Z'));
  });

  test('floor ≤ t < floor + 1 bucket, ceil is the next edge (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.integer({ min: -48, max: 56 }).map((q) => q * 15),
        fc.constantFrom('day' as const, 'hour' as const),
        fc.constantFrom('local' as const, 'utc' as const),
        (t, offset, unit, hourBuckets) => {
          const zone = { utcOffsetMinutes: offset, hourBuckets };
          const f = floorToBucket(t, unit, zone);
          const c = ceilToBucket(t, unit, zone);
          assert.ok(f <= t && t < f + (unit === 'day' ? 864e5 : 36e5));
          assert.ok(c === f ? t === f : bucketsBetween(f, c, unit) === 1);
          assert.equal(lastCompleteBucket(unit, t, zone), floorToBucket(f - 1, unit, zone));
        },
      ),
    );
  });

  test('partialCount: the share of a bucket filling evenly', () => {
    assert.equal(partialCount(100, at('2026-03-02T12:00:00Z'), 'day'), 50);
    assert.equal(partialCount(100, at('2026-03-02T12:00:00Z'), 'day', 330), 72);
  });
});

describe('isIsoYearInstant', () => {
  test('years 0000–9999 only: what a 4-digit ISO year writes', () => {
    assert.equal(isIsoYearInstant(Date.parse('0000-01-01T00:00:00Z')), true);
    assert.equal(isIsoYearInstant(Date.parse('9999-12-31T23:59:59.999Z')), true);
    assert.equal(isIsoYearInstant(Date.parse('0000-01-01T00:00:00Z') - 1), false);
    assert.equal(isIsoYearInstant(Date.parse('+010000-01-01T00:00:00Z')), false);
  });
});

describe('dayShift', () => {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const days = (first: string, n: number) =>
    Array.from({ length: n }, (_, i) => day(first) + i * 86_400_000);
  test('1 or -1 when the answer holds the asked number of days, one day off', () => {
    assert.equal(dayShift(days('2026-07-05', 3), day('2026-07-04'), day('2026-07-07'), 'day'), 1);
    assert.equal(dayShift(days('2026-07-03', 3), day('2026-07-04'), day('2026-07-07'), 'day'), -1);
  });
  test('0 for a hole, a different count, a two-day shift, no shift or hours', () => {
    const from = day('2026-07-04');
    const to = day('2026-07-07');
    const holed = [day('2026-07-05'), day('2026-07-06'), day('2026-07-08')];
    assert.equal(dayShift(holed, from, to, 'day'), 0);
    assert.equal(dayShift(days('2026-07-05', 2), from, to, 'day'), 0);
    assert.equal(dayShift(days('2026-07-06', 3), from, to, 'day'), 0);
    assert.equal(dayShift(days('2026-07-04', 3), from, to, 'day'), 0);
    assert.equal(dayShift([from + 3_600_000], from, from + 3_600_000, 'hour'), 0);
  });
});

describe('wire forms', () => {
  test('hour times at a quarter-hour offset; ending_at with a space for +', () => {
    const start = at('2026-11-26T13:15:00Z');
    assert.equal(formatBucketTime(start, 'hour', 345, 'offset'), '2026-11-26T19:00:00+05:45');
    assert.equal(formatBucketTime(start, 'day', 345, 'offset'), '2026-11-26');
    assert.equal(parseEndingAt('2026-11-26T19:00:00 05:45'), start);
    assert.equal(parseEndingAt('2026-11-26T19:00:00+05:45'), start);
  });
});

describe("the emulator's UTC-aligned hours under +05:30", () => {
  test('each UTC hour holds the halves of two local hours; the totals add up', async () => {
    const data = {
      events: [{ name: 'E', counts: { '2026-11-01T10': 60, '2026-11-01T11': 120 } }],
    };
    const now = at('2026-11-03T00:00:00Z');
    const end = '2026-11-01T07:00:00Z'; // 12:30 at +05:30
    for (const [hourBuckets, want] of [
      ['utc', [30, 90, 60]], // starts 09:30, 10:30, 11:30 local
      ['local', [0, 60, 120]], // starts 09:00, 10:00, 11:00 local; ends before 12:00
    ] as const) {
      const e = await startEmulator({ data, zoneOffsetMinutes: 330, hourBuckets, now: () => now });
      try {
        const ending = hourBuckets === 'utc' ? end : '2026-11-01T06:30:00Z';
        const points = e.groundTruth({ event: 'E', unit: 'hour', length: 3, endingAt: ending });
        assert.deepEqual(
          points.map((p) => p.count),
          want,
          hourBuckets,
        );
        const url = `${e.url}/events/data_series?event=E&unit=hour&length=3&ending_at=${ending}`;
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${EMULATOR_DEFAULT_KEY}` },
        });
        assert.equal(res.status, 200);
      } finally {
        await e.close();
      }
    }
  });
});
