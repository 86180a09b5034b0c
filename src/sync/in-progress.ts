/**
 * The sync of a workspace in progress now, read from its lock (read-only: reading never
 * takes or renews it). A sync holds the workspace's lock from before it lists events until
 * it ends, but opens its `sync_runs` row only once the listing and the event selection are
 * done (a usage error must leave no run row): while it lists events (pages of
 * GET /events/list, possibly minutes of rate-limit waits), the lock is the only sign of it.
 */
import type { Queryable } from './db/types.js';
import { syncLockName } from './store/runs.js';

/**
 * A sync holding a workspace's lock. `phase` `preparing`: no run opened yet (checking the
 * bucket zone, listing events, checking the selection; also the moment between closing
 * its run and releasing the lock); `running`: its run is `runId`, `running` in `sync_runs`.
 */
export interface SyncInProgress {
  phase: 'preparing' | 'running';
  /** The run it opened (`sync_runs.id`); null while preparing. */
  runId: number | null;
  /** When it took the lock, ISO UTC; null when the database does not say (PostgreSQL,
   * another role without pg_read_all_stats). */
  since: string | null;
  /** Its process id and host; null when unknown (PostgreSQL cuts `host` to fit 63 bytes
   * with the rest of its `application_name`). */
  pid: number | null;
  host: string | null;
}

/**
 * The sync of `workspace` in progress now, or null. A `running` row of the workspace is
 * the lock holder's own (only the holder opens runs), unless the holder is still preparing
 * after a process that died mid-run: that row is then marked interrupted when the holder
 * opens its run, and until then this says `running` with the dead run's id.
 *
 * @example
 * const live = await readSyncInProgress(db, 'prod'); // { phase: 'preparing', runId: null, since: '…', pid: 4242, host: 'cron-1' }
 */
export async function readSyncInProgress(
  db: Queryable,
  workspace: string,
): Promise<SyncInProgress | null> {
  const holder = await db.lockHolder(syncLockName(workspace));
  if (!holder) return null;
  const [run] = await db.query<{ id: number }>(
    `SELECT id FROM sync_runs WHERE workspace = ? AND status = 'running' ORDER BY id DESC LIMIT 1`,
    [workspace],
  );
  return {
    phase: run ? 'running' : 'preparing',
    runId: run ? Number(run.id) : null,
    since: holder.since ?? null,
    pid: holder.pid ?? null,
    host: holder.host ?? null,
  };
}

/**
 * Who holds a lock, in words: `pid 4242 on cron-1`, each part left out when unknown, ''
 * when both are. Shared by `status` and the refused second sync's message.
 *
 * @example
 * describeLockHolder({ pid: 4242, host: null }); // 'pid 4242'
 */
export function describeLockHolder(holder: {
  pid?: number | null | undefined;
  host?: string | null | undefined;
}): string {
  return [
    holder.pid !== null && holder.pid !== undefined ? `pid ${holder.pid}` : '',
    holder.host !== null && holder.host !== undefined ? `on ${holder.host}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * What a sync in progress is doing, in words: `run #12`, or that it prepares.
 *
 * @example
 * describeSyncInProgress({ phase: 'running', runId: 12, since: null, pid: null, host: null }); // 'run #12'
 */
export function describeSyncInProgress(live: SyncInProgress): string {
  return live.phase === 'running'
    ? `run #${live.runId}`
    : 'preparing (listing events, checking the selection); no run opened yet';
}
