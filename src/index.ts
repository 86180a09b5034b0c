// Public entry of the `braze-events` library. Every name is listed on purpose (ky's
// source/index.ts is the model): a new export is a decision, and test/core/public-api.test.ts
// pins the exact runtime list. This entry has zero runtime dependencies; the layers that
// need some (export, sync, check, dashboard) and the emulator are separate subpath exports,
// so importing the client never loads SQLite, PostgreSQL or CSV code.
//
// Not exported, on purpose (the CLI and the other layers import them from their source
// files, which is fine inside this package):
// - time arithmetic (src/api/time.ts: floorToBucket, parseUtcOffset, …): shared with the
//   emulator and the dashboard's browser code, and shaped for them, not for users;
// - the API's facts (src/api/constants.ts: PATHS, HEADERS, page sizes, rate-limit buckets):
//   what the client does with them is the contract, not the tables;
// - the client's machinery (retry/backoff, rate-limit and Link header parsing, series
//   windows, endpoint resolution, validators, errorFromResponse): replaceable without notice;
// - DEFAULT_* constants the README does not document (backoff timings, the response size
//   cap, the excerpt length): tuning, not options.

export type { Unit } from './api/constants.js';
export type { BrazeHostKind, InstanceId } from './api/instances.js';
export { INSTANCES } from './api/instances.js';
// Types cost nothing at run time: every shape a user of the client may need to name.
export type { BrazeOptionError, BrazeOptionErrorFields } from './api/option-errors.js';
export {
  BrazeOptionRangeError,
  BrazeOptionTypeError,
  isBrazeOptionError,
} from './api/option-errors.js';
export type { BucketZone, HourBuckets } from './api/time.js';
// The default lives with the other time facts (src/api/time.ts); documented as an option.
export { DEFAULT_HOUR_BUCKETS } from './api/time.js';
export type {
  DataSeriesBody,
  DataSeriesQuery,
  ErrorBody,
  EventsBody,
  EventsListBody,
  SeriesPoint,
  WireCustomEvent,
} from './api/types.js';
export { createBrazeClient } from './core/client.js';
export type { SeriesCompleteness } from './core/defaults.js';
// The defaults the README documents. src/core/client.ts imports mostly the same names to
// apply them: a deliberate mirror (the duplicates tool pairs the two lists).
export {
  DEFAULT_BUCKET_UTC_OFFSET_MINUTES,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_LISTING_PAGES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_MAX_SHARE_OF_LIMIT,
  DEFAULT_RATE_LIMIT_RESERVE,
  DEFAULT_SERIES_COMPLETENESS,
  DEFAULT_TIMEOUT_MS,
} from './core/defaults.js';
export type { BrazeErrorCode, BrazeHttpErrorInit, RequestInfo } from './core/errors.js';
export {
  BrazeAuthError,
  BrazeError,
  BrazeHttpError,
  BrazeNetworkError,
  BrazeRateLimitError,
  BrazeResponseShapeError,
  BrazeTimeoutError,
  isBrazeAuthError,
  isBrazeError,
  isBrazeHttpError,
  isBrazeNetworkError,
  isBrazeRateLimitError,
  isBrazeResponseShapeError,
  isBrazeTimeoutError,
  isEventScopedError,
} from './core/errors.js';
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
} from './core/types.js';
