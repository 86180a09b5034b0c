/**
 * Retry decisions, as pure functions of the failure, the attempt number and the clock.
 * Braze docs (`_docs/_api/errors.md`): retry 5XX with exponential backoff; 429 means wait
 * for the window in `x-ratelimit-reset`. 400/401/403/404 never get better by retrying.
 * A 429 is a wait for its window only when it says the window is spent (`isWindowSpent`);
 * an edge proxy's 429 or one reporting budget left is transient (docs/BRAZE_API.md).
 */
import {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_FLOOR_MS,
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_MAX_RETRY_WAIT_MS,
} from './defaults.js';
import {
  BrazeHttpError,
  BrazeNetworkError,
  BrazeRateLimitError,
  BrazeResponseShapeError,
  BrazeTimeoutError,
} from './errors.js';
import { isWindowSpent } from './rate-limit.js';

/**
 * Whether an HTTP status is worth another attempt: 408, 429, every 5xx, and 202 (Braze's
 * maintenance answer `{"message":"queued"}`, which carries no data).
 *
 * @example `isRetryableStatus(503) // true`
 */
export function isRetryableStatus(status: number): boolean {
  return status === 202 || status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Whether to try again after `error` on attempt `attempt` (0 = the first request):
 * network errors, timeouts, retryable statuses and success answers whose body is not JSON
 * (cut short, a proxy page), while `attempt < maxRetries`. Anything else (programming
 * errors, JSON of the wrong shape, 4xx) is not retried.
 *
 * @example `shouldRetry(new BrazeNetworkError(…), 0, 5) // true`
 */
export function shouldRetry(error: unknown, attempt: number, maxRetries: number): boolean {
  if (attempt >= maxRetries) return false;
  if (error instanceof BrazeNetworkError || error instanceof BrazeTimeoutError) return true;
  if (error instanceof BrazeHttpError) return isRetryableStatus(error.status);
  if (error instanceof BrazeResponseShapeError) return error.transient;
  return false;
}

export interface BackoffOptions {
  /** First step; attempt n draws around `baseMs * 2^n`. */
  baseMs?: number;
  /** Shortest wait. */
  floorMs?: number;
  /** Longest backoff. */
  maxMs?: number;
}

/**
 * Exponential backoff with "equal jitter": half of `min(max, base * 2^attempt)` fixed,
 * half random, never below the floor. `random` is injectable for tests.
 *
 * @example `backoffDelay(2, {}, () => 0.5) // 1500`
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const floor = options.floorMs ?? DEFAULT_BACKOFF_FLOOR_MS;
  const max = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
  const ceiling = backoffCeiling(attempt, options);
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  return Math.round(Math.max(floor, Math.min(jittered, max)));
}

/**
 * The longest backoff attempt `attempt` can draw, ms (the jitter at its top): what a
 * caller can promise about how long a retry sequence may still go on.
 *
 * @example `backoffCeiling(2) // 2000` (defaults: base 500 ms, cap 30 s)
 */
export function backoffCeiling(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const floor = options.floorMs ?? DEFAULT_BACKOFF_FLOOR_MS;
  const max = options.maxMs ?? DEFAULT_BACKOFF_MAX_MS;
  return Math.max(floor, Math.min(max, base * 2 ** Math.min(attempt, 30)));
}

export interface RetryWaitInput extends BackoffOptions {
  /** The wait the server asked for (`retry-after` and kin), ms; `null` when it said nothing. */
  serverMs: number | null;
  /** A 429: a server wait beyond the cap ends the retries instead of falling back to backoff. */
  rateLimited: boolean;
  /** 0 = the wait after the first attempt. */
  attempt: number;
  /** Longest server-given wait honoured. Default {@link DEFAULT_MAX_RETRY_WAIT_MS}. */
  maxRetryWaitMs?: number;
  random?: () => number;
}

/** `wait` for `ms`, or `stop` retrying (a 429 whose wait is longer than the cap). */
export type RetryWait = { kind: 'wait'; ms: number } | { kind: 'stop' };

/**
 * The one backoff policy, for any HTTP peer (Braze, a webhook): when the server says how
 * long (`serverMs`), wait exactly that up to `maxRetryWaitMs`; past the cap a 429 stops
 * and anything else falls back to backoff; with no word from the server, exponential
 * backoff with jitter ({@link backoffDelay}). Pure.
 *
 * @example retryWait({ serverMs: 2000, rateLimited: true, attempt: 0 }) // { kind: 'wait', ms: 2000 }
 */
export function retryWait(input: RetryWaitInput): RetryWait {
  const cap = input.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  if (input.serverMs !== null) {
    if (input.serverMs <= cap) return { kind: 'wait', ms: input.serverMs };
    if (input.rateLimited) return { kind: 'stop' };
  }
  return { kind: 'wait', ms: backoffDelay(input.attempt, input, input.random) };
}

export interface RetryDelayInput extends BackoffOptions {
  error: unknown;
  attempt: number;
  /** Current time, epoch ms. */
  now: number;
  /** Longest server-given wait honoured; beyond it a 429 is thrown. */
  maxRetryWaitMs?: number;
  random?: () => number;
}

/** `wait` for `ms`, or `throw` the given error (a 429 whose reset is too far away). */
export type RetryDelay = { kind: 'wait'; ms: number } | { kind: 'throw'; error: Error };

/**
 * How long to wait before the next attempt. A 429 whose own headers say its window is spent
 * (`x-ratelimit-reset`, no budget left) waits until that reset, sooner or later than
 * earlier answers said. An answer with `retry-after` / `x-ratelimit-retry-after` waits
 * exactly that (it wins over the reset: it is the more specific). Beyond
 * `maxRetryWaitMs`, a 429 is thrown (with its `resetAt`) instead of waiting and other
 * statuses fall back to backoff. Otherwise (an edge 429 with nothing to go by, a 429 with
 * budget left, 5xx, network) exponential backoff with jitter: never a wait for the window. ({@link retryWait} decides).
 *
 * @example
 * ```ts
 * retryDelay({ error: rateLimitError, attempt: 0, now: Date.now() });
 * // { kind: 'wait', ms: <until x-ratelimit-reset> }
 * ```
 */
export function retryDelay(input: RetryDelayInput): RetryDelay {
  const { error, now } = input;
  let serverMs: number | null = null;
  if (error instanceof BrazeHttpError) {
    const { retryAfterMs, resetAt } = error.rateLimit;
    serverMs = retryAfterMs;
    if (serverMs === null && error.status === 429 && isWindowSpent(error.rateLimit)) {
      serverMs = Math.max(0, (resetAt as Date).getTime() - now);
    }
  }
  const rateLimited = error instanceof BrazeRateLimitError;
  const wait = retryWait({ ...input, serverMs, rateLimited });
  return wait.kind === 'stop' ? { kind: 'throw', error: error as Error } : wait;
}
