/**
 * sendWebhook's waits, recorded through an injected sleep against a local receiver on
 * 127.0.0.1: a 429's Retry-After waited exactly (seconds or an HTTP-date), a too-long one
 * ending the retries, 5xx and network errors on the client's backoff, 4xx not retried.
 */

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_NOTIFY_MAX_RETRY_WAIT_MS, sendWebhook } from '../../src/check/notify.js';
import { DEFAULT_BACKOFF_BASE_MS, DEFAULT_BACKOFF_FLOOR_MS } from '../../src/core/defaults.js';
import { createVirtualClock } from '../helpers/clock.js';
import { testServers } from '../helpers/http-server.js';
import { NOW } from '../helpers/now.js';

type Answer = { status: number; headers?: Record<string, string> };

const serve = testServers();

/** A receiver answering the n-th POST with `answers[n]` (then the last); records bodies. */
async function receiver(answers: Answer[]) {
  const bodies: string[] = [];
  const server = await serve(async (req, res, index) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    bodies.push(body);
    const a = answers[Math.min(index, answers.length - 1)]!;
    res.writeHead(a.status, a.headers ?? {});
    res.end('answer');
  });
  return { url: new URL(`${server.url}/hooks/SECRET-PATH`), bodies, close: server.close };
}

/** The virtual clock of a send: its waits recorded (`slept`), none taken. */
function recorder() {
  const time = createVirtualClock(NOW);
  return { slept: time.sleeps, sleep: time.sleep, now: time.now };
}

test('a 429 with Retry-After in seconds is waited exactly, then the POST is sent again', async () => {
  const r = await receiver([{ status: 429, headers: { 'retry-after': '7' } }, { status: 200 }]);
  const { slept, sleep, now } = recorder();
  const waits: number[] = [];
  const result = await sendWebhook({
    url: r.url,
    body: '{"a":1}',
    sleep,
    now,
    onRetry: (_attempt, _reason, ms) => waits.push(ms),
  });
  assert.deepEqual(result, { ok: true, attempts: 2 });
  assert.deepEqual(slept, [7000]);
  assert.deepEqual(waits, [7000]);
  assert.deepEqual(r.bodies, ['{"a":1}', '{"a":1}']);
});

test('a Retry-After HTTP-date is read against the injected clock', async () => {
  const at = new Date(NOW + 30_000).toUTCString();
  const r = await receiver([{ status: 429, headers: { 'retry-after': at } }, { status: 204 }]);
  const { slept, sleep, now } = recorder();
  const result = await sendWebhook({ url: r.url, body: '{}', sleep, now });
  assert.equal(result.ok, true);
  assert.deepEqual(slept, [30_000]);
});

test('a Retry-After beyond the cap ends the retries at once and says so', async () => {
  const r = await receiver([{ status: 429, headers: { 'retry-after': '3600' } }, { status: 200 }]);
  const { slept, sleep, now } = recorder();
  const result = await sendWebhook({ url: r.url, body: '{}', sleep, now });
  assert.equal(result.ok, false);
  assert.equal(result.attempts, 1);
  assert.deepEqual(slept, []);
  assert.equal(r.bodies.length, 1);
  assert.ok(
    !result.ok && /answered 429 asking to wait 3600 s, more than the 60 s/.test(result.error),
  );
  assert.equal(DEFAULT_NOTIFY_MAX_RETRY_WAIT_MS, 60_000);
  // A smaller cap is honoured the same way.
  const capped = await sendWebhook({
    url: (await receiver([{ status: 429, headers: { 'retry-after': '5' } }])).url,
    body: '{}',
    sleep,
    maxRetryWaitMs: 1000,
  });
  assert.equal(capped.attempts, 1);
  assert.deepEqual(slept, []);
});

test('5xx without Retry-After waits the client backoff; with one, exactly it; 4xx is not retried', async () => {
  const r = await receiver([{ status: 503 }, { status: 500 }, { status: 200 }]);
  const { slept, sleep } = recorder();
  const result = await sendWebhook({ url: r.url, body: '{}', sleep });
  assert.deepEqual(result, { ok: true, attempts: 3 });
  assert.equal(slept.length, 2);
  // Equal jitter: attempt n waits between half and all of base * 2^n, never below the floor.
  for (const [n, ms] of slept.entries()) {
    const ceiling = DEFAULT_BACKOFF_BASE_MS * 2 ** n;
    assert.ok(
      ms >= Math.max(DEFAULT_BACKOFF_FLOOR_MS, ceiling / 2) && ms <= ceiling,
      `${n}: ${ms}`,
    );
  }

  const told = await receiver([{ status: 503, headers: { 'retry-after': '2' } }, { status: 200 }]);
  const second = recorder();
  assert.equal((await sendWebhook({ url: told.url, body: '{}', sleep: second.sleep })).ok, true);
  assert.deepEqual(second.slept, [2000]);

  const bad = await receiver([{ status: 400 }]);
  const third = recorder();
  const refused = await sendWebhook({ url: bad.url, body: '{}', sleep: third.sleep });
  assert.deepEqual(refused, { ok: false, attempts: 1, error: 'answered 400' });
  assert.deepEqual(third.slept, []);
});

test('a refused connection is a network error, retried on backoff, never showing the URL', async () => {
  const r = await receiver([{ status: 200 }]);
  const port = r.url.port;
  await r.close();
  const { slept, sleep } = recorder();
  const result = await sendWebhook({
    url: new URL(`http://127.0.0.1:${port}/hooks/SECRET-PATH`),
    body: '{}',
    retries: 2,
    sleep,
  });
  assert.equal(result.ok, false);
  assert.equal(result.attempts, 3);
  assert.equal(slept.length, 2);
  assert.ok(!result.ok && result.error === 'network error (ECONNREFUSED)', JSON.stringify(result));
});
