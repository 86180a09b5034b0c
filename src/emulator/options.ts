/**
 * Options of `startEmulator`, validated at the boundary (a `BrazeOptionTypeError` or
 * `BrazeOptionRangeError` with the option's name and the bad value, its message naming
 * both) and completed with the defaults of `defaults.ts`.
 */
import { DEFAULT_RATE_LIMITS, type RateLimitBucket } from '../api/constants.js';
import {
  BrazeOptionRangeError,
  BrazeOptionTypeError,
  validateChoice,
} from '../api/option-errors.js';
import {
  type BucketZone,
  DEFAULT_HOUR_BUCKETS,
  dayNumber,
  HOUR_BUCKETS,
  validateUtcOffsetMinutes,
} from '../api/time.js';
import {
  DEFAULT_ANCHOR,
  DEFAULT_EMULATOR_HOST,
  DEFAULT_EMULATOR_PORT,
  DEFAULT_EMULATOR_SEED,
  DEFAULT_EVENT_COUNT,
  DEFAULT_FUTURE_ENDING_AT,
  DEFAULT_HOUR_FORMAT,
  DEFAULT_HOUR_MS,
  DEFAULT_LINK_STYLE,
  DEFAULT_ZONE_OFFSET_MINUTES,
  EMULATOR_DEFAULT_KEY,
  FUTURE_ENDING_AT,
  type FutureEndingAt,
  HOUR_FORMATS,
  LINK_STYLES,
  type LinkStyle,
} from './defaults.js';
import { validateFault } from './faults.js';
import type {
  EmulatorDataset,
  EmulatorKey,
  EmulatorOptions,
  FaultRule,
  HourFormat,
  ProvisionalOptions,
} from './types.js';

export interface ResolvedOptions {
  seed: number;
  events: number;
  data: EmulatorDataset | undefined;
  keys: readonly EmulatorKey[];
  rateLimits: Record<RateLimitBucket, number>;
  hourMs: number;
  now: () => number;
  faults: readonly FaultRule[];
  port: number;
  host: string;
  /** The bucket zone: offset and hour alignment. */
  zone: Required<BucketZone>;
  hourFormat: HourFormat;
  futureEndingAt: FutureEndingAt;
  provisional: ProvisionalOptions | undefined;
  anchor: string;
  linkStyle: LinkStyle;
}

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BrazeOptionRangeError(
      name,
      value,
      `${name} must be an integer from ${min} to ${max}; got ${String(value)}`,
    );
  }
  return value;
}

/** @example resolveOptions({ seed: 7 }).events; // 612 */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const seed = integer('seed', options.seed ?? DEFAULT_EMULATOR_SEED, 0, 2 ** 32 - 1);
  const events = integer('events', options.events ?? DEFAULT_EVENT_COUNT, 0, 1_000_000);
  const keys = options.keys ?? [{ key: EMULATOR_DEFAULT_KEY }];
  for (const k of keys) {
    if (typeof k?.key !== 'string' || k.key === '')
      throw new BrazeOptionTypeError('keys', k, 'keys[].key must be a non-empty string');
  }
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  for (const [bucket, limit] of Object.entries(rateLimits)) {
    integer(`rateLimits.${bucket}`, limit, 0, Number.MAX_SAFE_INTEGER);
  }
  const hourMs = options.hourMs ?? DEFAULT_HOUR_MS;
  if (!(Number.isFinite(hourMs) && hourMs >= 1)) {
    throw new BrazeOptionRangeError(
      'hourMs',
      hourMs,
      `hourMs must be a number >= 1; got ${String(hourMs)}`,
    );
  }
  const offset = validateUtcOffsetMinutes(
    'zoneOffsetMinutes',
    options.zoneOffsetMinutes ?? DEFAULT_ZONE_OFFSET_MINUTES,
  );
  const hourBuckets = validateChoice(
    'hourBuckets',
    options.hourBuckets,
    HOUR_BUCKETS,
    DEFAULT_HOUR_BUCKETS,
  );
  const futureEndingAt = validateChoice(
    'futureEndingAt',
    options.futureEndingAt,
    FUTURE_ENDING_AT,
    DEFAULT_FUTURE_ENDING_AT,
  );
  const hourFormat = validateChoice(
    'hourFormat',
    options.hourFormat,
    HOUR_FORMATS,
    DEFAULT_HOUR_FORMAT,
  );
  const provisional = options.provisional;
  if (provisional !== undefined) {
    integer('provisional.days', provisional.days, 0, 100);
    if (!(provisional.factor > 0))
      throw new BrazeOptionRangeError(
        'provisional.factor',
        provisional.factor,
        `provisional.factor must be > 0; got ${String(provisional.factor)}`,
      );
  }
  const anchor = options.anchor ?? DEFAULT_ANCHOR;
  if (Number.isNaN(dayNumber(anchor))) {
    throw new BrazeOptionRangeError(
      'anchor',
      anchor,
      `anchor must be an ISO date YYYY-MM-DD; got ${JSON.stringify(anchor)}`,
    );
  }
  const linkStyle = validateChoice('linkStyle', options.linkStyle, LINK_STYLES, DEFAULT_LINK_STYLE);
  const faults = (options.faults ?? []).map(validateFault);
  return {
    seed,
    events,
    data: options.data,
    keys,
    rateLimits,
    hourMs,
    now: options.now ?? Date.now,
    faults,
    port: integer('port', options.port ?? DEFAULT_EMULATOR_PORT, 0, 65_535),
    host: options.host ?? DEFAULT_EMULATOR_HOST,
    zone: { utcOffsetMinutes: offset, hourBuckets },
    hourFormat,
    futureEndingAt,
    provisional,
    anchor,
    linkStyle,
  };
}
