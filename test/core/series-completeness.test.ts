/**
 * seriesCompleteness: Braze's "exactly `length` zero-filled buckets" is inferred, so strict
 * mode must retry (then refuse) an answer with a hole, and lenient mode must pass it through.
 * A tiny real HTTP server stands in for Braze so the hole is exact; the emulator, for
 * answers on another zone's hour edges, which are refused at once.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import { dayShiftProblem } from '../../src/core/data-series.js';
import { DEFAULT_SERIES_COMPLETENESS } from '../../src/core/defaults.js';
import { BrazeResponseShapeError } from '../../src/core/errors.js';
import { EMULATOR_DEFAULT_KEY, startEmulator } from '../../src/emulator/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { TEST_KEY } from './helpers.js';

const DAY = 86_400_000;
const END = Date.UTC(2026, 0, 11);
/** Days before END, oldest first; `hole` leaves one out. */
const days = (n: number, hole?: number) =>
  Array.from({ length: n }, (_, i) => ({
    time: new Date(END - (n - i) * DAY).toISOString().slice(0, 10),
    count: i,
  })).filter((_, i) => i !== hole);

let server: Server;
let url = '';
/** Requests with a hole still to serve before complete answers. */
let holesLeft = 0;

before(async () => {
  server = createServer((req, res) => {
    const length = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('length'));
    const hole = holesLeft > 0 ? 1 : undefined;
    if (holesLeft > 0) holesLeft--;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ message: 'success', data: days(length, hole) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (mode?: 'strict' | 'lenient') =>
  createBrazeClient({
    apiKey: TEST_KEY,
    endpoint: url,
    maxRetries: 2,
    sleep: createVirtualClock().sleep,
    ...(mode ? { seriesCompleteness: mode } : {}),
  });
const ask = { event: 'e', length: 5, unit: 'day', endingAt: new Date(END) } as const;

describe('seriesCompleteness', () => {
  test('defaults to strict', () => assert.equal(DEFAULT_SERIES_COMPLETENESS, 'strict'));

  test('strict retries an answer with a missing bucket, then gets the whole series', async () => {
    holesLeft = 1;
    const c = client();
    const { data } = await c.getEventSeries(ask);
    assert.equal(data.length, 5);
    assert.equal(c.stats().retries, 1);
  });

  test('strict refuses a hole that persists past the retries', async () => {
    holesLeft = 10;
    await assert.rejects(client('strict').getEventSeries(ask), (e: unknown) => {
      assert.ok(e instanceof BrazeResponseShapeError);
      assert.equal(e.transient, true);
      assert.match(e.message, /expected 5 buckets, got 4/);
      return true;
    });
    holesLeft = 0;
  });

  test('strict eventSeries never yields a series with a hole', async () => {
    holesLeft = 10;
    const run = async () => {
      for await (const _ of client('strict').eventSeries({
        event: 'e',
        unit: 'day',
        since: new Date(END - 5 * DAY),
        until: new Date(END),
      })) {
        // drain
      }
    };
    await assert.rejects(run, BrazeResponseShapeError);
    holesLeft = 0;
  });

  test('lenient passes the answer through as it came', async () => {
    holesLeft = 1;
    const c = client('lenient');
    const { data } = await c.getEventSeries(ask);
    assert.equal(data.length, 4);
    assert.equal(c.stats().retries, 0);
  });

  test('any other value is a RangeError naming the option', () => {
    assert.throws(
      () => client('loose' as never),
      (e: unknown) => e instanceof RangeError && /seriesCompleteness/.test(e.message),
    );
  });
});

describe('bucket edges', () => {
  test("an answer off the client's hour edges is refused at once (strict), by getEventSeries and eventSeries", async () => {
    // Braze (here the emulator) on UTC hours at +05:30, the client on local hours: the
    // buckets are adjacent and complete, but every start is 30 minutes off the client's.
    const now = Date.UTC(2026, 5, 15, 13, 30, 7);
    const emulator = await startEmulator({
      seed: 3,
      events: 1,
      port: 0,
      now: () => now,
      zoneOffsetMinutes: 330,
      hourBuckets: 'utc',
    });
    try {
      const zoned = (seriesCompleteness: 'strict' | 'lenient') => {
        const time = createVirtualClock(now);
        return createBrazeClient({
          apiKey: EMULATOR_DEFAULT_KEY,
          endpoint: emulator.url,
          now: time.now,
          sleep: time.sleep,
          maxRetries: 3,
          bucketUtcOffsetMinutes: 330,
          hourBuckets: 'local',
          seriesCompleteness,
        });
      };
      const c = zoned('strict');
      const event = emulator.eventNames()[0]!;
      const refused = (e: unknown) => {
        assert.ok(e instanceof BrazeResponseShapeError, String(e));
        assert.equal(e.transient, false);
        assert.match(
          e.message,
          /data\[0\]\.time "[^"]+T\d\d:30:00\+05:30" is not on the hour edges of UTC\+05:30 \(local hours\)/,
        );
        return true;
      };
      emulator.clearRequests();
      await assert.rejects(c.getEventSeries({ event, unit: 'hour', length: 24 }), refused);
      assert.equal(emulator.requests().length, 1, 'not retried: every retry gets the same');
      // eventSeries refuses the first answer before yielding a bucket; lenient tolerates
      // holes, not another zone (the bucket starts it computes would all be shifted).
      for (const client of [c, zoned('lenient')]) {
        emulator.clearRequests();
        await assert.rejects(async () => {
          for await (const _ of client.eventSeries({
            event,
            unit: 'hour',
            since: new Date(now - 5 * 3_600_000),
          })) {
            // not reached
          }
        }, refused);
        assert.equal(emulator.requests().length, 1);
      }
      // Days are on the zone's edges whatever the hour alignment: they pass.
      const { data } = await c.getEventSeries({ event, unit: 'day', length: 3 });
      assert.equal(data.length, 3);
    } finally {
      await emulator.close();
    }
  });
});

describe('dayShiftProblem', () => {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const days = (first: string, n: number) =>
    Array.from({ length: n }, (_, i) => day(first) + i * 86_400_000);
  test('names the offset, and carries it as the remedy, when the days are one off', () => {
    const later = dayShiftProblem(
      days('2026-07-05', 3),
      day('2026-07-04'),
      day('2026-07-07'),
      'day',
      0,
    );
    assert.equal(
      later.hint,
      "; its days are 1 day later than asked: Braze's day buckets may be at another UTC offset than bucketUtcOffsetMinutes 0 (UTC+00:00)",
    );
    assert.deepEqual(later.remedy, { option: 'bucketUtcOffsetMinutes', value: 0 });
    assert.match(
      dayShiftProblem(days('2026-07-03', 3), day('2026-07-04'), day('2026-07-07'), 'day', -300)
        .hint,
      /1 day earlier than asked: .*bucketUtcOffsetMinutes -300 \(UTC-05:00\)$/,
    );
  });
  test('nothing when the days are not shifted', () => {
    const none = dayShiftProblem(
      days('2026-07-04', 3),
      day('2026-07-04'),
      day('2026-07-07'),
      'day',
      0,
    );
    assert.deepEqual(none, { hint: '' });
  });
});
