// The library's public surface. Re-exports only.
export * from './bucket-time.js';
export * from './client.js';
export * from './defaults.js';
export * from './endpoint.js';
export * from './errors.js';
export { formatIsoInstant, MAX_ISO_LENGTH, parseIsoInstant } from './iso-time.js';
export * from './link-header.js';
export { MAX_RATE_LIMIT_HEADER_LENGTH, parseRateLimit, parseRetryAfter } from './rate-limit.js';
export { backoffDelay, isRetryableStatus, retryDelay, shouldRetry } from './retry.js';
export * from './series-windows.js';
export type * from './types.js';
export * from './utc-offset.js';
// The one rule for names Braze cannot be asked for; the rest of validate.ts is internal.
export { eventNameProblem } from './validate.js';
export * from './version.js';
