// The library's public surface. Re-exports only.
// Time (bucket arithmetic, offsets, ISO parsing) lives in src/api/time.ts, shared with the
// emulator and the dashboard's browser code; the library re-exports what its users need.
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
export * from './client.js';
export * from './defaults.js';
export * from './endpoint.js';
export * from './errors.js';
export * from './link-header.js';
export { MAX_RATE_LIMIT_HEADER_LENGTH, parseRateLimit, parseRetryAfter } from './rate-limit.js';
export { backoffDelay, isRetryableStatus, retryDelay, shouldRetry } from './retry.js';
export * from './selection.js';
export * from './series-windows.js';
export type * from './types.js';
// The one rule for names Braze cannot be asked for; the rest of validate.ts is internal.
export { eventNameProblem } from './validate.js';
export * from './version.js';
