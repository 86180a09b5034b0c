import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  MAX_SPARK_POINTS,
  parseInstant,
  previousRange,
  resolveRange,
  sparkBinMs,
} from '../../src/dashboard/index.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ANCHOR = Date.parse('2026-03-04T00:00:00Z');

describe('dashboard ranges', () => {
  test('defaults: 30 days of days, 4 days of hours, ending at the anchor', () => {
    assert.deepEqual(resolveRange({}, 'day', ANCHOR), { from: ANCHOR - 30 * DAY, to: ANCHOR });
    assert.deepEqual(resolveRange({}, 'hour', ANCHOR + 10 * HOUR), {
      from: ANCHOR + 10 * HOUR - 4 * DAY,
      to: ANCHOR + 10 * HOUR,
    });
  });

  test('from/to snap to bucket starts; to is exclusive', () => {
    assert.deepEqual(
      resolveRange({ from: '2026-02-01', to: '2026-02-08T13:00:00Z' }, 'day', ANCHOR),
      {
        from: Date.parse('2026-02-01T00:00:00Z'),
        to: Date.parse('2026-02-08T00:00:00Z'),
      },
    );
  });

  test('bad ranges are RangeErrors naming the parameter', () => {
    assert.throws(() => resolveRange({ days: '0' }, 'day', ANCHOR), /days must be an integer/);
    assert.throws(() => resolveRange({ days: '2.5' }, 'day', ANCHOR), /days/);
    assert.throws(
      () => resolveRange({ from: '2026-03-02', to: '2026-03-01' }, 'day', ANCHOR),
      /before/,
    );
    assert.throws(() => resolveRange({ from: '2000-01-01' }, 'day', ANCHOR), /at most/);
    assert.throws(() => parseInstant('to', 'tomorrow'), /to must be a date/);
  });

  test('previous period has the same length, just before', () => {
    assert.deepEqual(previousRange({ from: 10, to: 30 }), { from: -10, to: 10 });
  });

  test('sparkline bins: buckets, whole weeks, or a divisor of a day', () => {
    assert.equal(sparkBinMs({ from: 0, to: 30 * DAY }, 'day'), DAY);
    assert.equal(sparkBinMs({ from: 0, to: 365 * DAY }, 'day'), 7 * DAY);
    assert.equal(sparkBinMs({ from: 0, to: 4 * DAY }, 'hour'), 2 * HOUR);
    assert.equal(sparkBinMs({ from: 0, to: 30 * DAY }, 'hour'), 12 * HOUR);
  });

  test('any accepted range gives at most 62 sparkline points (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 * 366 }),
        fc.constantFrom('day', 'hour'),
        (days, unit) => {
          const range = resolveRange({ days: String(days) }, unit as 'day' | 'hour', ANCHOR);
          return (
            Math.floor((range.to - range.from) / sparkBinMs(range, unit as 'day' | 'hour')) <=
            MAX_SPARK_POINTS
          );
        },
      ),
    );
  });
});
