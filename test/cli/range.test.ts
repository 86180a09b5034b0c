import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { UsageError } from '../../src/cli/errors.js';
import { parseDateFlag, resolveRange } from '../../src/cli/range.js';

const NOW = new Date('2026-11-27T10:30:00Z');

describe('range flags', () => {
  test('no flag: the last 30 days, or 24 hours', () => {
    assert.deepEqual(resolveRange({}, NOW), { kind: 'length', unit: 'day', length: 30 });
    assert.deepEqual(resolveRange({ unit: 'hour' }, NOW), {
      kind: 'length',
      unit: 'hour',
      length: 24,
    });
  });

  test('--length with --ending-at', () => {
    assert.deepEqual(resolveRange({ length: 7, endingAt: '2026-11-01' }, NOW), {
      kind: 'length',
      unit: 'day',
      length: 7,
      endingAt: '2026-11-01',
    });
  });

  test('--since/--until, dates, datetimes and ages', () => {
    assert.deepEqual(resolveRange({ since: '2026-10-01', until: '2026-11-01T00:00:00Z' }, NOW), {
      kind: 'since',
      unit: 'day',
      since: '2026-10-01',
      until: '2026-11-01T00:00:00Z',
    });
    assert.equal(parseDateFlag('--since', '7d', NOW), '2026-11-20T10:30:00.000Z');
    assert.equal(parseDateFlag('--since', '48h', NOW), '2026-11-25T10:30:00.000Z');
    assert.equal(parseDateFlag('--since', '2w', NOW), '2026-11-13T10:30:00.000Z');
    assert.equal(
      parseDateFlag('--since', '2014-12-10T23:59:59-05:00', NOW),
      '2014-12-10T23:59:59-05:00',
    );
  });

  test('bad combinations and values are usage errors naming the flag', () => {
    const cases: [Parameters<typeof resolveRange>[0], RegExp][] = [
      [{ until: '2026-11-01' }, /--until needs --since/],
      [{ since: '2026-11-01', until: '2026-10-01' }, /--since .* must be before --until/],
      [{ since: '2027-01-01' }, /in the future/],
      [{ since: '2026-02-31' }, /--since must be an ISO 8601 date/],
      [{ since: 'yesterday' }, /--since must be .*"yesterday"/],
      [{ length: 3, endingAt: 'soon' }, /--ending-at must be/],
      [{ since: '2026-11-01', endingAt: '2026-11-02' }, /--ending-at goes with --length/],
      [{ unit: 'week' }, /--unit must be one of day, hour, got "week"/],
    ];
    for (const [flags, re] of cases) {
      assert.throws(
        () => resolveRange(flags, NOW),
        (e: unknown) => e instanceof UsageError && re.test(e.message),
        JSON.stringify(flags),
      );
    }
  });

  test('property: any string either parses to a valid date or is a UsageError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          const v = parseDateFlag('--since', s, NOW);
          assert.ok(Number.isFinite(Date.parse(v)), v);
        } catch (e) {
          assert.ok(e instanceof UsageError);
          assert.match(e.message, /^--since must be/);
        }
      }),
    );
  });
});
