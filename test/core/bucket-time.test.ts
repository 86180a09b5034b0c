import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  ceilToBucket,
  floorToBucket,
  formatIsoInstant,
  parseBucketTime,
  parseIsoInstant,
} from '../../src/api/time.js';

describe('parseBucketTime', () => {
  test('day: YYYY-MM-DD is UTC midnight, or midnight at the configured offset', () => {
    assert.deepEqual(parseBucketTime('2022-12-08', 'day'), new Date('2022-12-08T00:00:00Z'));
    assert.deepEqual(
      parseBucketTime('2022-12-08', 'day', { utcOffsetMinutes: -300 }),
      new Date('2022-12-08T05:00:00Z'),
    );
  });

  test('hour: Z, +00:00, fractional seconds, one-digit and compact offsets', () => {
    const expected = new Date('2022-12-08T05:00:00Z');
    for (const time of [
      '2022-12-08T05:00:00Z',
      '2022-12-08T05:00:00+00:00',
      '2022-12-08T05:00:00.000Z',
      '2022-12-08T05:00:00.000000+00:00',
      '2022-12-08T00:00:00-5:00',
      '2022-12-08T00:00:00-0500',
      '2022-12-08T10:30:00+05:30',
      '2022-12-08T05:00Z',
      '2022-12-08 05:00:00',
    ]) {
      assert.deepEqual(parseBucketTime(time, 'hour'), expected, time);
    }
  });

  test('rejects what is not ISO 8601, naming the value', () => {
    for (const bad of [
      '',
      '2022-13-01',
      '2022-02-30',
      '12/08/2022',
      '2022-12-08T25:00:00Z',
      'x'.repeat(100),
    ]) {
      assert.throws(() => parseBucketTime(bad, 'day'), RangeError, bad);
    }
    assert.throws(() => parseBucketTime('nope', 'hour'), /"nope"/);
  });

  test('property: round-trips every instant formatted as ISO, in any offset form', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offset) => {
          const date = new Date(ms);
          assert.equal(parseIsoInstant(date.toISOString()), ms);
          assert.equal(parseIsoInstant(formatIsoInstant(date)), ms);
          const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const hh = Math.floor(abs / 60);
          const mm = String(abs % 60).padStart(2, '0');
          assert.equal(parseIsoInstant(`${local}${sign}${String(hh).padStart(2, '0')}:${mm}`), ms);
          assert.equal(parseIsoInstant(`${local}${sign}${hh}:${mm}`), ms);
        },
      ),
    );
  });

  test('property: never throws on arbitrary strings (null or a finite instant)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const ms = parseIsoInstant(s);
        assert.ok(ms === null || Number.isFinite(ms));
      }),
    );
  });

  test('floor and ceil align to bucket boundaries', () => {
    const t = Date.parse('2024-03-10T17:45:00Z');
    assert.equal(floorToBucket(t, 'day'), Date.parse('2024-03-10T00:00:00Z'));
    assert.equal(ceilToBucket(t, 'day'), Date.parse('2024-03-11T00:00:00Z'));
    assert.equal(floorToBucket(t, 'hour'), Date.parse('2024-03-10T17:00:00Z'));
    assert.equal(
      ceilToBucket(Date.parse('2024-03-10T17:00:00Z'), 'hour'),
      Date.parse('2024-03-10T17:00:00Z'),
    );
    assert.equal(floorToBucket(t, 'day', 330), Date.parse('2024-03-10T18:30:00Z') - 86_400_000);
  });

  test('formatIsoInstant drops zero milliseconds only', () => {
    assert.equal(formatIsoInstant(new Date('2022-12-09T00:00:00Z')), '2022-12-09T00:00:00Z');
    assert.equal(formatIsoInstant(new Date('2022-12-09T00:00:00.5Z')), '2022-12-09T00:00:00.500Z');
  });
});
