import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isBrazeRateLimitError } from '../../src/core/errors.js';
import { Pacer, type PacerOptions } from '../../src/core/pacer.js';
import type { RateLimitState } from '../../src/core/types.js';
import { createVirtualClock } from '../helpers/clock.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1, 12, 0);

function setup(options: Partial<PacerOptions> = {}) {
  const time = createVirtualClock(T0);
  const pacer = new Pacer({
    maxShareOfLimit: 1,
    reserve: 0,
    maxWaitMs: HOUR,
    now: time.now,
    sleep: time.sleep,
    ...options,
  });
  return { pacer, sleeps: time.sleeps, now: time.now, advance: time.advance };
}

const req = { method: 'GET', url: '/events/list' };
const state = (limit: number, remaining: number, resetAt: number): RateLimitState => ({
  limit,
  remaining,
  resetAt: new Date(resetAt),
  retryAfterMs: null,
});

describe('Pacer', () => {
  test('sends until remaining hits the reserve, then waits exactly for the reset', async () => {
    const { pacer, sleeps } = setup({ reserve: 2 });
    const reset = T0 + HOUR;
    let remaining = 5;
    for (let i = 0; i < 3; i++) {
      const permit = await pacer.acquire('listing', req);
      permit.done(state(5, --remaining, reset), 200);
    }
    assert.deepEqual(sleeps, []);
    const permit = await pacer.acquire('listing', req);
    assert.deepEqual(sleeps, [HOUR]);
    permit.done(state(5, 4, reset + HOUR), 200);
    assert.deepEqual(pacer.state('listing')?.remaining, 4);
  });

  test('maxShareOfLimit caps this client share of each window', async () => {
    const { pacer, sleeps } = setup({ maxShareOfLimit: 0.5 });
    const reset = T0 + 600_000;
    for (let i = 0; i < 5; i++) {
      const permit = await pacer.acquire('dataSeries', req);
      permit.done(state(10, 9 - i, reset), 200);
    }
    assert.deepEqual(sleeps, []);
    await pacer.acquire('dataSeries', req);
    assert.deepEqual(sleeps, [600_000]);
  });

  test('a concurrent burst never exceeds the share of the window', async () => {
    let clock = T0;
    const wakeups: Array<() => void> = [];
    const pacer = new Pacer({
      maxShareOfLimit: 0.5,
      reserve: 0,
      maxWaitMs: HOUR,
      now: () => clock,
      sleep: (ms) =>
        new Promise<void>((resolve) =>
          wakeups.push(() => {
            clock = Math.max(clock, T0 + ms);
            resolve();
          }),
        ),
    });
    const reset = T0 + 60_000;
    (await pacer.acquire('listing', req)).done(state(10, 9, reset), 200);
    let granted = 0;
    const burst = Array.from({ length: 8 }, () =>
      pacer.acquire('listing', req).then((permit) => {
        granted++;
        return permit;
      }),
    );
    await new Promise((r) => setImmediate(r));
    // 1 probe + 4 = the share of 5 in this window; the other 4 wait for the reset.
    assert.equal(granted, 4);
    assert.equal(wakeups.length, 4);
    for (const wake of wakeups) wake();
    const permits = await Promise.all(burst);
    assert.equal(granted, 8);
    for (const permit of permits) permit.done(state(10, 5, reset + HOUR), 200);
    assert.equal(pacer.state('listing')?.remaining, 5);
  });

  test("a spent window's 429 with a retry hint: the next request waits for the hint, not the reset", async () => {
    // Braze says the hour's window is spent but to retry in 5 s: retry.ts waits the 5 s,
    // and the pacer must not then hold the retry until the top of the hour.
    const { pacer, sleeps } = setup();
    const first = await pacer.acquire('dataSeries', req);
    first.done({ ...state(50, 0, T0 + 3_500_000), retryAfterMs: 5_000 }, 429);
    await pacer.acquire('dataSeries', req);
    assert.deepEqual(sleeps, [5_000]);
  });

  test('buckets are independent', async () => {
    const { pacer, sleeps } = setup();
    const permit = await pacer.acquire('listing', req);
    permit.done(state(1, 0, T0 + 1000), 200);
    (await pacer.acquire('dataSeries', req)).done(null);
    assert.deepEqual(sleeps, []);
    await pacer.acquire('listing', req);
    assert.deepEqual(sleeps, [1000]);
  });

  test('one probe at a time until the first answer', async () => {
    const { pacer } = setup();
    const first = await pacer.acquire('listing', req);
    let secondStarted = false;
    const second = pacer.acquire('listing', req).then((p) => {
      secondStarted = true;
      return p;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(secondStarted, false);
    first.done(state(100, 99, T0 + HOUR), 200);
    (await second).done(null);
    assert.equal(secondStarted, true);
  });

  test('concurrent requests never overspend the remaining budget', async () => {
    const { pacer, sleeps } = setup();
    (await pacer.acquire('listing', req)).done(state(10, 3, T0 + 5000), 200);
    const permits = await Promise.all([1, 2, 3].map(() => pacer.acquire('listing', req)));
    assert.deepEqual(sleeps, []);
    const fourth = pacer.acquire('listing', req);
    for (const p of permits) p.done(null);
    await fourth;
    assert.deepEqual(sleeps, [5000]);
  });

  test('a wait longer than maxWaitMs throws a rate-limit error with resetAt, sending nothing', async () => {
    const { pacer } = setup({ maxWaitMs: 1000 });
    (await pacer.acquire('listing', req)).done(state(10, 0, T0 + HOUR), 200);
    await assert.rejects(pacer.acquire('listing', req), (e: unknown) => {
      assert.ok(isBrazeRateLimitError(e));
      assert.deepEqual(e.resetAt, new Date(T0 + HOUR));
      return true;
    });
  });

  test('no headers at all: no pacing', async () => {
    const { pacer, sleeps } = setup();
    for (let i = 0; i < 5; i++) {
      (await pacer.acquire('listing', req)).done(
        { limit: null, remaining: null, resetAt: null, retryAfterMs: null },
        200,
      );
    }
    assert.deepEqual(sleeps, []);
    assert.equal(pacer.state('listing'), undefined);
  });

  test('aborting a paced wait rejects with the reason', async () => {
    const pacer = new Pacer({
      maxShareOfLimit: 1,
      reserve: 0,
      maxWaitMs: HOUR,
      now: () => T0,
      sleep: (_ms, signal) =>
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    });
    (await pacer.acquire('listing', req)).done(state(10, 0, T0 + 1000), 200);
    const controller = new AbortController();
    const waiting = pacer.acquire('listing', { ...req, signal: controller.signal });
    controller.abort(new Error('stop'));
    await assert.rejects(waiting, /stop/);
  });
});
