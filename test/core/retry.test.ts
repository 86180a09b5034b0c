import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type BrazeHttpError,
  BrazeNetworkError,
  BrazeResponseShapeError,
  BrazeTimeoutError,
  errorFromResponse,
} from '../../src/core/errors.js';
import { emptyRateLimit } from '../../src/core/rate-limit.js';
import { backoffDelay, isRetryableStatus, retryDelay, shouldRetry } from '../../src/core/retry.js';
import type { RateLimitState } from '../../src/core/types.js';

const NOW = Date.UTC(2026, 0, 1, 12, 30);

function httpError(status: number, rateLimit: Partial<RateLimitState> = {}): BrazeHttpError {
  return errorFromResponse({
    status,
    method: 'GET',
    url: '/events/list',
    brazeMessage: null,
    requestId: null,
    rateLimit: { ...emptyRateLimit(), ...rateLimit },
    bodyExcerpt: '',
    receivedAt: NOW,
  });
}

describe('shouldRetry', () => {
  test('retries transient failures', () => {
    for (const status of [202, 408, 429, 500, 502, 503, 504, 599]) {
      assert.equal(shouldRetry(httpError(status), 0, 3), true, String(status));
    }
    assert.equal(
      shouldRetry(new BrazeNetworkError({ method: 'GET', url: '/', detail: 'x' }), 0, 3),
      true,
    );
    assert.equal(
      shouldRetry(new BrazeTimeoutError({ method: 'GET', url: '/', timeoutMs: 5 }), 2, 3),
      true,
    );
  });

  test('never retries 400/401/403/404, shape errors or programming errors', () => {
    for (const status of [300, 400, 401, 403, 404, 422]) {
      assert.equal(shouldRetry(httpError(status), 0, 3), false, String(status));
    }
    const shape = new BrazeResponseShapeError({
      method: 'GET',
      url: '/',
      status: 200,
      problem: 'x',
      bodyExcerpt: '',
    });
    assert.equal(shouldRetry(shape, 0, 3), false);
    assert.equal(shouldRetry(new TypeError('bug'), 0, 3), false);
    assert.equal(shouldRetry(new DOMException('aborted', 'AbortError'), 0, 3), false);
  });

  test('stops at maxRetries', () => {
    assert.equal(shouldRetry(httpError(503), 3, 3), false);
    assert.equal(shouldRetry(httpError(503), 0, 0), false);
  });

  test('isRetryableStatus', () => {
    assert.equal(isRetryableStatus(200), false);
    assert.equal(isRetryableStatus(503), true);
  });
});

describe('backoffDelay', () => {
  test('grows exponentially with jitter between half and full step', () => {
    assert.equal(
      backoffDelay(0, {}, () => 0),
      250,
    );
    assert.equal(
      backoffDelay(0, {}, () => 1),
      500,
    );
    assert.equal(
      backoffDelay(2, {}, () => 0.5),
      1500,
    );
    assert.equal(
      backoffDelay(3, { baseMs: 100 }, () => 1),
      800,
    );
  });

  test('respects floor and cap for every attempt and draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 1, max: 60_000 }),
        (attempt, r, baseMs, floorMs, maxMs) => {
          const d = backoffDelay(attempt, { baseMs, floorMs, maxMs }, () => r);
          assert.ok(Number.isFinite(d));
          assert.ok(d >= floorMs);
          assert.ok(d <= Math.max(maxMs, floorMs));
        },
      ),
    );
  });
});

describe('retryDelay', () => {
  test('429 waits exactly until x-ratelimit-reset', () => {
    const error = httpError(429, { resetAt: new Date(NOW + 2000), remaining: 0 });
    assert.deepEqual(retryDelay({ error, attempt: 0, now: NOW }), { kind: 'wait', ms: 2000 });
  });

  test('retry-after wins over reset, for 429 and 503', () => {
    const error = httpError(429, { resetAt: new Date(NOW + 60_000), retryAfterMs: 3000 });
    assert.deepEqual(retryDelay({ error, attempt: 0, now: NOW }), { kind: 'wait', ms: 3000 });
    const unavailable = httpError(503, { retryAfterMs: 7000 });
    assert.deepEqual(retryDelay({ error: unavailable, attempt: 4, now: NOW }), {
      kind: 'wait',
      ms: 7000,
    });
  });

  test('a reset already passed waits zero', () => {
    const error = httpError(429, { resetAt: new Date(NOW - 5000) });
    assert.deepEqual(retryDelay({ error, attempt: 0, now: NOW }), { kind: 'wait', ms: 0 });
  });

  test('past maxRetryWaitMs a 429 throws its rate-limit error with resetAt', () => {
    const resetAt = new Date(NOW + 10 * 60_000);
    const error = httpError(429, { resetAt });
    const decision = retryDelay({ error, attempt: 0, now: NOW, maxRetryWaitMs: 60_000 });
    assert.equal(decision.kind, 'throw');
    assert.equal(decision.kind === 'throw' && decision.error, error);
    assert.deepEqual((error as { resetAt?: Date }).resetAt, resetAt);
    assert.match(error.message, /resets at 2026-01-01T12:40:00.000Z/);
  });

  test('a 503 with a too-long retry-after falls back to backoff', () => {
    const error = httpError(503, { retryAfterMs: 10 * 3_600_000 });
    const decision = retryDelay({ error, attempt: 1, now: NOW, random: () => 0 });
    assert.deepEqual(decision, { kind: 'wait', ms: 500 });
  });

  test('429 without any header backs off', () => {
    const decision = retryDelay({ error: httpError(429), attempt: 0, now: NOW, random: () => 1 });
    assert.deepEqual(decision, { kind: 'wait', ms: 500 });
  });

  test('network errors back off', () => {
    const error = new BrazeNetworkError({ method: 'GET', url: '/', detail: 'ECONNRESET' });
    assert.deepEqual(retryDelay({ error, attempt: 2, now: NOW, random: () => 1 }), {
      kind: 'wait',
      ms: 2000,
    });
  });
});
