/**
 * Facts about Braze's "Export Custom Events" API that both the client (`core`) and the
 * emulator rely on. Sources: ../shared/BRAZE_API.md, which cites Braze's docs
 * (`_docs/_api/endpoints/export/custom_events/*.md`, `_docs/_api/api_limits.md`).
 *
 * Everything here is a documented fact unless its comment says "inferred".
 */

/** Paths of the three endpoints, relative to the REST base URL. */
export const PATHS = {
  eventsList: '/events/list',
  events: '/events',
  dataSeries: '/events/data_series',
} as const;

/** Names per page of GET /events/list (documented: "up to 250"). */
export const EVENTS_LIST_PAGE_SIZE = 250;

/** Events per page of GET /events (documented: "up to 50"). */
export const EVENTS_PAGE_SIZE = 50;

/** Largest `length` GET /events/data_series accepts, for `day` and `hour` alike. */
export const MAX_SERIES_LENGTH = 100;

/** Time units of GET /events/data_series; `day` is Braze's default. */
export const UNITS = ['day', 'hour'] as const;
export type Unit = (typeof UNITS)[number];
export const DEFAULT_UNIT: Unit = 'day';

/** Milliseconds in one bucket of each unit: owned by the time module. */
export { UNIT_MS } from './time.js';

/** Per-endpoint permissions a REST API key can carry. */
export const PERMISSIONS = {
  eventsList: 'events.list',
  events: 'events.get',
  dataSeries: 'events.data_series',
} as const;
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];
export const ALL_PERMISSIONS: readonly Permission[] = Object.values(PERMISSIONS);

/**
 * Rate-limit buckets. /events/list and /events share one documented 1,000/hour bucket
 * (with /custom_attributes and /purchases/product_list); data_series falls under the
 * 250,000/hour default. Workspaces created before 2021-09-16 may have the default for
 * the listing endpoints too, so every consumer must treat these as overridable defaults.
 */
export const RATE_LIMIT_BUCKETS = {
  /** GET /events/list and GET /events. */
  listing: 'listing',
  /** GET /events/data_series. */
  dataSeries: 'dataSeries',
} as const;
export type RateLimitBucket = (typeof RATE_LIMIT_BUCKETS)[keyof typeof RATE_LIMIT_BUCKETS];

export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitBucket, number>> = {
  listing: 1_000,
  dataSeries: 250_000,
};

/** Which bucket each path draws from. */
export const BUCKET_OF_PATH: Readonly<Record<string, RateLimitBucket>> = {
  [PATHS.eventsList]: 'listing',
  [PATHS.events]: 'listing',
  [PATHS.dataSeries]: 'dataSeries',
};

/** Rate-limit windows are fixed clock hours (reset at the top of each hour). */
export const RATE_LIMIT_WINDOW_MS = 3_600_000;

/** Lower-case response header names Braze uses for rate limiting and tracing. */
export const HEADERS = {
  rateLimitLimit: 'x-ratelimit-limit',
  rateLimitRemaining: 'x-ratelimit-remaining',
  /** UTC epoch seconds of the next window start. */
  rateLimitReset: 'x-ratelimit-reset',
  /** Seconds; sent by some Braze API families. */
  rateLimitRetryAfter: 'x-ratelimit-retry-after',
  retryAfter: 'retry-after',
  requestId: 'x-request-id',
  link: 'link',
} as const;
