/**
 * The one reader of a database's sync status: the runs journal (`sync_runs`), the
 * watermarks (`series_watermarks`) and the sync in progress (`readSyncInProgress`, from its
 * lock), read-only. `braze-events status` shows it per workspace (`readStatus`); the
 * dashboard's sync page shows one workspace (`readSyncState`).
 */
import type { Unit } from '../api/constants.js';
import { formatUtcOffset, type HourBuckets } from '../api/time.js';
import type { Queryable } from './db/types.js';
import { readSyncInProgress, type SyncInProgress } from './in-progress.js';
import { type RunStatus, SYNC_LOCK_PREFIX } from './store/runs.js';
import { readBucketZone } from './store/settings.js';

/** Runs listed per workspace by default. */
export const DEFAULT_STATUS_RUNS = 5;
/** Series behind the freshest watermark of their unit listed by default. */
export const DEFAULT_STATUS_LAGGING = 100;

/** One row of the runs journal. Times are ISO UTC. */
export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  /** Last heartbeat of the run (renewed every 30 s while it runs, waits included). */
  heartbeatAt: string | null;
  status: RunStatus;
  /** The units the run synced, comma-separated (`day,hour`). */
  units: string;
  requests: number;
  retries: number;
  rateLimited: number;
  rowsInserted: number;
  rowsUpdated: number;
  error: string | null;
  /**
   * A `running` run that no sync holds the workspace's lock for: its process is gone
   * (kill -9, a crash, a lost machine); the next sync marks it `interrupted`.
   */
  processGone: boolean;
}

/** One series' watermark. `appId`/`segmentId` are '' for the unfiltered series. */
export interface WatermarkRecord {
  event: string;
  unit: Unit;
  appId: string;
  segmentId: string;
  /** Start of the newest stored bucket (possibly still growing), ISO UTC. */
  syncedThrough: string;
  /** Start of the newest bucket known complete, ISO UTC; null before one is. */
  completeThrough: string | null;
  /** When the watermark was last written, ISO UTC. */
  updatedAt: string;
}

/** The watermarks of one unit of a workspace, summed up. */
export interface UnitWatermarks {
  unit: Unit;
  /** Series synced in this unit, per-app and per-segment ones included. */
  series: number;
  /** Of those, the per-app and per-segment ones. */
  breakdownSeries: number;
  /** Oldest and newest `syncedThrough` of its series. */
  stalest: string;
  freshest: string;
  /** Newest `completeThrough` of its series; null when none is complete. */
  completeThrough: string | null;
  /** Newest `updatedAt` of its series. */
  updatedAt: string;
}

/** What a workspace's syncs left: its last runs and its watermarks; and the one running now. */
export interface SyncState {
  /**
   * The sync holding the workspace's lock now, or null. Also while it has no run row yet
   * (`phase: 'preparing'`: listing events, rate-limit waits included), when `runs` shows
   * only finished runs.
   */
  inProgress: SyncInProgress | null;
  /** Newest first. */
  runs: RunRecord[];
  /** Per unit, in unit order. */
  units: UnitWatermarks[];
  /**
   * The series behind the freshest watermark of their unit, stalest first (after a healthy
   * sync every series is level and this is empty).
   */
  lagging: WatermarkRecord[];
}

export interface WorkspaceStatus extends SyncState {
  workspace: string;
  events: number;
  series: number;
  rows: number;
  /** The most and least recently synced series (null when nothing is stored). */
  freshest: WatermarkRecord | null;
  stalest: WatermarkRecord | null;
  /**
   * The zone the workspace's rows were read in (recorded by its syncs, see
   * `readBucketZone`): the day-bucket offset as `±HH:MM` and in minutes east of UTC, and
   * the hour alignment. `null` before any sync recorded one.
   */
  bucketZone: { utcOffset: string; utcOffsetMinutes: number; hourBuckets: HourBuckets } | null;
}

export interface SyncStateOptions {
  /** Runs listed, newest first. Default {@link DEFAULT_STATUS_RUNS}. */
  runs?: number;
  /** Lagging series listed, stalest first. Default {@link DEFAULT_STATUS_LAGGING}. */
  lagging?: number;
}

interface RunRow {
  id: number;
  started_at: string;
  finished_at: string | null;
  heartbeat_at?: string | null;
  status: RunStatus;
  units: string;
  requests: number;
  retries: number;
  rate_limited: number;
  rows_inserted: number;
  rows_updated: number;
  error: string | null;
}

interface MarkRow {
  event: string;
  unit: Unit;
  app_id: string;
  segment_id: string;
  synced_through: string;
  complete_through: string | null;
  updated_at: string;
}

interface UnitRow {
  unit: Unit;
  series: number;
  breakdown_series: number;
  stalest: string;
  freshest: string;
  complete_through: string | null;
  updated_at: string;
}

const MARK_COLUMNS =
  'event, unit, app_id, segment_id, synced_through, complete_through, updated_at';
const MARK_ORDER = 'event, unit, app_id, segment_id';

// PostgreSQL answers counts (bigint) as strings: every number goes through Number().
const run = (r: RunRow, live: SyncInProgress | null): RunRecord => ({
  id: Number(r.id),
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  heartbeatAt: r.heartbeat_at ?? null,
  status: r.status,
  units: r.units,
  requests: Number(r.requests),
  retries: Number(r.retries),
  rateLimited: Number(r.rate_limited),
  rowsInserted: Number(r.rows_inserted),
  rowsUpdated: Number(r.rows_updated),
  error: r.error,
  processGone: r.status === 'running' && live?.runId !== Number(r.id),
});

const mark = (r: MarkRow): WatermarkRecord => ({
  event: r.event,
  unit: r.unit,
  appId: r.app_id,
  segmentId: r.segment_id,
  syncedThrough: r.synced_through,
  completeThrough: r.complete_through,
  updatedAt: r.updated_at,
});

/**
 * A workspace's last runs (newest first), its watermarks per unit and the series lagging
 * behind the freshest one of their unit. Reads the journal and the watermarks only (small
 * tables), never the counts.
 *
 * @example
 * const { runs, units, lagging } = await readSyncState(db, 'prod', { runs: 50 });
 */
export async function readSyncState(
  db: Queryable,
  workspace: string,
  options: SyncStateOptions = {},
): Promise<SyncState> {
  // The lock first: a `running` run read after it and not the holder's is surely one
  // whose process is gone (a new sync needs a listing's time to open its run).
  let inProgress = await readSyncInProgress(db, workspace);
  const runs = await db.query<RunRow>(
    'SELECT * FROM sync_runs WHERE workspace = ? ORDER BY id DESC LIMIT ?',
    [workspace, options.runs ?? DEFAULT_STATUS_RUNS],
  );
  // A sync may have taken the lock and opened its run between the two reads: a running
  // run that is not the holder's is read against the lock once more before it is called
  // gone.
  if (runs.some((r) => r.status === 'running' && Number(r.id) !== inProgress?.runId)) {
    inProgress = await readSyncInProgress(db, workspace);
  }
  const units = await db.query<UnitRow>(
    `SELECT unit, COUNT(*) AS series,
            SUM(CASE WHEN app_id = '' AND segment_id = '' THEN 0 ELSE 1 END) AS breakdown_series,
            MIN(synced_through) AS stalest, MAX(synced_through) AS freshest,
            MAX(complete_through) AS complete_through, MAX(updated_at) AS updated_at
       FROM series_watermarks WHERE workspace = ? GROUP BY unit ORDER BY unit`,
    [workspace],
  );
  // The joined freshest is named apart so that the watermark's columns need no prefix.
  const lagging = await db.query<MarkRow>(
    `SELECT ${MARK_COLUMNS} FROM series_watermarks
       JOIN (SELECT unit AS freshest_unit, MAX(synced_through) AS freshest FROM series_watermarks
              WHERE workspace = ? GROUP BY unit) m ON freshest_unit = unit
      WHERE workspace = ? AND synced_through < freshest
      ORDER BY synced_through, ${MARK_ORDER} LIMIT ?`,
    [workspace, workspace, options.lagging ?? DEFAULT_STATUS_LAGGING],
  );
  return {
    inProgress,
    runs: runs.map((r) => run(r, inProgress)),
    units: units.map((u) => ({
      unit: u.unit,
      series: Number(u.series),
      breakdownSeries: Number(u.breakdown_series),
      stalest: u.stalest,
      freshest: u.freshest,
      completeThrough: u.complete_through,
      updatedAt: u.updated_at,
    })),
    lagging: lagging.map(mark),
  };
}

/**
 * Every workspace the database knows: from its runs, watermarks and events, and (SQLite)
 * its held sync locks: a first sync still listing events has written nothing else yet.
 * PostgreSQL's advisory locks do not keep their name: there such a workspace shows up when
 * asked for by name.
 */
async function workspaceNames(db: Queryable): Promise<string[]> {
  const stored = (
    await db.query<{ workspace: string }>(
      `SELECT workspace FROM sync_runs UNION SELECT workspace FROM series_watermarks
       UNION SELECT workspace FROM events ORDER BY workspace`,
    )
  ).map((r) => r.workspace);
  const locked = (await db.heldLockNames(SYNC_LOCK_PREFIX))
    .map((name) => name.slice(SYNC_LOCK_PREFIX.length))
    .filter((name) => !stored.includes(name));
  // Sorted again only when one is added: the database's order stays otherwise.
  return locked.length === 0 ? stored : [...stored, ...locked].sort();
}

/**
 * Reads the status of every workspace in the database (or only `workspace`): its sync
 * state (`readSyncState`), how many events, series and rows it stores, its freshest and
 * stalest series and its bucket zone.
 *
 * @example
 * for (const ws of await readStatus(db)) console.log(ws.workspace, ws.series, ws.stalest?.syncedThrough);
 */
export async function readStatus(
  db: Queryable,
  options: SyncStateOptions & { workspace?: string } = {},
): Promise<WorkspaceStatus[]> {
  const names = options.workspace ? [options.workspace] : await workspaceNames(db);
  const out: WorkspaceStatus[] = [];
  for (const workspace of names) {
    const [counts] = await db.query<{ series: number; events: number; rows: number }>(
      `SELECT (SELECT count(*) FROM series_watermarks WHERE workspace = ?) AS series,
              (SELECT count(*) FROM events WHERE workspace = ?) AS events,
              (SELECT count(*) FROM counts c JOIN series s ON s.id = c.series_id
                WHERE s.workspace = ?) AS rows`,
      [workspace, workspace, workspace],
    );
    const watermark = async (order: 'ASC' | 'DESC') => {
      const [row] = await db.query<MarkRow>(
        `SELECT ${MARK_COLUMNS} FROM series_watermarks
         WHERE workspace = ? ORDER BY synced_through ${order}, ${MARK_ORDER} LIMIT 1`,
        [workspace],
      );
      return row ? mark(row) : null;
    };
    const zone = await readBucketZone(db, workspace);
    const state = await readSyncState(db, workspace, options);
    out.push({
      workspace,
      inProgress: state.inProgress,
      runs: state.runs,
      events: Number(counts?.events ?? 0),
      series: Number(counts?.series ?? 0),
      rows: Number(counts?.rows ?? 0),
      freshest: await watermark('DESC'),
      stalest: await watermark('ASC'),
      bucketZone: zone
        ? {
            utcOffset: formatUtcOffset(zone.utcOffsetMinutes),
            utcOffsetMinutes: zone.utcOffsetMinutes,
            hourBuckets: zone.hourBuckets,
          }
        : null,
      units: state.units,
      lagging: state.lagging,
    });
  }
  return out;
}
