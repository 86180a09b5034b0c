/**
 * Validation of `syncWorkspace` options, before any request or write. Pure.
 */
import { UNITS, type Unit } from '../api/constants.js';
import { validateUtcOffsetMinutes } from '../api/time.js';
import { MAX_LOOKBACK } from './planner.js';
import { DEFAULT_SYNC_CONCURRENCY, type SyncOptions } from './types.js';

/** Largest `concurrency` accepted. */
export const MAX_SYNC_CONCURRENCY = 64;

/** Throws a TypeError/RangeError naming the first bad option. */
export function validateSyncOptions(o: SyncOptions, units: readonly Unit[], now: number): void {
  if (typeof o.workspace !== 'string' || o.workspace.trim() === '') {
    throw new TypeError(`workspace must be a non-empty string, got ${JSON.stringify(o.workspace)}`);
  }
  if (units.length === 0 || units.some((u) => !UNITS.includes(u))) {
    throw new RangeError(
      `units must be a non-empty list of ${UNITS.join('/')}, got ${JSON.stringify(units)}`,
    );
  }
  const c = o.concurrency ?? DEFAULT_SYNC_CONCURRENCY;
  if (!Number.isInteger(c) || c < 1 || c > MAX_SYNC_CONCURRENCY) {
    throw new RangeError(
      `concurrency must be an integer from 1 to ${MAX_SYNC_CONCURRENCY}, got ${c}`,
    );
  }
  if (o.heartbeatMs !== undefined && !(Number.isSafeInteger(o.heartbeatMs) && o.heartbeatMs >= 1)) {
    throw new RangeError(`heartbeatMs must be a positive integer, got ${String(o.heartbeatMs)}`);
  }
  if (
    o.lookback !== undefined &&
    (!Number.isInteger(o.lookback) || o.lookback < 0 || o.lookback > MAX_LOOKBACK)
  ) {
    throw new RangeError(
      `lookback must be an integer from 0 to ${MAX_LOOKBACK}, got ${o.lookback}`,
    );
  }
  if (o.since !== undefined && !(o.since.getTime() <= now)) {
    throw new RangeError(`since must be a valid date not after now, got ${String(o.since)}`);
  }
  if (o.bucketUtcOffsetMinutes !== undefined) {
    validateUtcOffsetMinutes('bucketUtcOffsetMinutes', o.bucketUtcOffsetMinutes);
  }
  if (o.events !== undefined && o.match !== undefined) {
    throw new TypeError('events and match cannot be combined');
  }
  for (const [name, list] of [
    ['events', o.events],
    ['appIds', o.appIds],
    ['segmentIds', o.segmentIds],
  ] as const) {
    if (list?.some((v) => typeof v !== 'string' || v === '')) {
      throw new TypeError(`${name} must hold non-empty strings, got ${JSON.stringify(list)}`);
    }
  }
}
