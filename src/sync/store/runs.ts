/**
 * The `sync_runs` journal: a row per run, `running` until it ends, its `heartbeat_at`
 * renewed every `RUN_HEARTBEAT_MS` meanwhile (waits included). A row still `running`
 * when the next run holds the workspace lock belongs to a process that died: it becomes
 * `interrupted`.
 */
import type { Queryable } from '../db/types.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** What every sync lock's name starts with; the workspace follows. */
export const SYNC_LOCK_PREFIX = 'sync:';

/**
 * The name of the lock a sync of `workspace` holds from before it lists events until it
 * ends (`Database.tryLock`): one sync per workspace at a time.
 */
export function syncLockName(workspace: string): string {
  return `${SYNC_LOCK_PREFIX}${workspace}`;
}

/** Counters of a run, written as it goes and at the end. */
export interface RunCounters {
  requests: number;
  retries: number;
  rateLimited: number;
  rowsInserted: number;
  rowsUpdated: number;
}

/**
 * Marks the workspace's `running` runs as `interrupted`; call only while holding its lock.
 * Returns how many there were.
 */
export async function markInterruptedRuns(
  db: Queryable,
  workspace: string,
  at: Date,
): Promise<number> {
  const { changes } = await db.exec(
    `UPDATE sync_runs SET status = 'interrupted', finished_at = ?,
       error = COALESCE(error, 'the process ended before the run finished')
     WHERE workspace = ? AND status = 'running'`,
    [at.toISOString(), workspace],
  );
  return changes;
}

/** Opens a run and returns its id. */
export async function startRun(
  db: Queryable,
  workspace: string,
  units: string,
  at: Date,
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO sync_runs (workspace, started_at, heartbeat_at, status, units) VALUES (?, ?, ?, 'running', ?) RETURNING id`,
    [workspace, at.toISOString(), at.toISOString(), units],
  );
  return Number(row!.id);
}

/** How often a running run writes its heartbeat (`sync_runs.heartbeat_at`). */
export const RUN_HEARTBEAT_MS = 30_000;

/** Marks a running run alive now (also while it waits for a rate-limit window). */
export async function beatRun(db: Queryable, id: number, at: Date): Promise<void> {
  await db.exec(`UPDATE sync_runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'`, [
    at.toISOString(),
    id,
  ]);
}

/**
 * SQL saving a run's counters, with {@link runCountersParams}. `plusInserted` and
 * `plusUpdated` are SQL added to the row counters (PostgreSQL's window statement adds the
 * rows it wrote: src/sync/store/counts.ts).
 */
export function runCountersSql(plusInserted = '', plusUpdated = ''): string {
  return `UPDATE sync_runs SET requests = ?, retries = ?, rate_limited = ?,
    rows_inserted = ?${plusInserted}, rows_updated = ?${plusUpdated} WHERE id = ?`;
}

/** The parameters of {@link runCountersSql}. */
export function runCountersParams(id: number, c: RunCounters): number[] {
  return [c.requests, c.retries, c.rateLimited, c.rowsInserted, c.rowsUpdated, id];
}

/** Saves a running run's counters (with a window's rows, so they match: `writeWindow`). */
export async function updateRunCounters(db: Queryable, id: number, c: RunCounters): Promise<void> {
  await db.exec(runCountersSql(), runCountersParams(id, c));
}

/** Closes a run with its final status, counters and error (one line, key-free). */
export async function finishRun(
  db: Queryable,
  id: number,
  status: Exclude<RunStatus, 'running'>,
  c: RunCounters,
  at: Date,
  error: string | null,
): Promise<void> {
  await db.exec(
    `UPDATE sync_runs SET status = ?, finished_at = ?, requests = ?, retries = ?, rate_limited = ?,
       rows_inserted = ?, rows_updated = ?, error = ?
     WHERE id = ?`,
    [
      status,
      at.toISOString(),
      c.requests,
      c.retries,
      c.rateLimited,
      c.rowsInserted,
      c.rowsUpdated,
      error,
      id,
    ],
  );
}
