/**
 * The streams both connectors offer, with their JSON Schemas, keys and cursor, and the
 * records they carry. Pure. Field names are the `event_counts` table's (src/sync/README.md),
 * so a warehouse loaded by Airbyte or Meltano reads like a database filled by `sync`.
 */
import type { Unit } from '../api/constants.js';
import type { CustomEvent } from '../core/types.js';
import type { StoredBucket } from '../sync/diff.js';
import type { SeriesKey } from '../sync/series.js';
import { ConnectorInputError } from './config.js';

/** The catalog of event names (full refresh). */
export const EVENTS_STREAM = 'events';

/** Count streams (incremental), by the unit of their buckets. */
export const COUNT_STREAMS: Readonly<Record<Unit, string>> = {
  day: 'event_counts_daily',
  hour: 'event_counts_hourly',
};

/** The unit of a count stream, or `undefined` for any other name. */
export function countStreamUnit(stream: string): Unit | undefined {
  if (stream === COUNT_STREAMS.day) return 'day';
  if (stream === COUNT_STREAMS.hour) return 'hour';
  return undefined;
}

/**
 * The streams a configuration offers: `events`, and the count streams of its `units` (a
 * stream of another unit is neither discovered nor read).
 *
 * @example offeredStreams(['day']) // ['events', 'event_counts_daily']
 */
export function offeredStreams(units: readonly Unit[]): string[] {
  return STREAM_NAMES.filter((name) => {
    const unit = countStreamUnit(name);
    return unit === undefined || units.includes(unit);
  });
}

/**
 * Splits the streams a catalog asks for into those the configuration offers and the
 * rest, with the warning a connector logs for the rest (a catalog discovered before
 * `units` changed).
 */
export function offeredOnly<T extends { name: string }>(
  streams: readonly T[],
  units: readonly Unit[],
): { read: T[]; warning: string | undefined } {
  const offered = offeredStreams(units);
  const read = streams.filter((s) => offered.includes(s.name));
  const skipped = streams.filter((s) => !offered.includes(s.name)).map((s) => s.name);
  const warning =
    skipped.length > 0
      ? `not read, their unit is not in the config's units ${JSON.stringify(units)}: ${skipped.join(', ')}`
      : undefined;
  return { read, warning };
}

/** Primary key of the events stream. */
export const EVENTS_KEY = ['name'] as const;

/**
 * Primary key of a count stream: one row per bucket of a series. `app_id` and `segment_id`
 * are `''` for the series over all apps / all users, as in the `event_counts` table, so the
 * key never holds a null.
 */
export const COUNTS_KEY = ['event', 'app_id', 'segment_id', 'bucket_start'] as const;

/** Cursor of a count stream: the bucket's start, a UTC ISO instant. */
export const COUNTS_CURSOR = 'bucket_start';

const nullableString = { type: ['null', 'string'] };

/** JSON Schema of an `events` record. Details are null when the key lacks `events.get`. */
export const EVENTS_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string' },
    description: nullableString,
    included_in_analytics_report: { type: ['null', 'boolean'] },
    status: nullableString,
    tag_names: { type: ['null', 'array'], items: { type: 'string' } },
  },
} as const;

/** JSON Schema of a count record. */
export const COUNTS_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['event', 'unit', 'app_id', 'segment_id', 'time', 'bucket_start', 'count'],
  properties: {
    event: { type: 'string' },
    unit: { type: 'string', enum: ['day', 'hour'] },
    app_id: { type: 'string', description: "'' for the series over all apps" },
    segment_id: { type: 'string', description: "'' for the series over all users" },
    time: { type: 'string', description: "the bucket's time exactly as Braze sent it" },
    bucket_start: {
      type: 'string',
      format: 'date-time',
      description: 'start of the bucket, a UTC ISO 8601 instant',
    },
    count: { type: 'integer' },
  },
} as const;

/**
 * A stream as both protocols describe it (each in its own message shapes): name, JSON
 * Schema, primary key, and whether it is read incrementally (by {@link COUNTS_CURSOR}).
 */
export interface StreamInfo {
  name: string;
  schema: typeof EVENTS_SCHEMA | typeof COUNTS_SCHEMA;
  keys: readonly string[];
  incremental: boolean;
}

/** Every stream, in catalog order. */
export const STREAMS: readonly StreamInfo[] = [
  { name: EVENTS_STREAM, schema: EVENTS_SCHEMA, keys: EVENTS_KEY, incremental: false },
  { name: COUNT_STREAMS.day, schema: COUNTS_SCHEMA, keys: COUNTS_KEY, incremental: true },
  { name: COUNT_STREAMS.hour, schema: COUNTS_SCHEMA, keys: COUNTS_KEY, incremental: true },
];

/**
 * Whether a stream can be read incrementally (by {@link COUNTS_CURSOR}): its `incremental`
 * in {@link STREAMS}, which both connectors ask rather than deciding by the stream's name.
 */
export function isIncrementalStream(name: string): boolean {
  return STREAMS.some((s) => s.name === name && s.incremental);
}

/** Every stream name, in catalog order. */
export const STREAM_NAMES: readonly string[] = STREAMS.map((s) => s.name);

/** The streams a configuration offers (see {@link offeredStreams}), described. */
export function offeredStreamInfos(units: readonly Unit[]): StreamInfo[] {
  const offered = offeredStreams(units);
  return STREAMS.filter((s) => offered.includes(s.name));
}

/**
 * A stream name from a catalog the platform passes, checked: a name this source does not
 * have is a `ConnectorInputError` naming it and the streams there are.
 */
export function catalogStreamName(name: unknown): string {
  if (typeof name !== 'string' || !STREAM_NAMES.includes(name)) {
    throw new ConnectorInputError(
      `--catalog: unknown stream ${JSON.stringify(name)} (streams: ${STREAM_NAMES.join(', ')})`,
    );
  }
  return name;
}

/** A record of a count stream. */
export interface CountRecord {
  event: string;
  unit: Unit;
  app_id: string;
  segment_id: string;
  time: string;
  bucket_start: string;
  count: number;
}

/** A record of the events stream. */
export interface EventRecord {
  name: string;
  description: string | null;
  included_in_analytics_report: boolean | null;
  status: string | null;
  tag_names: string[] | null;
}

/** One bucket of a series as a count record. */
export function countRecord(key: SeriesKey, bucket: StoredBucket): CountRecord {
  return {
    event: key.event,
    unit: key.unit,
    app_id: key.appId,
    segment_id: key.segmentId,
    time: bucket.time,
    bucket_start: bucket.bucketStart,
    count: bucket.count,
  };
}

/** An event as a record: its details when GET /events gave them, else its name only. */
export function eventRecord(name: string, details: CustomEvent | undefined): EventRecord {
  return {
    name,
    description: details?.description ?? null,
    included_in_analytics_report: details?.includedInAnalyticsReport ?? null,
    status: details?.status ?? null,
    tag_names: details?.tagNames ?? null,
  };
}
