/**
 * Reads and writes the counts and their series' watermarks (tables `counts` and `series`,
 * src/sync/db/compact-schema.ts). A window's rows and its
 * watermark are written in the caller's transaction, so the watermark never runs ahead of
 * committed rows and a crash leaves either all of a window or none of it.
 */
import { addBuckets, formatBucketTime, instantMs } from '../../api/time.js';
import { insertRows } from '../db/insert-rows.js';
import type { Database, Queryable, SqlValue } from '../db/types.js';
import { type BucketDiff, diffBuckets, type StoredBucket } from '../diff.js';
import type { SeriesState } from '../planner.js';
import { type SeriesKey, seriesId } from '../series.js';
import { type RequestCounters, windowRunParams, windowRunSql } from './runs.js';

interface StateRow {
  event: string;
  unit: SeriesKey['unit'];
  app_id: string;
  segment_id: string;
  synced_through: string;
  stored_from: number | null;
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
    `SELECT s.event, s.unit, s.app_id, s.segment_id, s.synced_through,
       (SELECT min(c.bucket_start) FROM counts c WHERE c.series_id = s.id) AS stored_from
     FROM series s WHERE s.workspace = ? AND s.synced_through IS NOT NULL`,
    [workspace],
  );
  const states = new Map<string, SeriesState>();
  for (const r of rows) {
    const syncedThrough = new Date(r.synced_through);
    const key = { event: r.event, unit: r.unit, appId: r.app_id, segmentId: r.segment_id };
    states.set(seriesId(key), {
      syncedThrough,
      storedFrom: r.stored_from === null ? syncedThrough : new Date(Number(r.stored_from) * 1000),
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
  /**
   * The day-bucket offset (minutes east of UTC) the buckets were read at; a new series
   * derives its `time` text at it, so only unusual text is stored. Default 0.
   */
  utcOffsetMinutes?: number;
  /**
   * The sync run (`sync_runs` row) that records the window in the same commit: its rows
   * are added to the run's row counters, and its request counters are raised to
   * `requests` (the client's so far); see `windowRunSql`.
   */
  run?: { id: number; requests: RequestCounters };
}

/** Rows written by one window. */
export type WindowResult = Omit<BucketDiff, 'inserts' | 'updates'> & {
  inserted: number;
  updated: number;
};

/**
 * Upserts a window's buckets, moves the series' watermark and records the window in its
 * run's counters (`write.run`), all or nothing. PostgreSQL does it in one statement, which is its own
 * transaction (arrays through `unnest`, one INSERT … ON CONFLICT): no BEGIN and COMMIT
 * to wait for, a tenth of a window's time. SQLite, in one transaction, diffs against the
 * stored rows in process and writes multi-row upserts. Retried like any statement or
 * transaction of `db` when a PostgreSQL connection is lost.
 *
 * @example
 * await writeWindow(db, { workspace, key, buckets, fetchedAt });
 */
export async function writeWindow(db: Database, write: WindowWrite): Promise<WindowResult> {
  const { run } = write;
  if (write.buckets.length === 0) {
    if (run) {
      const none = { inserted: 0, updated: 0 };
      await db.exec(windowRunSql(db.dialect), windowRunParams(run.id, run.requests, none));
    }
    return { inserted: 0, updated: 0, unchanged: 0 };
  }
  if (db.dialect === 'postgres') return writeWindowPostgres(db, write);
  return db.transaction(async (tx) => {
    const result = await writeWindowSqlite(tx, write);
    if (run) await tx.exec(windowRunSql('sqlite'), windowRunParams(run.id, run.requests, result));
    return result;
  });
}

/**
 * Start of the newest bucket, and of the newest that had ended when fetched (or null), of
 * `starts` (ISO-8601 UTC, sorted). Read from the newest back: usually one or two starts are
 * parsed, not every start of the window (parsing them all was a tenth of a window's
 * client time on PostgreSQL).
 */
function watermarks(write: WindowWrite, starts: readonly string[]) {
  const fetched = write.fetchedAt.getTime();
  let complete: string | null = null;
  for (let i = starts.length - 1; i >= 0 && complete === null; i--) {
    if (addBuckets(instantMs(starts[i]!), write.key.unit, 1) <= fetched) complete = starts[i]!;
  }
  return { last: starts[starts.length - 1]!, complete };
}

const seconds = (iso: string) => Math.round(instantMs(iso) / 1000);

interface SeriesRow {
  id: number;
  time_offset_minutes: number;
}

/** The series' row, created (at `offset`) when new. */
async function seriesRow(tx: Queryable, keyParams: SqlValue[], offset: number): Promise<SeriesRow> {
  const [found] = await tx.query<SeriesRow>(
    `SELECT id, time_offset_minutes FROM series
      WHERE workspace = ? AND event = ? AND unit = ? AND app_id = ? AND segment_id = ?`,
    keyParams,
  );
  if (found) return found;
  const [created] = await tx.query<SeriesRow>(
    `INSERT INTO series (workspace, event, unit, app_id, segment_id, time_offset_minutes)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING id, time_offset_minutes`,
    [...keyParams, offset],
  );
  return created!;
}

async function writeWindowSqlite(tx: Queryable, write: WindowWrite): Promise<WindowResult> {
  const { workspace, key, buckets, fetchedAt } = write;
  const starts = buckets.map((b) => b.bucketStart).sort();
  const keyParams = [workspace, key.event, key.unit, key.appId, key.segmentId];
  const series = await seriesRow(tx, keyParams, write.utcOffsetMinutes ?? 0);
  const id = Number(series.id);
  const offset = Number(series.time_offset_minutes);
  const { last, complete } = watermarks(write, starts);
  const stored = await tx.query<{ bucket_start: number; time: string | null; count: number }>(
    `SELECT bucket_start, time, count FROM counts
      WHERE series_id = ? AND bucket_start >= ? AND bucket_start <= ?`,
    [id, seconds(starts[0]!), seconds(last)],
  );
  const diff = diffBuckets(
    new Map(
      stored.map((r) => {
        const start = Number(r.bucket_start);
        const time = r.time ?? formatBucketTime(start * 1000, key.unit, offset, 'offset');
        return [new Date(start * 1000).toISOString(), { time, count: Number(r.count) }];
      }),
    ),
    buckets,
  );
  const changed = [...diff.inserts, ...diff.updates];
  const fetched = fetchedAt.getTime();
  await insertRows(
    tx,
    'INSERT INTO counts (series_id, bucket_start, count, fetched_at, time)',
    changed.map((b) => {
      const start = seconds(b.bucketStart);
      const time =
        b.time === formatBucketTime(start * 1000, key.unit, offset, 'offset') ? null : b.time;
      return [id, start, b.count, fetched, time];
    }),
    `ON CONFLICT (series_id, bucket_start)
     DO UPDATE SET time = excluded.time, count = excluded.count, fetched_at = excluded.fetched_at`,
  );
  // max() of SQLite returns NULL when an argument is NULL: keep whichever is known.
  await tx.exec(
    `UPDATE series SET
       synced_through = max(COALESCE(synced_through, ?), ?),
       complete_through = max(COALESCE(complete_through, ?), COALESCE(?, complete_through)),
       updated_at = ?
     WHERE id = ?`,
    [last, last, complete, complete, fetchedAt.toISOString(), id],
  );
  return { inserted: diff.inserts.length, updated: diff.updates.length, unchanged: diff.unchanged };
}

/** The window's upsert (see {@link writeWindowPostgres}); `run` records it in its run. */
const postgresWindowSql = (run: boolean) => `WITH s AS (
  INSERT INTO series (workspace, event, unit, app_id, segment_id, time_offset_minutes,
                      synced_through, complete_through, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (workspace, event, unit, app_id, segment_id) DO UPDATE SET
    synced_through = GREATEST(series.synced_through, excluded.synced_through),
    complete_through = GREATEST(series.complete_through, excluded.complete_through),
    updated_at = excluded.updated_at
  RETURNING id, unit, time_offset_minutes, (xmax = 0) AS created
), b AS (
  SELECT s.id, s.created, b.start, b.count,
         NULLIF(b.time, braze_bucket_time(b.start, s.unit, s.time_offset_minutes)) AS time
    FROM s, unnest(?::bigint[], ?::bigint[], ?::text[]) AS b(start, count, time)
), fresh AS (
  INSERT INTO counts (series_id, bucket_start, count, fetched_at, time)
  SELECT id, start, count, ?, time FROM b WHERE created
  RETURNING 1
), up AS (
  INSERT INTO counts (series_id, bucket_start, count, fetched_at, time)
  SELECT id, start, count, ?, time FROM b WHERE NOT created
  ON CONFLICT (series_id, bucket_start) DO UPDATE SET
    count = excluded.count, fetched_at = excluded.fetched_at, time = excluded.time
  WHERE counts.count <> excluded.count OR counts.time IS DISTINCT FROM excluded.time
  RETURNING (xmax = 0) AS inserted
), n AS (
  SELECT (SELECT count(*) FROM fresh) + count(*) FILTER (WHERE inserted) AS inserted,
         count(*) FILTER (WHERE NOT inserted) AS updated FROM up
)${
  run
    ? `, run AS (
  ${windowRunSql('postgres', { inserted: '(SELECT inserted FROM n)', updated: '(SELECT updated FROM n)' })}
)`
    : ''
}
SELECT inserted, updated FROM n`;

const POSTGRES_WINDOW_SQL = postgresWindowSql(false);
const POSTGRES_WINDOW_AND_RUN_SQL = postgresWindowSql(true);

/**
 * One statement: the series row (created, or its watermarks moved: GREATEST ignores
 * NULLs), then every bucket through `unnest` in one INSERT … ON CONFLICT that updates only
 * rows whose count or text differ; `xmax = 0` tells an inserted row from an updated one;
 * then the window in its run's counters. A statement is atomic on its own: no explicit
 * transaction.
 * A series this statement creates has no rows yet, and no other transaction can know its
 * id before this one commits: its buckets go in by a plain INSERT, without ON CONFLICT's
 * speculative insertion (a quarter of a new window's time in the server, rollups
 * included). A bucket sent twice in one answer counts once, the last value winning (as
 * diffBuckets).
 */
async function writeWindowPostgres(db: Queryable, write: WindowWrite): Promise<WindowResult> {
  const { workspace, key, buckets, fetchedAt, run } = write;
  const byStart = new Map<number, StoredBucket>();
  for (const b of buckets) byStart.set(seconds(b.bucketStart), b);
  const starts = [...byStart.keys()];
  const list = [...byStart.values()];
  const { last, complete } = watermarks(write, buckets.map((b) => b.bucketStart).sort());
  const params: SqlValue[] = [
    workspace,
    key.event,
    key.unit,
    key.appId,
    key.segmentId,
    write.utcOffsetMinutes ?? 0,
    last,
    complete,
    fetchedAt.toISOString(),
    starts,
    list.map((b) => b.count),
    list.map((b) => b.time),
    fetchedAt.getTime(),
    fetchedAt.getTime(),
  ];
  if (run) params.push(...windowRunParams(run.id, run.requests));
  const [row] = await db.query<{ inserted: number; updated: number }>(
    run ? POSTGRES_WINDOW_AND_RUN_SQL : POSTGRES_WINDOW_SQL,
    params,
  );
  const inserted = Number(row?.inserted ?? 0);
  const updated = Number(row?.updated ?? 0);
  return { inserted, updated, unchanged: list.length - inserted - updated };
}
