// Internal barrel of the API's facts (paths, headers, page sizes, rate-limit buckets,
// instances, wire types) for the emulator; not a package entry (the library's public names
// are chosen in src/index.ts). Time arithmetic is imported from ./time.js directly.
export {
  ALL_PERMISSIONS,
  BUCKET_OF_PATH,
  DEFAULT_RATE_LIMITS,
  DEFAULT_UNIT,
  EVENTS_LIST_PAGE_SIZE,
  EVENTS_PAGE_SIZE,
  HEADERS,
  MAX_SERIES_LENGTH,
  PATHS,
  PERMISSIONS,
  type Permission,
  RATE_LIMIT_BUCKETS,
  RATE_LIMIT_WINDOW_MS,
  type RateLimitBucket,
  UNITS,
  type Unit,
} from './constants.js';
export {
  BRAZE_REST_HOST_RE,
  type BrazeHostKind,
  brazeHost,
  INSTANCE_IDS,
  INSTANCES,
  type InstanceId,
} from './instances.js';
export type {
  DataSeriesBody,
  DataSeriesQuery,
  ErrorBody,
  EventsBody,
  EventsListBody,
  SeriesPoint,
  WireCustomEvent,
} from './types.js';
