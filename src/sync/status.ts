/**
 * What `braze-events status` shows: per workspace, the last runs, how many series and rows
 * are stored, and the freshest and stalest watermarks. Read-only queries.
 */
import { formatUtcOffset, type HourBuckets } from '../api/time.js';
import type { Queryable } from './db/types.js';
import type { RunStatus } from './store/runs.js';
import { readBucketZone } from './store/settings.js';

/** Runs listed per workspace by default. */
export const DEFAULT_STATUS_RUNS = 5;

export interface RunRecord {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  /** Last heartbeat of the run (renewed every 30 s while it runs, waits included). */
  heartbeatAt: string | null;
  status: RunStatus;
  units: string;
  requests: number;
  retries: number;
  rateLimited: number;
  rowsInserted: number;
  rowsUpdated: number;
  error: string | null;
}

export interface WatermarkRecord {
  event: string;
  unit: string;
  appId: string;
  segmentId: string;
  syncedThrough: string;
}

export interface WorkspaceStatus {
  workspace: string;
  /** Newest first. */
  runs: RunRecord[];
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
  unit: string;
  app_id: string;
  segment_id: string;
  synced_through: string;
}

const mark = (r: MarkRow | undefined): WatermarkRecord | null =>
  r
    ? {
        event: r.event,
        unit: r.unit,
        appId: r.app_id,
        segmentId: r.segment_id,
        syncedThrough: r.synced_through,
      }
    : null;

/**
 * Reads the status of every workspace in the database (or only `workspace`).
 *
 * @example
 * for (const ws of await readStatus(db)) console.log(ws.workspace, ws.series, ws.stalest?.syncedThrough);
 */
export async function readStatus(
  db: Queryable,
  options: { workspace?: string; runs?: number } = {},
): Promise<WorkspaceStatus[]> {
  const names = options.workspace
    ? [options.workspace]
    : (
        await db.query<{ workspace: string }>(
          `SELECT workspace FROM sync_runs UNION SELECT workspace FROM series_watermarks
           UNION SELECT workspace FROM events ORDER BY workspace`,
        )
      ).map((r) => r.workspace);
  const out: WorkspaceStatus[] = [];
  for (const workspace of names) {
    const runs = await db.query<RunRow>(
      'SELECT * FROM sync_runs WHERE workspace = ? ORDER BY id DESC LIMIT ?',
      [workspace, options.runs ?? DEFAULT_STATUS_RUNS],
    );
    const [counts] = await db.query<{ series: number; events: number; rows: number }>(
      `SELECT (SELECT count(*) FROM series_watermarks WHERE workspace = ?) AS series,
              (SELECT count(*) FROM events WHERE workspace = ?) AS events,
              (SELECT count(*) FROM counts c JOIN series s ON s.id = c.series_id
                WHERE s.workspace = ?) AS rows`,
      [workspace, workspace, workspace],
    );
    const watermark = (order: 'ASC' | 'DESC') =>
      db.query<MarkRow>(
        `SELECT event, unit, app_id, segment_id, synced_through FROM series_watermarks
         WHERE workspace = ? ORDER BY synced_through ${order}, event, unit, app_id, segment_id LIMIT 1`,
        [workspace],
      );
    out.push({
      workspace,
      runs: runs.map((r) => ({
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
      })),
      events: Number(counts?.events ?? 0),
      series: Number(counts?.series ?? 0),
      rows: Number(counts?.rows ?? 0),
      freshest: mark((await watermark('DESC'))[0]),
      stalest: mark((await watermark('ASC'))[0]),
      bucketZone: await readBucketZone(db, workspace).then((z) =>
        z
          ? {
              utcOffset: formatUtcOffset(z.utcOffsetMinutes),
              utcOffsetMinutes: z.utcOffsetMinutes,
              hourBuckets: z.hourBuckets,
            }
          : null,
      ),
    });
  }
  return out;
}
