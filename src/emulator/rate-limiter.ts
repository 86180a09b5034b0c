/**
 * Braze's rate limits: fixed clock-hour windows (reset at the top of each hour, not
 * rolling), one counter per bucket. Windows are aligned to the Unix epoch, so with the
 * real hour they are clock hours; `hourMs` scales the window for tests.
 */
import type { RateLimitBucket } from '../api/constants.js';
import type { EmulatorRateLimit } from './types.js';

export interface RateLimiter {
  /** Counts one request; `allowed` is false when the window was already exhausted. */
  take(bucket: RateLimitBucket): { allowed: boolean; state: EmulatorRateLimit };
  /** The state the headers would report now, without counting a request. */
  peek(bucket: RateLimitBucket): EmulatorRateLimit;
}

/**
 * @example
 * const limiter = createRateLimiter({ listing: 1000, dataSeries: 250000 }, 3_600_000, Date.now);
 * limiter.take('listing').state.remaining; // 999
 */
export function createRateLimiter(
  limits: Readonly<Record<RateLimitBucket, number>>,
  hourMs: number,
  now: () => number,
): RateLimiter {
  const used = new Map<RateLimitBucket, { window: number; count: number }>();

  function current(bucket: RateLimitBucket): { window: number; count: number } {
    const window = Math.floor(now() / hourMs);
    let entry = used.get(bucket);
    if (entry === undefined || entry.window !== window) {
      entry = { window, count: 0 };
      used.set(bucket, entry);
    }
    return entry;
  }

  function state(bucket: RateLimitBucket, entry: { window: number; count: number }) {
    const limit = limits[bucket];
    return {
      limit,
      remaining: Math.max(0, limit - entry.count),
      // UTC epoch seconds of the next window start, rounded up to a whole second.
      reset: Math.ceil(((entry.window + 1) * hourMs) / 1000),
    };
  }

  return {
    take(bucket) {
      const entry = current(bucket);
      if (entry.count >= limits[bucket]) return { allowed: false, state: state(bucket, entry) };
      entry.count++;
      return { allowed: true, state: state(bucket, entry) };
    },
    peek(bucket) {
      return state(bucket, current(bucket));
    },
  };
}
