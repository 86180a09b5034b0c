/**
 * Rate limits as Braze and its edge give them (issue 15, item 1): the answer in hand is the
 * freshest truth about its window. Over real HTTP with a fake clock shared by the server
 * and the client; sleeps are recorded, not slept.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import { errorFromResponse } from '../../src/core/errors.js';
import { parseRateLimit } from '../../src/core/rate-limit.js';
import { retryDelay } from '../../src/core/retry.js';
import type { RateLimitState } from '../../src/core/types.js';
import { createVirtualClock } from '../helpers/clock.js';
import { type Handler, testServers } from '../helpers/http-server.js';
import { TEST_KEY } from './helpers.js';

const serve = testServers();
/** 12:10:00 UTC: the top of the hour is 50 minutes away. */
const T0 = Date.UTC(2026, 10, 29, 12, 10, 0);
const TOP_OF_HOUR = Date.UTC(2026, 10, 29, 13, 0, 0);

const seconds = (ms: number) => String(Math.floor(ms / 1000));
const ok = (res: ServerResponse, headers: Record<string, string>) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ message: 'success', events: ['a'] }));
};
const html429 = (res: ServerResponse, headers: Record<string, string>) => {
  res.writeHead(429, { 'content-type': 'text/html', server: 'cloudflare', ...headers });
  res.end('<html><head><title>429 Too Many Requests</title></head><body>Too Many</body></html>');
};

async function run(handler: (index: number, now: number, res: ServerResponse) => void) {
  const t = createVirtualClock(T0);
  const h: Handler = (_req, res, index) => handler(index, t.now(), res);
  const server = await serve(h);
  const client = createBrazeClient({
    apiKey: TEST_KEY,
    endpoint: server.url,
    now: t.now,
    sleep: t.sleep,
    random: () => 0.5,
  });
  return { client, server, time: t };
}

const hourly = (now: number, remaining: number) => ({
  'x-ratelimit-limit': '1000',
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': seconds(TOP_OF_HOUR),
  date: new Date(now).toUTCString(),
});

describe('a 429 decides its own wait', () => {
  test('the window was believed to end at the top of the hour; a 429 says reset in 1 s: retried within 2 s', async () => {
    const { client, server, time } = await run((i, now, res) => {
      if (i === 0) return ok(res, hourly(now, 1));
      if (i === 1) {
        res.writeHead(429, {
          'content-type': 'application/json',
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': seconds(now + 1000),
        });
        return res.end('{"message":"Rate Limited"}');
      }
      return ok(res, hourly(now, 990));
    });
    await client.listEventNames();
    const started = time.now();
    await client.listEventNames({ page: 1 });
    assert.equal(server.requests.length, 3);
    assert.ok(time.now() - started <= 2000, `waited ${time.now() - started} ms: ${time.sleeps}`);
    assert.ok(time.now() - started >= 1000, 'the 429 said 1 s: not sooner');
  });

  test('a 429 that says the window ends later than believed is believed too', async () => {
    const later = TOP_OF_HOUR + 5 * 60_000;
    const { client, server, time } = await run((i, now, res) => {
      if (i === 0) return ok(res, hourly(now, 500));
      if (i === 1) {
        res.writeHead(429, {
          'x-ratelimit-limit': '1000',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': seconds(later),
        });
        return res.end('{"message":"Rate Limited"}');
      }
      return ok(res, hourly(now, 999));
    });
    await client.listEventNames();
    await client.listEventNames();
    assert.equal(server.requests.length, 3);
    assert.equal(time.now(), later);
  });

  test('an edge proxy 429 (HTML, Retry-After: 1, no Braze headers) waits 1 s, not the window', async () => {
    const { client, server, time } = await run((i, now, res) => {
      if (i === 0) return ok(res, hourly(now, 1));
      if (i === 1) return html429(res, { 'retry-after': '1' });
      return ok(res, hourly(now, 990));
    });
    await client.listEventNames();
    const started = time.now();
    await client.listEventNames();
    assert.equal(server.requests.length, 3);
    assert.deepEqual(time.sleeps, [1000]);
    assert.equal(time.now() - started, 1000);
  });

  test('an edge 429 with nothing to go by backs off exponentially, bounded, never to the window end', async () => {
    const { client, server, time } = await run((i, now, res) => {
      if (i === 0) return ok(res, hourly(now, 1));
      if (i < 4) return html429(res, {});
      return ok(res, hourly(now, 990));
    });
    await client.listEventNames();
    await client.listEventNames();
    assert.equal(server.requests.length, 5);
    // random 0.5 → three quarters of base·2^n: 375, 750, 1500.
    assert.deepEqual(time.sleeps, [375, 750, 1500]);
  });

  test('a 429 that reports budget left is transient: backoff, not a wait for the reset', async () => {
    const { client, server, time } = await run((i, now, res) => {
      if (i === 0) {
        res.writeHead(429, { ...hourly(now, 700), 'content-type': 'application/json' });
        return res.end('{"message":"Rate Limited"}');
      }
      return ok(res, hourly(now, 699));
    });
    await client.listEventNames();
    assert.equal(server.requests.length, 2);
    assert.deepEqual(time.sleeps, [375]);
  });

  test('remaining equal to limit that stays there does not stall the client', async () => {
    const { client, server, time } = await run((_i, now, res) =>
      ok(res, {
        'x-ratelimit-limit': '250000',
        'x-ratelimit-remaining': '250000',
        'x-ratelimit-reset': seconds(TOP_OF_HOUR),
        date: new Date(now).toUTCString(),
      }),
    );
    for (let i = 0; i < 5; i++) await client.listEventNames();
    assert.equal(server.requests.length, 5);
    assert.deepEqual(time.sleeps, []);
  });
});

describe('headers that are duplicated or unparseable are ignored, not guessed', () => {
  const at = (h: Record<string, string>) => parseRateLimit({ get: (n) => h[n] ?? null }, T0);
  test('Node joins a duplicated header with ", "', () => {
    const rl = at({
      'x-ratelimit-remaining': '0, 0',
      'x-ratelimit-reset': `${seconds(T0 + 1000)}, ${seconds(T0 + 1000)}`,
      'retry-after': '1, 1',
    });
    assert.deepEqual(rl, { limit: null, remaining: null, resetAt: null, retryAfterMs: null });
  });

  test('a 429 whose reset is unparseable and has no Retry-After backs off', () => {
    const rateLimit: RateLimitState = at({
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': 'soon',
    });
    const error = errorFromResponse({
      status: 429,
      method: 'GET',
      url: '/events/list',
      brazeMessage: null,
      requestId: null,
      rateLimit,
      bodyExcerpt: '',
    });
    assert.deepEqual(retryDelay({ error, attempt: 1, now: T0, random: () => 0.5 }), {
      kind: 'wait',
      ms: 750,
    });
  });

  test('a duplicated 429 from an edge with one Retry-After per hop backs off', async () => {
    const { client, server, time } = await run((i, now, res) => {
      if (i === 0) {
        res.writeHead(429, [
          ['content-type', 'text/html'],
          ['retry-after', '1'],
          ['retry-after', '3600'],
        ] as never);
        return res.end('<html>429</html>');
      }
      return ok(res, hourly(now, 999));
    });
    await client.listEventNames();
    assert.equal(server.requests.length, 2);
    assert.deepEqual(time.sleeps, [375]);
  });
});

test('formatDuration says a pause for people', async () => {
  const { formatDuration, formatUntil } = await import('../../src/core/notice.js');
  assert.equal(formatDuration(900), '900 ms');
  assert.equal(formatDuration(6000), '6 s');
  assert.equal(formatDuration(185_000), '3 min 5 s');
  assert.equal(formatDuration(3_000_000), '50 min');
  assert.equal(formatDuration(3_720_000), '1 h 2 min');
  assert.equal(formatUntil(Date.UTC(2026, 10, 29, 12, 59, 59, 1)), '2026-11-29T13:00:00Z');
});

test('the emulator’s duplicate-headers answer: the doubled values are ignored, not guessed', async () => {
  const { startEmulator, EMULATOR_DEFAULT_KEY } = await import('../../src/emulator/index.js');
  const emulator = await startEmulator({ port: 0, events: 3, now: () => T0 });
  try {
    const client = createBrazeClient({
      apiKey: EMULATOR_DEFAULT_KEY,
      endpoint: emulator.url,
      now: () => T0,
    });
    await client.listEventNames();
    const before = client.rateLimit('listing');
    assert.equal(before?.remaining, 999);
    emulator.addFault({ kind: 'duplicate-headers', route: 'eventsList', count: 1 });
    const page = await client.listEventNames();
    assert.deepEqual(page.rateLimit, {
      limit: null,
      remaining: null,
      resetAt: null,
      retryAfterMs: null,
    });
    assert.deepEqual(client.rateLimit('listing'), before, 'the last readable state is kept');
  } finally {
    await emulator.close();
  }
});
