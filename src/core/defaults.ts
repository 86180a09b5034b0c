/**
 * Every default of the client, as named constants. Each can be overridden per client
 * (`createBrazeClient({ timeoutMs })`) and, where it makes sense, per call.
 */
import { RATE_LIMIT_WINDOW_MS } from '../api/constants.js';

/** Milliseconds one HTTP attempt may take, body included, before it is aborted. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Retries after the first attempt for transient failures (network, timeout, 408, 429, 5xx). */
export const DEFAULT_MAX_RETRIES = 5;

/** HTTP requests the client keeps in flight at once, across all endpoints. */
export const DEFAULT_MAX_CONCURRENCY = 4;

/**
 * Longest single wait for a rate-limit window or a server-given `retry-after`. Braze's
 * windows are clock hours, so one hour covers every honest answer; a longer wait than this
 * makes a 429 throw `BrazeRateLimitError` with its `resetAt` instead of sleeping.
 */
export const DEFAULT_MAX_RETRY_WAIT_MS = RATE_LIMIT_WINDOW_MS;

/**
 * Share (0 < share ≤ 1) of a bucket's hourly limit this client may spend in one window.
 * The budget is shared with every other integration of the workspace; 0.5 leaves half.
 */
export const DEFAULT_MAX_SHARE_OF_LIMIT = 1;

/** Requests left unused in each window: pacing waits for the reset when `remaining` hits it. */
export const DEFAULT_RATE_LIMIT_RESERVE = 0;

/** First backoff step; attempt n waits about `base * 2^n`, jittered. */
export const DEFAULT_BACKOFF_BASE_MS = 500;

/** Shortest backoff between two attempts, whatever the jitter draws. */
export const DEFAULT_BACKOFF_FLOOR_MS = 100;

/** Longest exponential backoff between two attempts (server-given waits use maxRetryWaitMs). */
export const DEFAULT_BACKOFF_MAX_MS = 30_000;

/** Largest response body read; a longer (or endless) body is cut off with an error. */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/**
 * UTC offset, in minutes, of the zone Braze's day buckets (and zone-less datetimes) are in.
 * Braze does not document that zone; UTC is the assumption, and this makes it configurable.
 */
export const DEFAULT_BUCKET_UTC_OFFSET_MINUTES = 0;

/** How strictly a data_series answer is checked; see `seriesCompleteness`. */
export const SERIES_COMPLETENESS = ['strict', 'lenient'] as const;
export type SeriesCompleteness = (typeof SERIES_COMPLETENESS)[number];

/**
 * Default `seriesCompleteness`. That Braze answers exactly `length` ascending, zero-filled
 * buckets is INFERRED from recordings, not documented (../shared/BRAZE_API.md), so the
 * client checks it: in 'strict' mode an answer with missing, duplicate or out-of-order
 * buckets is a transient BrazeResponseShapeError and is retried, instead of silently
 * becoming a series with a hole. 'lenient' passes answers through as they come, for
 * workspaces where Braze is seen to omit buckets.
 */
export const DEFAULT_SERIES_COMPLETENESS: SeriesCompleteness = 'strict';

/** Characters of a response body quoted in an error message. */
export const ERROR_EXCERPT_LENGTH = 200;

/**
 * Most pages one listing (`eventNames`, `events`) reads before it stops with a notice:
 * 200 pages of /events/list (50,000 names) and 1,000 of /events (50,000 events). Each page
 * spends the workspace's shared 1,000/hour listing budget, and what Braze answers past the
 * last page is undocumented, so a server that never ends a listing must not drain it.
 * Overridable per call (`maxPages`).
 */
export const DEFAULT_MAX_LISTING_PAGES = { eventsList: 200, events: 1_000 } as const;
