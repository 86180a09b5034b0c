import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatBucketTime, parseEndingAt } from '../../src/api/time.js';
import { generateEventNames, TRICKY_EVENT_NAMES } from '../../src/emulator/names.js';
import { createRandom } from '../../src/emulator/prng.js';

describe('parseEndingAt', () => {
  test('documented and seen forms', () => {
    assert.equal(parseEndingAt('2022-12-09', 0), Date.UTC(2022, 11, 9));
    assert.equal(parseEndingAt('2022-12-09', -300), Date.UTC(2022, 11, 9, 5));
    assert.equal(parseEndingAt('2014-12-10T23:59:59-05:00', 0), Date.UTC(2014, 11, 11, 4, 59, 59));
    assert.equal(parseEndingAt('2014-12-10T23:59:59-5:00', 0), Date.UTC(2014, 11, 11, 4, 59, 59));
    assert.equal(parseEndingAt('2014-12-10T23:59:59 05:00', 0), Date.UTC(2014, 11, 10, 18, 59, 59));
    assert.equal(
      parseEndingAt('2014-12-10T23:59:59.5Z', 0),
      Date.UTC(2014, 11, 10, 23, 59, 59, 500),
    );
    assert.equal(parseEndingAt('2014-12-10T23:59', 0), Date.UTC(2014, 11, 10, 23, 59));
    for (const bad of [
      '',
      '2014',
      '2014-12-32',
      '2014-02-29',
      '2014-12-10T24:00:00Z',
      'x2014-12-10',
      '2014-12-10T10:00:00+24:00',
    ]) {
      assert.equal(parseEndingAt(bad, 0), null, bad);
    }
  });

  test('round-trips every ISO instant and never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (d) => {
          assert.equal(parseEndingAt(d.toISOString(), 0), d.getTime());
        },
      ),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        const t = parseEndingAt(s, 0);
        assert.ok(t === null || Number.isFinite(t), s);
      }),
    );
  });

  test('formats hour buckets in each configured form', () => {
    const t = Date.UTC(2026, 10, 26, 13);
    assert.equal(formatBucketTime(t, 'hour', 0, 'z'), '2026-11-26T13:00:00Z');
    assert.equal(formatBucketTime(t, 'hour', 0, 'offset'), '2026-11-26T13:00:00+00:00');
    assert.equal(formatBucketTime(t, 'hour', 0, 'fractional'), '2026-11-26T13:00:00.000Z');
    assert.equal(formatBucketTime(t, 'hour', 330, 'offset'), '2026-11-26T18:30:00+05:30');
    assert.equal(formatBucketTime(t, 'day', -300, 'offset'), '2026-11-26');
  });
});

describe('generateEventNames', () => {
  test('unique, sorted by code unit, tricky names first in, any count', () => {
    for (const count of [0, 5, 612, 3000]) {
      const names = generateEventNames(createRandom(1), count);
      assert.equal(names.length, count);
      assert.equal(new Set(names).size, count);
      assert.deepEqual(names, [...names].sort());
    }
    const names = generateEventNames(createRandom(1), 612);
    for (const tricky of TRICKY_EVENT_NAMES) assert.ok(names.includes(tricky), tricky);
  });
});
