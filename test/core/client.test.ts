/**
 * Acceptance of the client against the project's Braze emulator over real HTTP on port 0,
 * asserting what reached the server (the emulator's request log), not only the results.
 * Time is a fake clock shared by the emulator and the client: sleeps are recorded, not slept.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { UNIT_MS } from '../../src/api/constants.js';
import { createBrazeClient } from '../../src/core/client.js';
import {
  isBrazeAuthError,
  isBrazeHttpError,
  isBrazeResponseShapeError,
  isBrazeTimeoutError,
} from '../../src/core/errors.js';
import { planSeriesWindows } from '../../src/core/series-windows.js';
import type { BrazeClientOptions, NormalizedBucket } from '../../src/core/types.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { recordingLogger, TEST_KEY } from './helpers.js';

const emulators: Emulator[] = [];
after(() => Promise.all(emulators.map((e) => e.close())));

/** Every error message and log line of this file, grepped for the key at the end. */
const outputs: string[] = [];
const logger = recordingLogger();

function harness(start: number, options: EmulatorOptions = {}) {
  const time = createVirtualClock(start);
  return {
    sleeps: time.sleeps,
    time,
    async start() {
      const emulator = await startEmulator({
        seed: 7,
        keys: [{ key: TEST_KEY }],
        now: time.now,
        port: 0,
        ...options,
      });
      emulators.push(emulator);
      return emulator;
    },
    client(emulator: Emulator, extra: Partial<BrazeClientOptions> = {}) {
      return createBrazeClient({
        apiKey: TEST_KEY,
        endpoint: emulator.url,
        logger,
        random: () => 0.5,
        now: time.now,
        sleep: time.sleep,
        ...extra,
      });
    },
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  outputs.push(
    String((error as Error).message),
    String((error as Error).stack),
    inspect(error),
    JSON.stringify(error),
  );
  return error;
}

const NOON = Date.UTC(2026, 10, 26, 12, 0);

describe('client against the emulator', () => {
  test('612 events: all names in order, exactly 3 requests (pages 0, 1, 2)', async () => {
    const h = harness(NOON, { events: 612 });
    const emulator = await h.start();
    const names = await collect(h.client(emulator).eventNames());
    assert.equal(names.length, 612);
    assert.deepEqual(names, emulator.eventNames());
    const log = emulator.requests();
    assert.deepEqual(
      log.map((r) => [r.path, r.query.page, r.status]),
      [
        ['/events/list', '0', 200],
        ['/events/list', '1', 200],
        ['/events/list', '2', 200],
      ],
    );
    assert.equal(log[0]?.headers.authorization?.includes(TEST_KEY), false);
    assert.match(log[0]?.headers['user-agent'] ?? '', /^braze-events\/\d/);
  });

  test('250 names take 2 requests, the second empty; break stops fetching', async () => {
    const h = harness(NOON, { events: 250 });
    const emulator = await h.start();
    const client = h.client(emulator);
    assert.equal((await collect(client.eventNames())).length, 250);
    assert.deepEqual(
      emulator.requests().map((r) => r.query.page),
      ['0', '1'],
    );
    emulator.clearRequests();
    for await (const _ of client.eventNames()) break;
    assert.equal(emulator.requests().length, 1);
    emulator.clearRequests();
    assert.equal((await collect(client.eventNames({ startPage: 1 }))).length, 0);
    assert.deepEqual((await client.listEventNames({ page: 0 })).page, 0);
  });

  test('events() pages through the Link header', async () => {
    const h = harness(NOON, { events: 120 });
    const emulator = await h.start();
    const events = await collect(h.client(emulator).events());
    assert.deepEqual(
      events.map((e) => e.name),
      emulator.events().map((e) => e.name),
    );
    assert.equal(emulator.requests().length, 3);
    assert.equal(typeof events[0]?.includedInAnalyticsReport, 'boolean');
  });

  test('a tricky name round-trips through getEventSeries', async () => {
    const name = 'Café & "Crème" 50%/off ✓';
    const h = harness(NOON, {
      data: { events: [{ name, counts: { '2026-11-20': 5, '2026-11-21': 7, '2026-11-25': 2 } }] },
    });
    const emulator = await h.start();
    const result = await h.client(emulator).getEventSeries({
      event: name,
      length: 7,
      unit: 'day',
      endingAt: '2026-11-26',
    });
    const [request] = emulator.requests();
    assert.equal(request?.status, 200);
    assert.deepEqual(request?.query, {
      event: name,
      length: '7',
      unit: 'day',
      ending_at: '2026-11-26',
    });
    assert.deepEqual(
      result.data,
      emulator.groundTruth({ event: name, length: 7, unit: 'day', endingAt: '2026-11-26' }),
    );
    assert.equal(
      result.data.reduce((sum, p) => sum + p.count, 0),
      14,
    );
  });

  for (const unit of ['day', 'hour'] as const) {
    test(`eventSeries (${unit}): fewest requests, each bucket once, ascending, no gap at edges`, async () => {
      const h = harness(NOON);
      const emulator = await h.start();
      const event = emulator.eventNames()[0] ?? assert.fail('no events');
      const size = UNIT_MS[unit];
      const until = new Date(NOON - 3 * size);
      const since = new Date(until.getTime() - 250 * size + size / 2);
      const buckets: NormalizedBucket[] = await collect(
        h.client(emulator).eventSeries({ event, unit, since, until }),
      );
      const windows = planSeriesWindows({ unit, since, until });
      assert.deepEqual(
        windows.map((w) => w.length),
        [100, 100, 50],
      );
      const log = emulator.requests();
      assert.deepEqual(
        log.map((r) => [r.query.length, r.query.ending_at, r.query.unit]),
        windows.map((w) => [String(w.length), w.end.toISOString().replace('.000Z', 'Z'), unit]),
      );
      const truth = windows.flatMap((w) =>
        emulator.groundTruth({ event, unit, length: w.length, endingAt: w.end }),
      );
      assert.deepEqual(
        buckets.map(({ time, count }) => ({ time, count })),
        truth,
      );
      assert.equal(buckets.length, 250);
      assert.equal(buckets[0]?.bucketStart.getTime(), windows[0]?.start.getTime());
      for (let i = 1; i < buckets.length; i++) {
        assert.equal(
          buckets[i]!.bucketStart.getTime() - buckets[i - 1]!.bucketStart.getTime(),
          size,
        );
      }
      emulator.clearRequests();
      let seen = 0;
      for await (const _ of h.client(emulator).eventSeries({ event, unit, since, until })) {
        if (++seen === 100) break;
      }
      assert.equal(emulator.requests().length, 1);
    });
  }

  test('eventSeries from year 1000, hourly: the first window is sent at once, the rest planned as needed', async () => {
    // 9 million hourly buckets: planning them all before the first request ran out of heap.
    const h = harness(NOON);
    const emulator = await h.start();
    const event = emulator.eventNames()[0] ?? assert.fail('no events');
    const since = new Date('1000-01-01T00:00:00Z');
    for await (const bucket of h.client(emulator).eventSeries({ event, unit: 'hour', since })) {
      assert.equal(bucket.bucketStart.getTime(), since.getTime());
      break;
    }
    const sent = emulator.requests();
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.query.length, '100');
  });

  test('eventSeries without until ends with the current bucket; a future until is clamped', async () => {
    const now = NOON + 20 * 60_000;
    const h = harness(now);
    const emulator = await h.start();
    const event = emulator.eventNames()[0] ?? '';
    const since = new Date(NOON - 5 * 3_600_000);
    const client = h.client(emulator);
    const current = await collect(client.eventSeries({ event, unit: 'hour', since }));
    const future = await collect(
      client.eventSeries({ event, unit: 'hour', since, until: new Date(now + 86_400_000) }),
    );
    assert.equal(current.length, 6);
    assert.deepEqual(current.at(-1)?.bucketStart, new Date(NOON));
    assert.deepEqual(future, current);
    // Never a future ending_at (issue 15): the current bucket is asked for up to now.
    assert.deepEqual(
      emulator.requests().map((r) => r.query.ending_at),
      ['2026-11-26T12:20:00Z', '2026-11-26T12:20:00Z'],
    );
    assert.deepEqual(
      await collect(
        client.eventSeries({
          event,
          unit: 'hour',
          since: new Date(now + 7_200_000),
          until: new Date(now + 9_000_000),
        }),
      ),
      [],
    );
    assert.throws(
      () => client.eventSeries({ event, since: new Date(now + 7_200_000) }),
      /since .* must not be after until/,
    );
    assert.equal(emulator.requests().length, 2);
  });

  test('429 with x-ratelimit-reset 2 s ahead: exactly one retry, not before the reset', async () => {
    const h = harness(Date.UTC(2026, 10, 26, 12, 59, 58), { rateLimits: { listing: 3 } });
    const emulator = await h.start();
    // Another integration of the workspace spends the shared budget first.
    const other = h.client(emulator);
    for (let page = 0; page < 3; page++) await other.listEventNames({ page });
    emulator.clearRequests();
    h.sleeps.length = 0;
    const client = h.client(emulator);
    const result = await client.listEventNames();
    const log = emulator.requests();
    assert.deepEqual(
      log.map((r) => r.status),
      [429, 200],
    );
    assert.deepEqual(h.sleeps, [2000]);
    assert.ok((log[1]?.at ?? 0) >= Date.UTC(2026, 10, 26, 13, 0));
    assert.equal(result.rateLimit.remaining, 2);
    assert.deepEqual(client.stats(), { requests: 2, retries: 1, rateLimited: 1, waitedMs: 2000 });
  });

  test('pacing: a long series spends each window up to the limit and sees no 429', async () => {
    const hourMs = 3_600_000;
    const h = harness(NOON + 30 * 60_000, { rateLimits: { dataSeries: 4 } });
    const emulator = await h.start();
    const event = emulator.eventNames()[1] ?? assert.fail('no events');
    const client = h.client(emulator, { maxConcurrency: 3 });
    const buckets = await collect(
      client.eventSeries({
        event,
        unit: 'hour',
        since: new Date(NOON - 1000 * hourMs),
        until: new Date(NOON),
      }),
    );
    assert.equal(buckets.length, 1000);
    const statuses = emulator.requests().map((r) => r.status);
    assert.deepEqual(statuses, Array(10).fill(200));
    // 10 requests at 4 per window: two waits, each exactly to the top of the next hour.
    assert.deepEqual(h.sleeps, [30 * 60_000, hourMs]);
  });

  test('maxShareOfLimit leaves the rest of the window to other integrations', async () => {
    const h = harness(NOON, { rateLimits: { listing: 4 } });
    const emulator = await h.start();
    const client = h.client(emulator, { maxShareOfLimit: 0.5 });
    for (let page = 0; page < 3; page++) await client.listEventNames({ page });
    assert.deepEqual(h.sleeps, [3_600_000]);
    assert.deepEqual(
      emulator.requests().map((r) => r.status),
      [200, 200, 200],
    );
  });

  test('three 503s then a 200 succeed', async () => {
    const h = harness(NOON);
    const emulator = await h.start();
    emulator.addFault({ kind: '503', route: 'dataSeries', count: 3 });
    const event = emulator.eventNames()[0] ?? '';
    const result = await h.client(emulator).getEventSeries({ event, length: 3 });
    assert.equal(result.data.length, 3);
    assert.deepEqual(
      emulator.requests().map((r) => r.status),
      [503, 503, 503, 200],
    );
    assert.equal(h.sleeps.length, 3);
    assert.ok(h.sleeps[0]! < h.sleeps[1]! && h.sleeps[1]! < h.sleeps[2]!);
  });

  test('a hung response ends in a timeout error after timeoutMs', async () => {
    const h = harness(NOON);
    const emulator = await h.start();
    emulator.addFault({ kind: 'hang', count: 1 });
    const started = performance.now();
    const error = await failure(
      h.client(emulator, { timeoutMs: 200, maxRetries: 0 }).listEventNames(),
    );
    assert.ok(isBrazeTimeoutError(error));
    assert.ok(performance.now() - started >= 190);
    assert.equal(emulator.requests().length, 1);
  });

  test('faults are survived: reset, 502 HTML, 202 queued, bodies that are not JSON', async () => {
    const h = harness(NOON);
    const emulator = await h.start();
    for (const kind of ['reset', '502', '202', '504'] as const)
      emulator.addFault({ kind, count: 1 });
    const names = await collect(h.client(emulator).eventNames());
    assert.equal(names.length, emulator.eventNames().length);
    for (const kind of ['truncated', 'invalid-json', 'html', 'content-type'] as const) {
      emulator.addFault({ kind, count: 1 });
    }
    emulator.clearRequests();
    assert.equal((await collect(h.client(emulator).eventNames())).length, names.length);
    assert.deepEqual(
      emulator.requests().map((r) => r.fault ?? r.status),
      ['truncated', 'invalid-json', 'html', 'content-type', 200, 200],
    );
    emulator.addFault({ kind: 'truncated', count: 1 });
    const error = await failure(h.client(emulator, { maxRetries: 0 }).listEventNames());
    assert.ok(isBrazeResponseShapeError(error) && error.transient);
  });

  test('invalid inputs send zero requests', async () => {
    const h = harness(NOON);
    const emulator = await h.start();
    const client = h.client(emulator);
    const bad: Array<() => unknown> = [
      () => client.getEventSeries({ event: '', length: 5 }),
      () => client.getEventSeries({ length: 5 } as never),
      () => client.getEventSeries({ event: 'x', length: 0 }),
      () => client.getEventSeries({ event: 'x', length: 101 }),
      () => client.getEventSeries({ event: 'x', length: 2.5 }),
      () => client.getEventSeries({ event: 'x', length: 5, unit: 'week' as never }),
      () => client.getEventSeries({ event: 'x', length: 5, endingAt: 'last tuesday' }),
      () => client.eventSeries({ event: 'x', since: '2026-02-01', until: '2026-01-01' }),
      () => client.eventSeries({ event: 'x', since: 'soon' }),
      () => client.listEventNames({ page: -1 }),
      () => client.listEventNames({ page: 1.5 }),
      () => client.eventNames({ startPage: -2 }),
      () => client.eventNames({ maxItems: -1 }),
      () => client.events({ maxItems: 0.5 }),
    ];
    for (const call of bad) {
      const error = await (async () => call())().then(
        () => assert.fail(`accepted: ${call}`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof TypeError || error instanceof RangeError, String(error));
      outputs.push((error as Error).message);
    }
    assert.match(outputs.at(-1) ?? '', /maxItems.*0\.5/);
    assert.equal(emulator.requests().length, 0);
  });

  test('a wrong key gets a 401 whose echo of the key is redacted; the key never leaks', async () => {
    const h = harness(NOON);
    const emulator = await h.start();
    const wrong = `${TEST_KEY}-wrong`;
    const client = h.client(emulator, { apiKey: wrong });
    const error = await failure(client.listEventNames());
    assert.ok(isBrazeAuthError(error) && error.status === 401);
    assert.equal(emulator.requests().length, 1);
    assert.ok(isBrazeHttpError(error) && error.rateLimit.remaining === null);
    outputs.push(JSON.stringify(client), inspect(client, { depth: 10, showHidden: true }));
    const good = h.client(emulator);
    outputs.push(JSON.stringify(good), inspect(good, { depth: 10, showHidden: true }));
  });

  test('no output of this suite contains the key', () => {
    const all = [...outputs, ...logger.lines];
    assert.ok(all.length > 20);
    assert.ok(logger.lines.some((l) => l.startsWith('warn ')));
    for (const text of all) assert.ok(!text.includes(TEST_KEY), text);
  });
});
