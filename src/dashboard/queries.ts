/**
 * Every SQL statement the dashboard runs. Read-only, parameterized (`?`), aggregated in
 * SQL so that 2,000 events × 365 days come back as a few thousand rows. Filters always
 * start with the primary key's leading columns (workspace, event, unit, …).
 */
import { UNITS, type Unit } from '../api/constants.js';
import {
  addBuckets,
  bucketSpanMs,
  bucketsBetween,
  DEFAULT_HOUR_BUCKETS,
  type HourBuckets,
  instantMs,
} from '../api/time.js';
import { eventListSql, packedBucketsSql, unpackBuckets } from '../check/event-list.js';
import { BLOCK_SECONDS, splitRange } from '../sync/db/count-blocks.js';
import type { Queryable } from '../sync/db/types.js';
import { readBucketZone } from '../sync/store/settings.js';
import { previousRange, sparkBinMs, type TimeRange } from './range.js';

/** Per workspace and unit: how fresh its series are. */
export interface UnitWatermarks {
  /** Start of the newest stored bucket (possibly still growing). */
  syncedThrough: string | null;
  /** Start of the newest bucket known complete. */
  completeThrough: string | null;
}

/** Per workspace and unit: how many series are synced and how fresh they are. */
export interface UnitSummary extends UnitWatermarks {
  series: number;
}

/** A workspace's zone and its units' watermarks: what every request about it needs. */
export interface WorkspaceZone {
  name: string;
  /**
   * Minutes east of UTC at which the workspace's buckets were read (its syncs record it):
   * its days start at 00:00 at this offset, and the dashboard's dates are those days.
   */
  utcOffsetMinutes: number;
  /**
   * Where its hour buckets start under an offset that is not whole hours (its syncs record
   * it too): with `utc` at +05:30 they start at :00 UTC, not at the local :30.
   */
  hourBuckets: HourBuckets;
  units: Partial<Record<Unit, UnitWatermarks>>;
}

export interface WorkspaceSummary extends WorkspaceZone {
  units: Partial<Record<Unit, UnitSummary>>;
}

interface UnitRow {
  workspace: string;
  unit: Unit;
  series: number;
  synced_through: string | null;
  complete_through: string | null;
}

/**
 * Workspaces and their units, from the watermarks (a small table); from the counts
 * themselves when the database holds no watermarks (data loaded by other tools).
 */
export async function listWorkspaces(db: Queryable): Promise<WorkspaceSummary[]> {
  let rows = await db.query<UnitRow>(
    `SELECT workspace, unit, COUNT(*) AS series, MAX(synced_through) AS synced_through,
            MAX(complete_through) AS complete_through
       FROM series_watermarks WHERE app_id = '' AND segment_id = ''
      GROUP BY workspace, unit ORDER BY workspace, unit`,
  );
  if (rows.length === 0) {
    rows = await db.query<UnitRow>(
      `SELECT workspace, unit, COUNT(DISTINCT event) AS series, MAX(bucket_start) AS synced_through,
              NULL AS complete_through
         FROM event_counts WHERE app_id = '' AND segment_id = ''
        GROUP BY workspace, unit ORDER BY workspace, unit`,
    );
  }
  const out = new Map<string, WorkspaceSummary>();
  for (const row of rows) {
    let ws = out.get(row.workspace);
    if (ws === undefined) {
      const zone = await readBucketZone(db, row.workspace);
      ws = {
        name: row.workspace,
        utcOffsetMinutes: zone?.utcOffsetMinutes ?? 0,
        hourBuckets: zone?.hourBuckets ?? DEFAULT_HOUR_BUCKETS,
        units: {},
      };
      out.set(row.workspace, ws);
    }
    ws.units[row.unit] = {
      series: Number(row.series),
      syncedThrough: row.synced_through,
      completeThrough: row.complete_through,
    };
  }
  return [...out.values()];
}

/**
 * The workspaces of {@link listWorkspaces} with their zones and watermarks but no series
 * counts, in as many index lookups as there are workspaces × units (names by a loose index
 * scan, each newest watermark by its index), not a scan of every series: the dashboard
 * reads them on the first request after every write. A database without watermarks
 * (loaded by other tools) gets {@link listWorkspaces}'s answer from the counts.
 */
export async function listWorkspaceZones(db: Queryable): Promise<WorkspaceZone[]> {
  const names = await db.query<{ name: string }>(
    `WITH RECURSIVE w (name) AS (
       SELECT MIN(workspace) FROM series
        UNION ALL
       SELECT (SELECT MIN(workspace) FROM series WHERE workspace > w.name) FROM w
        WHERE w.name IS NOT NULL)
     SELECT name FROM w WHERE name IS NOT NULL`,
  );
  const newest = (column: string) =>
    `(SELECT MAX(${column}) FROM series
       WHERE workspace = ? AND unit = ? AND app_id = '' AND segment_id = '')`;
  const out: WorkspaceZone[] = [];
  for (const { name } of names) {
    const units: WorkspaceZone['units'] = {};
    for (const unit of UNITS) {
      // Two scalar sub-selects: each MAX is one lookup in its index (migrations 5 and 8).
      const [row] = await db.query<{
        synced_through: string | null;
        complete_through: string | null;
      }>(
        `SELECT ${newest('synced_through')} AS synced_through, ${newest('complete_through')} AS complete_through`,
        [name, unit, name, unit],
      );
      if (row?.synced_through == null) continue;
      units[unit] = { syncedThrough: row.synced_through, completeThrough: row.complete_through };
    }
    if (Object.keys(units).length === 0) continue;
    const zone = await readBucketZone(db, name);
    out.push({
      name,
      utcOffsetMinutes: zone?.utcOffsetMinutes ?? 0,
      hourBuckets: zone?.hourBuckets ?? DEFAULT_HOUR_BUCKETS,
      units,
    });
  }
  return out.length > 0 ? out : listWorkspaces(db);
}

/**
 * End of the default range: the end of the last complete bucket, or the start of the
 * newest stored one (which is then the still-growing one), or now.
 */
export function anchorOf(summary: UnitWatermarks | undefined, unit: Unit, now: number): number {
  if (summary?.completeThrough) return addBuckets(instantMs(summary.completeThrough), unit, 1);
  if (summary?.syncedThrough) return instantMs(summary.syncedThrough);
  return now;
}

/** One row of the overview. */
export interface OverviewRow {
  event: string;
  total: number;
  previous: number;
  /** Every bucket of the previous period is stored (else the change is not computed). */
  previousComplete: boolean;
  /** (total − previous) / previous × 100; null when previous is 0 or incomplete. */
  changePct: number | null;
  /**
   * Sums per whole bin, oldest first, ending with the range (a partial first bin is left
   * out); null for a bin not every bucket of which is stored (before the series' first
   * synced bucket, after its watermark, a gap): unsynced is not zero.
   */
  spark: (number | null)[];
}

/** An event's totals, before its sparkline is drawn; `id` is its series'. */
export type EventTotals = Omit<OverviewRow, 'spark'> & { id: number };

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Totals over `range` and over the previous period of every event, one aggregate row per
 * event. Whole blocks of the rollups (`count_blocks`, src/sync/db/count-blocks.ts) are
 * read where the ranges cover them, single rows of `counts` only at the edges: a 365-day
 * range reads about 50 rows per event instead of 730.
 */
export async function eventTotals(
  db: Queryable,
  workspace: string,
  unit: Unit,
  range: TimeRange,
): Promise<EventTotals[]> {
  const prev = previousRange(range);
  const expectedPrevious = bucketsBetween(prev.from, prev.to, unit);
  const list = await eventListSql(db, workspace, unit);
  // Per event, indexed sub-selects over each part of a period: the blocks wholly inside
  // it and the rows at its edges (no per-bucket rows are joined and grouped).
  const period = (from: number, to: number) => {
    const split = splitRange(seconds(from), seconds(to), BLOCK_SECONDS[unit]);
    const parts = split.rows.map((r) => ({
      table: 'counts',
      key: 'bucket_start',
      sum: 'count',
      n: '1',
      ...r,
    }));
    if (split.blocks) {
      parts.push({
        table: 'count_blocks',
        key: 'block_start',
        sum: 'total',
        n: 'buckets',
        ...split.blocks,
      });
    }
    const expr = (column: 'sum' | 'n') => ({
      sql:
        parts
          .map(
            (p) =>
              `COALESCE((SELECT SUM(${p[column]}) FROM ${p.table}
                 WHERE series_id = e.id AND ${p.key} >= ? AND ${p.key} < ?), 0)`,
          )
          .join(' + ') || '0',
      params: parts.flatMap((p) => [p.lo, p.hi]),
    });
    return { sum: expr('sum'), n: expr('n') };
  };
  const cur = period(range.from, range.to);
  const before = period(prev.from, prev.to);
  const found = await db.query<{
    id: number;
    event: string;
    total: number | null;
    previous: number | null;
    previous_buckets: number;
  }>(
    `SELECT id, event, total, previous, previous_buckets FROM (
       SELECT e.id, e.event, ${cur.sum.sql} AS total, ${before.sum.sql} AS previous,
              ${before.n.sql} AS previous_buckets, ${cur.n.sql} AS buckets
         FROM ${list.sql} e) x
      WHERE previous_buckets + buckets > 0`,
    [...cur.sum.params, ...before.sum.params, ...before.n.params, ...cur.n.params, ...list.params],
  );
  return found.map((row) => {
    const total = Number(row.total ?? 0);
    const previous = Number(row.previous ?? 0);
    const previousComplete = Number(row.previous_buckets) >= expectedPrevious;
    return {
      id: Number(row.id),
      event: row.event,
      total,
      previous,
      previousComplete,
      changePct: previous > 0 && previousComplete ? ((total - previous) / previous) * 100 : null,
    };
  });
}

/**
 * Sparklines of the given events' series, keyed by series id (see {@link OverviewRow}'s
 * `spark`: null where a bin's buckets are not all stored).
 */
export async function sparklines(
  db: Queryable,
  ids: readonly number[],
  unit: Unit,
  range: TimeRange,
): Promise<{ binMs: number; spark: Map<number, (number | null)[]> }> {
  const binMs = sparkBinMs(range, unit);
  // Bins are aligned to the end of the range and only whole bins are drawn: a partial
  // first week would look like a dip that is not in the data.
  const bins = Math.max(1, Math.floor((range.to - range.from) / binMs));
  const sparkFrom = range.to - bins * binMs;
  // The sync stores every bucket Braze answers, zeros included: a bin with fewer stored
  // buckets was not (wholly) synced, and its sum would read as a drop that is not there.
  const perBin = Math.round(binMs / bucketSpanMs(unit));
  const spark = new Map<number, (number | null)[]>();
  if (ids.length === 0) return { binMs, spark };
  const rows = await db.query<{ id: number; packed: string | null }>(
    `SELECT c.series_id AS id, ${packedBucketsSql(db)} AS packed FROM counts c
      WHERE c.series_id IN (${ids.map(() => '?').join(', ')})
        AND c.bucket_start >= ? AND c.bucket_start < ?
      GROUP BY c.series_id`,
    [...ids, seconds(sparkFrom), seconds(range.to)],
  );
  for (const row of rows) {
    const values = new Array<number>(bins).fill(0);
    const stored = new Array<number>(bins).fill(0);
    for (const [ms, count] of unpackBuckets(row.packed)) {
      const i = Math.floor((ms - sparkFrom) / binMs);
      if (i < 0 || i >= bins) continue;
      values[i] = (values[i] ?? 0) + count;
      stored[i] = (stored[i] ?? 0) + 1;
    }
    spark.set(
      Number(row.id),
      values.map((v, i) => (stored[i]! >= perBin ? v : null)),
    );
  }
  for (const id of ids)
    if (!spark.has(id)) spark.set(id, new Array<number | null>(bins).fill(null));
  return { binMs, spark };
}

/** Which buckets of a workspace's unit are stored: what its answers can cover. */
export interface Coverage {
  /** Start of the oldest stored bucket of any totals series, ISO UTC; null when none. */
  from: string | null;
  /** Start of the newest stored bucket of any totals series, ISO UTC; null when none. */
  through: string | null;
}

/**
 * The stored span of a workspace's unit over its totals series: one indexed MIN and MAX per
 * series (`counts` is keyed by series and bucket), whatever the number of rows.
 */
export async function unitCoverage(
  db: Queryable,
  workspace: string,
  unit: Unit,
): Promise<Coverage> {
  const list = await eventListSql(db, workspace, unit);
  const [row] = await db.query<{ lo: number | string | null; hi: number | string | null }>(
    `SELECT MIN(lo) AS lo, MAX(hi) AS hi FROM (
       SELECT (SELECT MIN(bucket_start) FROM counts WHERE series_id = e.id) AS lo,
              (SELECT MAX(bucket_start) FROM counts WHERE series_id = e.id) AS hi
         FROM ${list.sql} e) x`,
    [...list.params],
  );
  return coverageOf(row?.lo, row?.hi);
}

/** A {@link Coverage} from stored bucket starts in epoch seconds (as a driver returns them). */
export function coverageOf(
  lo: number | string | null | undefined,
  hi: number | string | null | undefined,
): Coverage {
  const iso = (v: number | string | null | undefined) =>
    v === null || v === undefined ? null : new Date(Number(v) * 1000).toISOString();
  return { from: iso(lo), through: iso(hi) };
}

/** A {@link Coverage}'s bounds as epoch seconds, as `overview_ranges` stores them. */
export function coverageSeconds(coverage: Coverage): [number | null, number | null] {
  const seconds = (v: string | null) => (v === null ? null : Date.parse(v) / 1000);
  return [seconds(coverage.from), seconds(coverage.through)];
}

/** One stored row of an event, as the CSV download writes it. */
export interface CountRecord {
  app_id: string;
  segment_id: string;
  time: string;
  bucket_start: string;
  count: number;
}

/** Every stored row of one event and unit in `range`: totals and per-app/segment series. */
export async function eventRows(
  db: Queryable,
  workspace: string,
  event: string,
  unit: Unit,
  range: TimeRange,
): Promise<CountRecord[]> {
  const rows = await db.query<CountRecord>(
    `SELECT app_id, segment_id, time, bucket_start, count FROM event_counts
      WHERE workspace = ? AND event = ? AND unit = ? AND bucket_start >= ? AND bucket_start < ?
      ORDER BY app_id, segment_id, bucket_start`,
    [workspace, event, unit, new Date(range.from).toISOString(), new Date(range.to).toISOString()],
  );
  for (const row of rows) row.count = Number(row.count);
  return rows;
}

/**
 * Total of an event's unfiltered series over a range (the previous period), and whether
 * every bucket of it is stored — a change against a half-synced period would mislead.
 */
export async function eventTotal(
  db: Queryable,
  workspace: string,
  event: string,
  unit: Unit,
  range: TimeRange,
): Promise<{ total: number; complete: boolean }> {
  const [row] = await db.query<{ total: number | null; buckets: number }>(
    `SELECT SUM(count) AS total, COUNT(*) AS buckets FROM event_counts
      WHERE workspace = ? AND event = ? AND unit = ? AND app_id = '' AND segment_id = ''
        AND bucket_start >= ? AND bucket_start < ?`,
    [workspace, event, unit, new Date(range.from).toISOString(), new Date(range.to).toISOString()],
  );
  const expected = bucketsBetween(range.from, range.to, unit);
  return { total: Number(row?.total ?? 0), complete: Number(row?.buckets ?? 0) >= expected };
}
