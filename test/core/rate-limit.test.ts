import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseRateLimit, parseRetryAfter } from '../../src/core/rate-limit.js';
import { NOW } from '../helpers/now.js';

const headers = (h: Record<string, string>) => new Headers(h);

describe('parseRateLimit', () => {
  test('reads Braze headers; reset is UTC epoch seconds', () => {
    const state = parseRateLimit(
      headers({
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '998',
        'x-ratelimit-reset': String(Date.UTC(2026, 0, 1, 13) / 1000),
      }),
      NOW,
    );
    assert.deepEqual(state, {
      limit: 1000,
      remaining: 998,
      resetAt: new Date(Date.UTC(2026, 0, 1, 13)),
      retryAfterMs: null,
    });
  });

  test('empty strings (Braze 401) and absence become null', () => {
    const empty = { limit: null, remaining: null, resetAt: null, retryAfterMs: null };
    assert.deepEqual(
      parseRateLimit(
        headers({ 'x-ratelimit-limit': '', 'x-ratelimit-remaining': ' ', 'x-ratelimit-reset': '' }),
        NOW,
      ),
      empty,
    );
    assert.deepEqual(parseRateLimit(headers({}), NOW), empty);
  });

  test('malformed values become null', () => {
    const state = parseRateLimit(
      headers({
        'x-ratelimit-limit': '-1',
        'x-ratelimit-remaining': '1e3',
        'x-ratelimit-reset': 'soon',
        'retry-after': 'later',
      }),
      NOW,
    );
    assert.deepEqual(state, { limit: null, remaining: null, resetAt: null, retryAfterMs: null });
  });

  test('a small reset is read as seconds from now', () => {
    const state = parseRateLimit(headers({ 'x-ratelimit-reset': '30' }), NOW);
    assert.deepEqual(state.resetAt, new Date(NOW + 30_000));
  });

  test('x-ratelimit-retry-after and retry-after (seconds or HTTP-date)', () => {
    assert.equal(
      parseRateLimit(headers({ 'x-ratelimit-retry-after': '5' }), NOW).retryAfterMs,
      5000,
    );
    assert.equal(parseRateLimit(headers({ 'retry-after': '1.5' }), NOW).retryAfterMs, 1500);
    const date = new Date(NOW + 120_000).toUTCString();
    assert.equal(parseRateLimit(headers({ 'retry-after': date }), NOW).retryAfterMs, 120_000);
    assert.equal(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW), 0);
  });

  test('never throws and is bounded on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        const map = new Map([
          ['x-ratelimit-limit', a],
          ['x-ratelimit-remaining', b],
          ['x-ratelimit-reset', a],
          ['retry-after', b],
        ]);
        const state = parseRateLimit({ get: (n) => map.get(n) ?? null }, NOW);
        for (const n of [state.limit, state.remaining, state.retryAfterMs]) {
          assert.ok(n === null || (Number.isFinite(n) && n >= 0));
        }
        assert.ok(state.resetAt === null || !Number.isNaN(state.resetAt.getTime()));
      }),
    );
    const huge = '9'.repeat(1_000_000);
    assert.equal(parseRateLimit({ get: () => huge }, NOW).limit, null);
  });
});
