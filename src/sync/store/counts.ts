/**
 * Reads and writes `event_counts` and `series_watermarks`. A window's rows and its
 * watermark are written in the caller's transaction, so the watermark never runs ahead of
 * committed rows and a crash leaves either all of a window or none of it.
 */
import { addBuckets } from '../../api/time.js';
import type { Queryable, SqlValue } from '../db/types.js';
import { type BucketDiff, diffBuckets, type StoredBucket } from '../diff.js';
import type { SeriesState } from '../planner.js';
import { type SeriesKey, seriesId } from '../series.js';

/** Rows per multi-row INSERT: 9 parameters each, far below both engines' limits. */
export const UPSERT_BATCH_ROWS = 200;

interface StateRow {
  event: string;
  unit: SeriesKey['unit'];
  app_id: string;
  segment_id: string;
  synced_through: string;
  stored_from: string | null;
}

/**
 * Stored state of every series of a workspace, keyed by {@link seriesId}.
 *
 * @example
 * const states = await loadSeriesStates(db, 'prod');
 */
export async function loadSeriesStates(
  db: Queryable,
  workspace: string,
): Promise<Map<string, SeriesState>> {
  const rows = await db.query<StateRow>(
    `SELECT w.event, w.unit, w.app_id, w.segment_id, w.synced_through,
       (SELECT min(c.bucket_start) FROM event_counts c
         WHERE c.workspace = w.workspace AND c.event = w.event AND c.unit = w.unit
           AND c.app_id = w.app_id AND c.segment_id = w.segment_id) AS stored_from
     FROM series_watermarks w WHERE w.workspace = ?`,
    [workspace],
  );
  const states = new Map<string, SeriesState>();
  for (const r of rows) {
    const syncedThrough = new Date(r.synced_through);
    const key = { event: r.event, unit: r.unit, appId: r.app_id, segmentId: r.segment_id };
    states.set(seriesId(key), {
      syncedThrough,
      storedFrom: r.stored_from ? new Date(r.stored_from) : syncedThrough,
    });
  }
  return states;
}

export interface WindowWrite {
  workspace: string;
  key: SeriesKey;
  /** Buckets as fetched, `bucketStart` ISO-8601 UTC. */
  buckets: readonly StoredBucket[];
  /** When they were fetched: `fetched_at`, and what decides which buckets are complete. */
  fetchedAt: Date;
}

/** Rows written by one window. */
export type WindowResult = Omit<BucketDiff, 'inserts' | 'updates'> & {
  inserted: number;
  updated: number;
};

/**
 * Upserts a window's buckets and moves the series' watermark, inside `tx`.
 *
 * @example
 * await db.transaction((tx) => writeWindow(tx, { workspace, key, buckets, fetchedAt }));
 */
export async function writeWindow(tx: Queryable, write: WindowWrite): Promise<WindowResult> {
  const { workspace, key, buckets, fetchedAt } = write;
  if (buckets.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const starts = buckets.map((b) => b.bucketStart).sort();
  const first = starts[0]!;
  const last = starts[starts.length - 1]!;
  const seriesParams = [workspace, key.event, key.unit, key.appId, key.segmentId];
  const stored = await tx.query<{ bucket_start: string; time: string; count: number }>(
    `SELECT bucket_start, time, count FROM event_counts
     WHERE workspace = ? AND event = ? AND unit = ? AND app_id = ? AND segment_id = ?
       AND bucket_start >= ? AND bucket_start <= ?`,
    [...seriesParams, first, last],
  );
  const diff = diffBuckets(
    new Map(stored.map((r) => [r.bucket_start, { time: r.time, count: Number(r.count) }])),
    buckets,
  );
  const changed = [...diff.inserts, ...diff.updates];
  const fetched = fetchedAt.toISOString();
  for (let i = 0; i < changed.length; i += UPSERT_BATCH_ROWS) {
    const chunk = changed.slice(i, i + UPSERT_BATCH_ROWS);
    const params: SqlValue[] = [];
    for (const b of chunk) params.push(...seriesParams, b.time, b.bucketStart, b.count, fetched);
    await tx.exec(
      `INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at)
       VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (workspace, event, unit, app_id, segment_id, bucket_start)
       DO UPDATE SET time = excluded.time, count = excluded.count, fetched_at = excluded.fetched_at`,
      params,
    );
  }

  // The newest bucket that had ended when it was fetched.
  const complete =
    starts.filter((s) => addBuckets(Date.parse(s), key.unit, 1) <= fetchedAt.getTime()).pop() ??
    null;
  const greatest = tx.dialect === 'postgres' ? 'GREATEST' : 'max';
  const newer = (col: string) =>
    `${greatest}(COALESCE(series_watermarks.${col}, excluded.${col}), COALESCE(excluded.${col}, series_watermarks.${col}))`;
  await tx.exec(
    `INSERT INTO series_watermarks (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace, event, unit, app_id, segment_id) DO UPDATE SET
       synced_through = ${newer('synced_through')},
       complete_through = ${newer('complete_through')},
       updated_at = excluded.updated_at`,
    [...seriesParams, last, complete, fetched],
  );
  return { inserted: diff.inserts.length, updated: diff.updates.length, unchanged: diff.unchanged };
}
