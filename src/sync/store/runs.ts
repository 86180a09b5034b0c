/**
 * The `sync_runs` journal: a row per run, `running` until it ends, its `heartbeat_at`
 * renewed every `RUN_HEARTBEAT_MS` meanwhile (waits included). A row still `running`
 * when the next run holds the workspace lock belongs to a process that died: it becomes
 * `interrupted`.
 */
import type { Dialect, Queryable } from '../db/types.js';

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

/** The client's request counters of a run so far (`RunCounters` without the rows). */
export type RequestCounters = Pick<RunCounters, 'requests' | 'retries' | 'rateLimited'>;

/**
 * SQL recording one committed window in its run's counters, with {@link windowRunParams}:
 * the window's rows are added to the stored row counters and the request counters are
 * raised to the client's. A run's windows commit in any order (several at once, each
 * asking the client's counters before its write), so nothing stored may be overwritten
 * by an older snapshot: counters only grow, and a window's rows count once whatever
 * commits around it. A window written again after a lost answer finds its rows unchanged
 * and adds nothing. `rows` are SQL of the window's inserted and updated rows (PostgreSQL's
 * window statement passes its own counts); by default two more parameters.
 */
export function windowRunSql(
  dialect: Dialect,
  rows: { inserted: string; updated: string } = { inserted: '?', updated: '?' },
): string {
  const max = dialect === 'postgres' ? 'GREATEST' : 'max';
  return `UPDATE sync_runs SET requests = ${max}(requests, ?), retries = ${max}(retries, ?),
    rate_limited = ${max}(rate_limited, ?), rows_inserted = rows_inserted + ${rows.inserted},
    rows_updated = rows_updated + ${rows.updated} WHERE id = ?`;
}

/** The parameters of {@link windowRunSql}; `rows` when its rows are parameters. */
export function windowRunParams(
  id: number,
  c: RequestCounters,
  rows?: { inserted: number; updated: number },
): number[] {
  return [c.requests, c.retries, c.rateLimited, ...(rows ? [rows.inserted, rows.updated] : []), id];
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
