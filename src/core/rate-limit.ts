/**
 * Parsing Braze's rate-limit headers. Every response is parsed, errors included; absent,
 * empty (Braze sends empty strings on a 401) or malformed values become `null`.
 */
import { HEADERS } from '../api/constants.js';
import type { RateLimitState } from './types.js';

/** Header values longer than this are ignored without being scanned. */
export const MAX_RATE_LIMIT_HEADER_LENGTH = 64;

/**
 * `x-ratelimit-reset` values below this are read as seconds from now rather than epoch
 * seconds: an epoch this small would be 2001, and some gateways send a delta.
 */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

/** Minimal header access, satisfied by `Headers` and by plain maps in tests. */
export interface HeaderReader {
  get(name: string): string | null;
}

function readHeader(headers: HeaderReader, name: string): string | null {
  const raw = headers.get(name);
  if (raw === null || raw.length > MAX_RATE_LIMIT_HEADER_LENGTH) return null;
  const value = raw.trim();
  return value === '' ? null : value;
}

/** A non-negative integer header (`x-ratelimit-limit`, `-remaining`). */
function parseCount(value: string | null): number | null {
  if (value === null || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** Non-negative decimal seconds (`retry-after: 2`, `x-ratelimit-reset: 1700000000.5`). */
function parseSeconds(value: string | null): number | null {
  if (value === null || !/^\d{1,15}(?:\.\d{1,9})?$/.test(value)) return null;
  return Number(value);
}

/**
 * `retry-after` (RFC 9110): delay-seconds or an HTTP-date; returned in milliseconds from
 * `now`, never negative.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const seconds = parseSeconds(value);
  if (seconds !== null) return Math.round(seconds * 1000);
  // HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT"; require the GMT form to avoid Date.parse's leniency.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Reads `x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset` (UTC epoch
 * seconds) and `retry-after` / `x-ratelimit-retry-after` (seconds, or an HTTP-date).
 *
 * @example
 * ```ts
 * const state = parseRateLimit(response.headers, Date.now());
 * if (state.remaining === 0) console.log('resets at', state.resetAt);
 * ```
 */
export function parseRateLimit(headers: HeaderReader, now: number): RateLimitState {
  const resetSeconds = parseSeconds(readHeader(headers, HEADERS.rateLimitReset));
  let resetAt: Date | null = null;
  if (resetSeconds !== null) {
    const ms =
      resetSeconds < EPOCH_SECONDS_THRESHOLD ? now + resetSeconds * 1000 : resetSeconds * 1000;
    resetAt = new Date(Math.round(ms));
  }
  const retryAfterMs =
    parseRetryAfter(readHeader(headers, HEADERS.rateLimitRetryAfter), now) ??
    parseRetryAfter(readHeader(headers, HEADERS.retryAfter), now);
  return {
    limit: parseCount(readHeader(headers, HEADERS.rateLimitLimit)),
    remaining: parseCount(readHeader(headers, HEADERS.rateLimitRemaining)),
    resetAt,
    retryAfterMs,
  };
}

/**
 * Whether an answer says its rate-limit window is spent: a readable `x-ratelimit-reset`
 * and an `x-ratelimit-remaining` that is 0 (or absent: a 429 from Braze means none left). Only such a 429 is a wait for the window's
 * end (its own reset, sooner or later than earlier answers said). A 429 without Braze's
 * headers (an edge proxy's page) or reporting budget left is transient: backoff, honouring
 * `retry-after`. See docs/BRAZE_API.md "Rate limits: the rules the client follows".
 *
 * @example `isWindowSpent({ limit: 50, remaining: 0, resetAt: new Date(), retryAfterMs: null }) // true`
 */
export function isWindowSpent(state: RateLimitState): boolean {
  return state.resetAt !== null && (state.remaining === null || state.remaining === 0);
}

/**
 * Whether an answer carries none of Braze's rate-limit headers (an edge proxy's page, or
 * the empty values of a 401): it tells nothing about the window.
 *
 * @example `hasNoBrazeRateLimit(emptyRateLimit()) // true`
 */
export function hasNoBrazeRateLimit(state: RateLimitState): boolean {
  return state.limit === null && state.remaining === null && state.resetAt === null;
}

/** A state with nothing known, e.g. for a request that got no answer. */
export function emptyRateLimit(): RateLimitState {
  return { limit: null, remaining: null, resetAt: null, retryAfterMs: null };
}
