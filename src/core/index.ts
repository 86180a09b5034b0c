// Internal barrel of the core layer, for the other layers and the tests; not a package
// entry: the library's public names are chosen in src/index.ts, which imports source files.
// Time (bucket arithmetic, offsets, ISO parsing) lives in src/api/time.ts, shared with the
// emulator and the dashboard's browser code.
export {
  type BucketZone,
  bucketStartMs,
  ceilToBucket,
  DEFAULT_HOUR_BUCKETS,
  floorToBucket,
  formatIsoInstant,
  formatUtcOffset,
  HOUR_BUCKETS,
  type HourBuckets,
  lastCompleteBucket,
  MAX_ISO_LENGTH,
  MAX_UTC_OFFSET_MINUTES,
  MIN_UTC_OFFSET_MINUTES,
  parseBucketTime,
  parseIsoInstant,
  parseUtcOffset,
  validateUtcOffsetMinutes,
} from '../api/time.js';
export { createBrazeClient } from './client.js';
export {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_FLOOR_MS,
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_BUCKET_UTC_OFFSET_MINUTES,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_LISTING_PAGES,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_MAX_SHARE_OF_LIMIT,
  DEFAULT_RATE_LIMIT_RESERVE,
  DEFAULT_SERIES_COMPLETENESS,
  DEFAULT_TIMEOUT_MS,
  ERROR_EXCERPT_LENGTH,
  type SeriesCompleteness,
} from './defaults.js';
export {
  isLoopback,
  type ResolvedEndpoint,
  type ResolveEndpointOptions,
  resolveEndpoint,
  resolveEndpointNotices,
} from './endpoint.js';
export {
  BrazeAuthError,
  BrazeError,
  BrazeHttpError,
  type BrazeHttpErrorInit,
  BrazeNetworkError,
  BrazeRateLimitError,
  BrazeResponseShapeError,
  BrazeTimeoutError,
  errorFromResponse,
  type FailedResponse,
  isBrazeAuthError,
  isBrazeError,
  isBrazeHttpError,
  isBrazeNetworkError,
  isBrazeRateLimitError,
  isBrazeResponseShapeError,
  isBrazeTimeoutError,
  isEventScopedError,
  type RequestInfo,
} from './errors.js';
export {
  findNextLink,
  type LinkValue,
  MAX_LINK_HEADER_LENGTH,
  parseLinkHeader,
} from './link-header.js';
export { MAX_RATE_LIMIT_HEADER_LENGTH, parseRateLimit, parseRetryAfter } from './rate-limit.js';
export { backoffDelay, isRetryableStatus, retryDelay, shouldRetry } from './retry.js';
export {
  type PlanSeriesWindowsOptions,
  planSeriesWindows,
  type SeriesWindow,
  seriesWindows,
} from './series-windows.js';
export type {
  BrazeClient,
  BrazeClientOptions,
  ClientNotice,
  ClientStats,
  CustomEvent,
  EventNamesOptions,
  EventSeriesOptions,
  EventsOptions,
  GetEventSeriesOptions,
  GetEventSeriesResult,
  ListEventNamesOptions,
  ListEventNamesResult,
  Logger,
  NormalizedBucket,
  RateLimitState,
  RequestOptions,
  SeriesBucket,
  SeriesFilter,
} from './types.js';
// The one rule for names Braze cannot be asked for; the rest of validate.ts is internal.
export { eventNameProblem } from './validate.js';
export {
  USER_AGENT,
  VERSION,
} from './version.js';
