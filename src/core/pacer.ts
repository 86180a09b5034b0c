/**
 * Proactive rate-limit pacing per bucket (`listing`, `dataSeries`): rather than sending
 * requests Braze would refuse with 429, wait for the window to reset when
 *  - the estimated `remaining` has reached `reserve`, or
 *  - this client has sent `floor(maxShareOfLimit * limit)` requests in the window
 *    (the hourly budget is shared with every other integration of the workspace).
 * Until the first answer of a bucket shows its headers, one request at a time probes it.
 * Braze documents hourly windows (`_docs/_api/api_limits.md`), but recorded answers show
 * per-minute ones too: `x-ratelimit-reset` of the latest answer says when the current one
 * ends (docs/BRAZE_API.md "Rate limits: the rules the client follows").
 */
import { RATE_LIMIT_WINDOW_MS, type RateLimitBucket } from '../api/constants.js';
import { whenAborted } from './abort.js';
import { BrazeRateLimitError } from './errors.js';
import { emptyRateLimit, hasNoBrazeRateLimit, isWindowSpent } from './rate-limit.js';
import type { Now, Sleep } from './sleep.js';
import type { RateLimitState } from './types.js';

/** Two `x-ratelimit-reset` values closer than this name the same window. */
const SAME_WINDOW_TOLERANCE_MS = 1000;

export interface PacerOptions {
  maxShareOfLimit: number;
  reserve: number;
  /** Longest pacing wait; a longer one throws BrazeRateLimitError without sending. */
  maxWaitMs: number;
  now: Now;
  sleep: Sleep;
  /** Told about every pacing wait (for logs and stats). */
  onWait?: (bucket: RateLimitBucket, ms: number, reason: string) => void;
}

/** The smaller of two counts, where null means unknown. */
function lower(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** What the request is, for the error thrown when the wait would be too long. */
export interface PacedRequest {
  method: string;
  url: string;
  signal?: AbortSignal | undefined;
  /** Longest wait for this request; default `PacerOptions.maxWaitMs`. */
  maxWaitMs?: number | undefined;
}

interface BucketState {
  /** Last non-empty rate-limit state seen, as the user sees it. */
  last: RateLimitState | undefined;
  limit: number | null;
  /** Estimated requests left in the window: the server's count minus what we sent since. */
  remaining: number | null;
  /** End of the current window (epoch ms). */
  resetAt: number | null;
  /** Requests this client sent in the current window. */
  used: number;
  /** Whether any answer of this bucket has arrived (with headers or not). */
  answered: boolean;
  inFlight: number;
  /** Resolvers of requests waiting for the probe's answer. */
  probeWaiters: Array<() => void>;
}

/** A sent request's slot; `done` records its answer's headers (or none, on failure). */
export interface Permit {
  done(rateLimit: RateLimitState | null, status?: number): void;
}

/**
 * Paces requests per rate-limit bucket.
 *
 * @example
 * ```ts
 * const permit = await pacer.acquire('listing', { method: 'GET', url: '/events/list' });
 * const res = await send();
 * permit.done(parseRateLimit(res.headers, Date.now()), res.status);
 * ```
 */
export class Pacer {
  readonly #options: PacerOptions;
  readonly #buckets = new Map<RateLimitBucket, BucketState>();

  constructor(options: PacerOptions) {
    this.#options = options;
  }

  /** Last rate-limit state seen for a bucket, or `undefined` before any header arrived. */
  state(bucket: RateLimitBucket): RateLimitState | undefined {
    return this.#buckets.get(bucket)?.last;
  }

  #bucket(bucket: RateLimitBucket): BucketState {
    let state = this.#buckets.get(bucket);
    if (!state) {
      state = {
        last: undefined,
        limit: null,
        remaining: null,
        resetAt: null,
        used: 0,
        answered: false,
        inFlight: 0,
        probeWaiters: [],
      };
      this.#buckets.set(bucket, state);
    }
    return state;
  }

  /**
   * A permit at once when nothing makes the request wait, otherwise `undefined` (then
   * `acquire` waits). Lets the transport skip a promise per request in the common case.
   */
  tryAcquire(bucket: RateLimitBucket, request: PacedRequest): Permit | undefined {
    request.signal?.throwIfAborted();
    const s = this.#bucket(bucket);
    if (!s.answered && s.inFlight > 0) return undefined;
    this.#rollWindow(s, this.#options.now());
    return this.#blockReason(s) === null ? this.#grant(s) : undefined;
  }

  /** Waits until a request of `bucket` may be sent, then counts it as sent. */
  async acquire(bucket: RateLimitBucket, request: PacedRequest): Promise<Permit> {
    const s = this.#bucket(bucket);
    const { now, sleep } = this.#options;
    for (;;) {
      request.signal?.throwIfAborted();
      if (!s.answered && s.inFlight > 0) {
        await new Promise<void>((resolve, reject) => {
          const stopWatching = whenAborted(request.signal, () => reject(request.signal?.reason));
          s.probeWaiters.push(() => {
            stopWatching();
            resolve();
          });
        });
        continue;
      }
      const t = now();
      this.#rollWindow(s, t);
      const reason = this.#blockReason(s);
      if (reason === null) return this.#grant(s);
      // Without a reset time, fall back on the next clock hour (windows are clock hours).
      s.resetAt ??=
        Math.floor(t / RATE_LIMIT_WINDOW_MS) * RATE_LIMIT_WINDOW_MS + RATE_LIMIT_WINDOW_MS;
      const ms = s.resetAt - t;
      if (ms > (request.maxWaitMs ?? this.#options.maxWaitMs)) {
        throw this.#tooLong(bucket, request, s, reason);
      }
      this.#options.onWait?.(bucket, ms, reason);
      await sleep(ms, request.signal);
    }
  }

  /** Past the window's end: the full limit again, nothing of ours spent yet. */
  #rollWindow(s: BucketState, t: number): void {
    if (s.resetAt !== null && t >= s.resetAt) {
      s.resetAt = null;
      s.remaining = s.limit;
      s.used = 0;
    }
  }

  /** Counts a request as sent and hands out its permit. */
  #grant(s: BucketState): Permit {
    s.inFlight++;
    s.used++;
    if (s.remaining !== null) s.remaining--;
    let finished = false;
    return {
      done: (rateLimit, status) => {
        if (finished) return;
        finished = true;
        s.inFlight--;
        if (rateLimit) this.#observe(s, rateLimit, status);
        if (s.probeWaiters.length > 0) for (const wake of s.probeWaiters.splice(0)) wake();
      },
    };
  }

  #blockReason(s: BucketState): string | null {
    if (s.remaining !== null && s.remaining <= this.#options.reserve) {
      return `remaining ${Math.max(0, s.remaining)} reached the reserve of ${this.#options.reserve}`;
    }
    if (s.limit !== null && this.#options.maxShareOfLimit < 1) {
      const share = Math.floor(s.limit * this.#options.maxShareOfLimit);
      if (s.used >= share) {
        return `this client used ${s.used} of its share of ${share} (maxShareOfLimit ${this.#options.maxShareOfLimit})`;
      }
    }
    return null;
  }

  /**
   * Learns from an answer. Only Braze's own `x-ratelimit-*` headers describe a window
   * (`retry-after` is a retry hint, handled by retry.ts). The answer in hand is fresher
   * than what earlier ones said: a window that ends sooner (a per-minute limit) or later
   * than believed is adopted. A 429 that does not say its window is spent (an edge proxy's
   * page, or budget left) is transient and says nothing about the window.
   */
  #observe(s: BucketState, rl: RateLimitState, status: number | undefined): void {
    s.answered = true;
    if (status === 429 && !isWindowSpent(rl)) {
      // An edge proxy answered without Braze's headers: the request most likely never
      // reached Braze, so it did not spend the budget we counted it against.
      if (hasNoBrazeRateLimit(rl)) {
        s.used = Math.max(0, s.used - 1);
        if (s.remaining !== null && s.limit !== null)
          s.remaining = Math.min(s.limit, s.remaining + 1);
      }
      return;
    }
    const now = this.#options.now();
    const resetAt = rl.resetAt?.getTime() ?? null;
    if (rl.limit !== null || rl.remaining !== null || resetAt !== null) s.last = rl;
    if (rl.limit !== null) s.limit = rl.limit;
    if (status === 429) {
      // Spent until its own reset, whatever earlier answers said; a retry hint on it
      // (`Retry-After`, `x-ratelimit-retry-after`) wins, being more specific
      // (docs/BRAZE_API.md, "Rate limits: the rules the client follows"): else the retry
      // that retry.ts schedules after the hint would wait here for the whole window.
      s.resetAt = rl.retryAfterMs === null ? resetAt : now + rl.retryAfterMs;
      s.remaining = 0;
      return;
    }
    if (resetAt !== null && resetAt > now) {
      if (s.resetAt === null) {
        // First answer of a window we rolled into ourselves: learn when it ends.
        s.resetAt = resetAt;
        s.remaining = lower(s.remaining, rl.remaining);
      } else if (Math.abs(resetAt - s.resetAt) > SAME_WINDOW_TOLERANCE_MS) {
        // Another window than we thought: a newer one (clock skew) or a shorter one (Braze
        // has per-minute limits too). Trust the server's count, minus the requests still in
        // flight, which it has not counted yet.
        s.resetAt = resetAt;
        s.used = s.inFlight + 1;
        s.remaining = rl.remaining === null ? null : rl.remaining - s.inFlight;
      } else {
        // Same window: keep the lower of the server's count and our own estimate.
        s.remaining = lower(s.remaining, rl.remaining);
      }
    } else if (resetAt === null) {
      s.remaining = lower(s.remaining, rl.remaining);
    }
  }

  #tooLong(
    bucket: RateLimitBucket,
    request: PacedRequest,
    s: BucketState,
    reason: string,
  ): BrazeRateLimitError {
    const resetAt = new Date(s.resetAt ?? this.#options.now());
    return new BrazeRateLimitError({
      status: 429,
      brazeMessage: null,
      method: request.method,
      url: request.url,
      requestId: null,
      rateLimit: s.last ?? emptyRateLimit(),
      bodyExcerpt: '',
      resetAt,
      message:
        `Braze ${request.method} ${request.url} not sent: the ${bucket} rate-limit budget is spent (${reason}); ` +
        `the window resets at ${resetAt.toISOString()}, later than maxRetryWaitMs (${request.maxWaitMs ?? this.#options.maxWaitMs} ms) allows`,
    });
  }
}
