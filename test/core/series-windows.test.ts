import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { UNIT_MS } from '../../src/api/constants.js';
import { planSeriesWindows, seriesWindows } from '../../src/core/series-windows.js';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('planSeriesWindows', () => {
  test('one window for up to 100 buckets; end is the exclusive bucket boundary', () => {
    assert.deepEqual(
      planSeriesWindows({ unit: 'day', since: day('2024-01-01'), until: day('2024-01-31') }),
      [{ start: day('2024-01-01'), end: day('2024-01-31'), length: 30 }],
    );
    const hundred = planSeriesWindows({
      unit: 'day',
      since: day('2024-01-01'),
      until: day('2024-04-10'),
    });
    assert.deepEqual(hundred, [{ start: day('2024-01-01'), end: day('2024-04-10'), length: 100 }]);
  });

  test('101 buckets take two windows whose edges touch', () => {
    const windows = planSeriesWindows({
      unit: 'day',
      since: day('2024-01-01'),
      until: day('2024-04-11'),
    });
    assert.deepEqual(windows, [
      { start: day('2024-01-01'), end: day('2024-04-10'), length: 100 },
      { start: day('2024-04-10'), end: day('2024-04-11'), length: 1 },
    ]);
  });

  test('since inside a bucket includes it; until inside a bucket includes that bucket', () => {
    const windows = planSeriesWindows({
      unit: 'hour',
      since: new Date('2024-01-01T10:30:00Z'),
      until: new Date('2024-01-01T12:00:00.001Z'),
    });
    assert.deepEqual(windows, [
      { start: new Date('2024-01-01T10:00:00Z'), end: new Date('2024-01-01T13:00:00Z'), length: 3 },
    ]);
  });

  test('seriesWindows makes windows as iterated: a 2.4-billion-hour range yields its first at once', () => {
    // Planned eagerly, this range (the earliest Date to 1970, hourly) ran out of heap.
    const since = new Date(-8.64e15);
    const windows = seriesWindows({ unit: 'hour', since, until: new Date(0) });
    const first = windows[Symbol.iterator]().next();
    assert.equal(first.done, false);
    assert.deepEqual(first.value, {
      start: since,
      end: new Date(since.getTime() + 100 * UNIT_MS.hour),
      length: 100,
    });
    // Options are still checked when the plan is made, not when it is first iterated.
    assert.throws(
      () => seriesWindows({ unit: 'day', since: day('2024-01-02'), until: day('2024-01-01') }),
      RangeError,
    );
  });

  test('an empty range plans nothing; since after until is a RangeError', () => {
    assert.deepEqual(
      planSeriesWindows({ unit: 'day', since: day('2024-01-01'), until: day('2024-01-01') }),
      [],
    );
    assert.throws(
      () => planSeriesWindows({ unit: 'day', since: day('2024-01-02'), until: day('2024-01-01') }),
      RangeError,
    );
  });

  test('day buckets follow a configured zone offset', () => {
    const [w] = planSeriesWindows({
      unit: 'day',
      since: new Date('2024-01-01T12:00:00Z'),
      until: new Date('2024-01-02T12:00:00Z'),
      utcOffsetMinutes: -300,
    });
    assert.deepEqual(w, {
      start: new Date('2024-01-01T05:00:00Z'),
      end: new Date('2024-01-03T05:00:00Z'),
      length: 2,
    });
  });

  test('property: fewest windows, each ≤ 100, contiguous, covering exactly the buckets', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('day' as const, 'hour' as const),
        fc.integer({ min: 0, max: 2_000_000_000_000 }),
        fc.integer({ min: 0, max: 400 * 86_400_000 }),
        fc.constantFrom(0, 60, -300, 330),
        (unit, since, span, offset) => {
          const size = UNIT_MS[unit];
          const windows = planSeriesWindows({
            unit,
            since: new Date(since),
            until: new Date(since + span),
            utcOffsetMinutes: offset,
          });
          const shift = offset * 60_000;
          const first = Math.floor((since + shift) / size) * size - shift;
          const end = Math.ceil((since + span + shift) / size) * size - shift;
          const total = (end - first) / size;
          assert.equal(windows.length, Math.ceil(total / 100));
          let cursor = first;
          for (const w of windows) {
            assert.equal(w.start.getTime(), cursor);
            assert.ok(w.length >= 1 && w.length <= 100);
            assert.equal(w.end.getTime() - w.start.getTime(), w.length * size);
            cursor = w.end.getTime();
          }
          assert.equal(windows.length === 0 ? end : cursor, end);
        },
      ),
    );
  });
});
