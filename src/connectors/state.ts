/**
 * The state a connector hands back after each window, and reads at the next run: for each
 * series of a count stream, the range of buckets emitted so far (`stored_from`) and its
 * watermark (`synced_through`, the start of the newest bucket emitted) — the two values the
 * sync keeps in its database, so the sync's planner decides what to read next. Pure.
 *
 * The blob (Airbyte's per-stream `stream_state`, a Singer bookmark):
 * `{ "bucket_utc_offset": "+00:00", "hour_buckets": "local", "series": [{ "event", "app_id",
 * "segment_id", "stored_from", "synced_through" }] }`. The zone is kept because the
 * instants mean nothing without it: read at another zone, the same bucket gets another
 * `bucket_start`, and deduplication on the primary key cannot remove the double.
 */
import type { Unit } from '../api/constants.js';
import {
  type BucketZone,
  bucketZone,
  DEFAULT_HOUR_BUCKETS,
  formatUtcOffset,
  HOUR_BUCKETS,
  type HourBuckets,
  isBucketStart,
  parseIsoInstant,
  parseUtcOffset,
  sameBucketEdges,
} from '../api/time.js';
import type { SeriesState } from '../sync/planner.js';
import { type SeriesKey, seriesId } from '../sync/series.js';

/** One series' bookmark. `app_id`/`segment_id` are `''` when not filtered. */
export interface SeriesBookmark {
  event: string;
  app_id: string;
  segment_id: string;
  /** Start of the oldest bucket emitted, UTC ISO instant. */
  stored_from: string;
  /** Start of the newest bucket emitted (the watermark), UTC ISO instant. */
  synced_through: string;
}

/** The state blob of one count stream. */
export interface CountStreamState {
  /** The day-bucket offset the instants were computed at (`±HH:MM`). */
  bucket_utc_offset: string;
  /**
   * The hour alignment they were computed at (`local` | `utc`). Absent in states written
   * before it was recorded: read as the default, `local`.
   */
  hour_buckets: HourBuckets;
  series: SeriesBookmark[];
}

/** The series of one stream, by {@link seriesId}. */
export type SeriesStates = Map<string, { key: SeriesKey; state: SeriesState }>;

/** A state blob that cannot be used: names the stream and what is wrong. */
export class ConnectorStateError extends Error {
  override name = 'ConnectorStateError';
}

/** A bookmark's instant: ISO 8601 (the time module's parser), on a bucket edge of the zone. */
function instant(
  stream: string,
  field: string,
  value: unknown,
  unit: Unit,
  zone: Required<BucketZone>,
): Date {
  const ms = typeof value === 'string' ? parseIsoInstant(value) : null;
  if (ms === null) {
    throw new ConnectorStateError(
      `state of ${stream}: ${field} must be an ISO 8601 instant, got ${JSON.stringify(value)}`,
    );
  }
  if (!isBucketStart(ms, unit, zone)) {
    throw new ConnectorStateError(
      `state of ${stream}: ${field} ${JSON.stringify(value)} is not the start of a ${unit} bucket at bucket_utc_offset ${formatUtcOffset(zone.utcOffsetMinutes)}, hour_buckets ${zone.hourBuckets}`,
    );
  }
  return new Date(ms);
}

/**
 * Reads a stream's state blob (absent: a first run). Throws {@link ConnectorStateError}
 * when it is malformed, when an instant is not a bucket edge of `zone`, or when it was
 * written at another day-bucket offset, or at another hour alignment that moves this
 * stream's bucket edges (its instants would put one bucket at two places).
 *
 * @example
 * parseCountStreamState('event_counts_daily', 'day', blob, { utcOffsetMinutes: 0, hourBuckets: 'local' });
 */
export function parseCountStreamState(
  stream: string,
  unit: Unit,
  blob: unknown,
  zone: BucketZone,
): SeriesStates {
  const want = bucketZone(zone);
  const utcOffsetMinutes = want.utcOffsetMinutes;
  const out: SeriesStates = new Map();
  if (blob === undefined || blob === null) return out;
  const json = blob as Partial<CountStreamState>;
  if (typeof blob !== 'object' || !Array.isArray(json.series)) {
    throw new ConnectorStateError(`state of ${stream} must be an object with a "series" list`);
  }
  const stored =
    typeof json.bucket_utc_offset === 'string' ? parseUtcOffset(json.bucket_utc_offset) : 0;
  if (stored !== utcOffsetMinutes) {
    throw new ConnectorStateError(
      `state of ${stream} was written at bucket_utc_offset ${String(json.bucket_utc_offset)}, the config says ${formatUtcOffset(utcOffsetMinutes)}: ` +
        'set bucket_utc_offset back, or reset the stream (a full re-read) to change it',
    );
  }
  const hourBuckets: unknown = json.hour_buckets ?? DEFAULT_HOUR_BUCKETS;
  if (!(HOUR_BUCKETS as readonly unknown[]).includes(hourBuckets)) {
    throw new ConnectorStateError(
      `state of ${stream}: hour_buckets must be ${HOUR_BUCKETS.join(' or ')}, got ${JSON.stringify(json.hour_buckets)}`,
    );
  }
  const written = { utcOffsetMinutes, hourBuckets: hourBuckets as HourBuckets };
  if (!sameBucketEdges(unit, written, want)) {
    throw new ConnectorStateError(
      `state of ${stream} was written at hour_buckets ${hourBuckets}, the config says ${want.hourBuckets}: ` +
        'set hour_buckets back, or reset the stream (a full re-read) to change it',
    );
  }
  for (const s of json.series) {
    const b = (s ?? {}) as Partial<SeriesBookmark>;
    if (
      typeof b.event !== 'string' ||
      typeof b.app_id !== 'string' ||
      typeof b.segment_id !== 'string'
    ) {
      throw new ConnectorStateError(
        `state of ${stream}: each series needs event, app_id and segment_id strings, got ${JSON.stringify(s)}`,
      );
    }
    const key: SeriesKey = { event: b.event, unit, appId: b.app_id, segmentId: b.segment_id };
    out.set(seriesId(key), {
      key,
      state: {
        storedFrom: instant(stream, 'stored_from', b.stored_from, unit, want),
        syncedThrough: instant(stream, 'synced_through', b.synced_through, unit, want),
      },
    });
  }
  return out;
}

/**
 * A stream's state blob, series in a stable order.
 *
 * @example
 * countStreamState(states, { utcOffsetMinutes: 0 }); // { bucket_utc_offset: '+00:00', hour_buckets: 'local', series: [...] }
 */
export function countStreamState(states: SeriesStates, zone: BucketZone): CountStreamState {
  const { utcOffsetMinutes, hourBuckets } = bucketZone(zone);
  const series = [...states.values()]
    .map(({ key, state }) => ({
      event: key.event,
      app_id: key.appId,
      segment_id: key.segmentId,
      stored_from: state.storedFrom.toISOString(),
      synced_through: state.syncedThrough.toISOString(),
    }))
    .sort((a, b) =>
      a.event < b.event
        ? -1
        : a.event > b.event
          ? 1
          : a.app_id.localeCompare(b.app_id) || a.segment_id.localeCompare(b.segment_id),
    );
  return {
    bucket_utc_offset: formatUtcOffset(utcOffsetMinutes),
    hour_buckets: hourBuckets,
    series,
  };
}
