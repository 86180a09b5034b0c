/**
 * The bucket zone of a workspace's rows: the day-bucket offset and the hour alignment.
 * `bucket_start` is Braze's `time` read in a zone (Braze documents neither), so rows read
 * in two zones would put one day (or hour) at two instants: the first run records its zone,
 * later runs must match it.
 */
import {
  type BucketZone,
  DEFAULT_HOUR_BUCKETS,
  type HourBuckets,
  isUtcOffsetMinutes,
  parseIsoInstant,
  sameBucketEdges,
} from '../../api/time.js';
import type { Queryable } from '../db/types.js';
import { SyncHourBucketsMismatchError, SyncOffsetMismatchError } from '../errors.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The offset of a workspace synced before offsets were recorded, read off a stored day
 * row: its date at midnight UTC minus its stored start. `undefined` without day rows (an
 * hour's `time` carries its own offset, so hour rows say nothing about the setting).
 */
async function inferredOffset(db: Queryable, workspace: string): Promise<number | undefined> {
  const [row] = await db.query<{ time: string; bucket_start: string }>(
    `SELECT time, bucket_start FROM event_counts WHERE workspace = ? AND unit = 'day' LIMIT 1`,
    [workspace],
  );
  if (!row || !DATE_ONLY.test(row.time)) return undefined;
  const stored = parseIsoInstant(row.bucket_start, 0);
  if (stored === null) return undefined;
  const minutes = (parseIsoInstant(row.time, 0)! - stored) / 60_000;
  return isUtcOffsetMinutes(minutes) ? minutes : undefined;
}

interface SettingsRow {
  bucket_utc_offset_minutes: number;
  hour_buckets: HourBuckets | null;
}

/** The recorded zone, and whether its hour alignment was recorded too (schema 4 on). */
async function recordedSettings(
  db: Queryable,
  workspace: string,
): Promise<(Required<BucketZone> & { hourBucketsRecorded: boolean }) | undefined> {
  const [row] = await db.query<SettingsRow>(
    'SELECT bucket_utc_offset_minutes, hour_buckets FROM workspace_settings WHERE workspace = ?',
    [workspace],
  );
  if (row === undefined) return undefined;
  return {
    utcOffsetMinutes: Number(row.bucket_utc_offset_minutes),
    // NULL: recorded before the column existed (schema 4), when only local hours existed.
    hourBuckets: row.hour_buckets ?? DEFAULT_HOUR_BUCKETS,
    hourBucketsRecorded: row.hour_buckets !== null,
  };
}

/**
 * The zone a workspace's rows were read in: the offset and hour alignment its syncs
 * recorded; else the offset its day rows show, on local hours (the only alignment before
 * it was recorded); `undefined` when nothing says (no sync yet). What the check and the
 * dashboard cut days and hours with.
 *
 * @example
 * await readBucketZone(db, 'prod'); // { utcOffsetMinutes: 330, hourBuckets: 'local' }
 */
export async function readBucketZone(
  db: Queryable,
  workspace: string,
): Promise<Required<BucketZone> | undefined> {
  const recorded = await recordedSettings(db, workspace);
  if (recorded !== undefined) {
    return { utcOffsetMinutes: recorded.utcOffsetMinutes, hourBuckets: recorded.hourBuckets };
  }
  const offset = await inferredOffset(db, workspace);
  return offset === undefined
    ? undefined
    : { utcOffsetMinutes: offset, hourBuckets: DEFAULT_HOUR_BUCKETS };
}

/**
 * Checks `zone` against the workspace's rows, writing nothing: throws when rows it already
 * holds were read in another one (SyncOffsetMismatchError for another offset,
 * SyncHourBucketsMismatchError for hour rows on other hour edges, only possible at offsets
 * that are not whole hours). Returns true when the zone is not yet recorded as is: the run
 * then records it with {@link recordBucketZone} once it is opened (a usage mistake found in
 * between leaves no write). A zone recorded by runs that stored nothing (a first run that
 * failed on its key, say) is simply replaced. Call while holding the workspace's lock.
 *
 * @example
 * const zone = { utcOffsetMinutes: 330, hourBuckets: 'local' } as const;
 * if (await checkBucketZone(db, 'prod', zone)) await recordBucketZone(db, 'prod', zone, new Date());
 */
export async function checkBucketZone(
  db: Queryable,
  workspace: string,
  zone: Required<BucketZone>,
): Promise<boolean> {
  const recorded = await recordedSettings(db, workspace);
  const offset = zone.utcOffsetMinutes;
  if (
    recorded?.utcOffsetMinutes === offset &&
    recorded.hourBucketsRecorded &&
    recorded.hourBuckets === zone.hourBuckets
  ) {
    return false;
  }
  const storedOffset = recorded?.utcOffsetMinutes ?? (await inferredOffset(db, workspace));
  if (storedOffset !== undefined && storedOffset !== offset && (await holdsRows(db, workspace))) {
    throw new SyncOffsetMismatchError(workspace, storedOffset, offset);
  }
  const storedHours = recorded?.hourBuckets ?? DEFAULT_HOUR_BUCKETS;
  if (
    !sameBucketEdges('hour', { utcOffsetMinutes: offset, hourBuckets: storedHours }, zone) &&
    (await holdsRows(db, workspace, 'hour'))
  ) {
    throw new SyncHourBucketsMismatchError(workspace, offset, storedHours, zone.hourBuckets);
  }
  return true;
}

/** Records `zone` as the workspace's, after {@link checkBucketZone} allowed it. */
export async function recordBucketZone(
  db: Queryable,
  workspace: string,
  zone: Required<BucketZone>,
  at: Date,
): Promise<void> {
  await db.exec(
    `INSERT INTO workspace_settings (workspace, bucket_utc_offset_minutes, hour_buckets, updated_at)
     VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace) DO UPDATE SET
       bucket_utc_offset_minutes = excluded.bucket_utc_offset_minutes,
       hour_buckets = excluded.hour_buckets,
       updated_at = excluded.updated_at`,
    [workspace, zone.utcOffsetMinutes, zone.hourBuckets, at.toISOString()],
  );
}

async function holdsRows(db: Queryable, workspace: string, unit?: 'hour'): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 AS one FROM event_counts WHERE workspace = ?${unit ? ' AND unit = ?' : ''} LIMIT 1`,
    unit ? [workspace, unit] : [workspace],
  );
  return rows.length > 0;
}
