/**
 * seriesCompleteness: Braze's "exactly `length` zero-filled buckets" is inferred, so strict
 * mode must retry (then refuse) an answer with a hole, and lenient mode must pass it through.
 * A tiny real HTTP server stands in for Braze so the hole is exact.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  BrazeResponseShapeError,
  createBrazeClient,
  DEFAULT_SERIES_COMPLETENESS,
} from '../../src/core/index.js';
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
    sleep: async () => {},
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
