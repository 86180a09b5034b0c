/**
 * What a check's verdict rests on: whether each workspace's last sync run succeeded, and
 * whether there was anything to check at all. Read with the one sync-status reader
 * (`readSyncState`): a nightly job must not read "No anomalies" over a half-synced or empty
 * database as healthy.
 */
import { quoteInput } from '../api/quote.js';
import { readSyncState } from '../sync/status.js';
import type { RunStatus } from '../sync/store/runs.js';
import type { CheckReport, QueryableDatabase } from './database.js';

/** A workspace whose last sync run did not succeed: its counts may be incomplete. */
export interface IncompleteSync {
  workspace: string;
  /** The run's id in `sync_runs`. */
  runId: number;
  /** `interrupted`, `failed`, or `running` (a run still going, or whose process died). */
  status: Exclude<RunStatus, 'succeeded'>;
  /** ISO UTC. */
  startedAt: string;
  /**
   * A `running` run no sync holds the lock for: its process died (kill -9, a crash); the
   * next sync marks it interrupted. False for a run still going, and for other statuses.
   */
  processGone: boolean;
}

/**
 * The workspaces (of `workspaces`) whose newest run in `sync_runs` is not `succeeded`.
 * A workspace without runs (counts loaded by another tool) is not listed.
 *
 * @example
 * const report = await checkDatabase(db);
 * const incomplete = await readIncompleteSyncs(db, report.workspaces);
 */
export async function readIncompleteSyncs(
  db: QueryableDatabase,
  workspaces: readonly string[],
): Promise<IncompleteSync[]> {
  const out: IncompleteSync[] = [];
  for (const workspace of workspaces) {
    const [last] = (await readSyncState(db, workspace, { runs: 1, lagging: 0 })).runs;
    if (last === undefined || last.status === 'succeeded') continue;
    out.push({
      workspace,
      runId: last.id,
      status: last.status,
      startedAt: last.startedAt,
      processGone: last.processGone,
    });
  }
  return out;
}

/**
 * `workspace "x": the last sync (run 3, interrupted, started 2026-11-29T18:30:00.000Z) did
 * not succeed: counts may be incomplete`: for the table, stderr and the Slack message. A
 * `running` run says whether it is still going or its process is gone.
 */
export function describeIncompleteSync(sync: IncompleteSync): string {
  const workspace = `workspace ${quoteInput(sync.workspace)}`;
  const run = `run ${sync.runId}, started ${sync.startedAt}`;
  if (sync.status === 'running') {
    return sync.processGone
      ? `${workspace}: the last sync (${run}) was left running by a process that is gone (the next sync marks it interrupted): counts may be incomplete`
      : `${workspace}: a sync is still running (${run}): counts may be incomplete until it ends`;
  }
  return `${workspace}: the last sync (run ${sync.runId}, ${sync.status}, started ${sync.startedAt}) did not succeed: counts may be incomplete`;
}

/** A check that judged no series: an error (exit 1), not "no anomalies". */
export class NothingCheckedError extends Error {
  override name = 'NothingCheckedError';
}

/**
 * The error of a report that checked no series, saying what to do: sync the unit when the
 * workspaces store no series of it, else sync again (the stored series have no counts in
 * the baseline's window, or the globs matched only series without counts).
 */
export async function nothingCheckedError(
  db: QueryableDatabase,
  report: Pick<CheckReport, 'unit' | 'workspaces'>,
): Promise<NothingCheckedError> {
  const { unit, workspaces } = report;
  const sync = `braze-events sync${unit === 'day' ? '' : ` --unit ${unit}`}`;
  const where =
    workspaces.length === 0
      ? 'in the database'
      : `for ${workspaces.length === 1 ? 'workspace' : 'workspaces'} ${workspaces.map((w) => quoteInput(w)).join(', ')}`;
  let stored = 0;
  for (const workspace of workspaces) {
    const state = await readSyncState(db, workspace, { runs: 0, lagging: 0 });
    const marks = state.units.find((u) => u.unit === unit);
    // The check reads the totals series only, not the per-app/segment ones.
    stored += marks ? marks.series - marks.breakdownSeries : 0;
  }
  return new NothingCheckedError(
    stored === 0
      ? `no ${unit} series stored ${where}: run \`${sync}\` first`
      : `none of the ${stored} ${unit} series stored ${where} has counts in the check's window: run \`${sync}\` to bring them up to date`,
  );
}
