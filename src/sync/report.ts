/**
 * Plain-text renderings of a sync summary and of the status, for people (the CLI prints
 * them; `--json` prints the objects instead). Pure. Event names are data: every line has
 * its control characters escaped (a name holding ESC must not drive the terminal).
 */

import { escapeControlChars, quoteInput, quoteList } from '../api/quote.js';
import { describeHourBuckets, formatBucketTime, instantMs } from '../api/time.js';
import { describeLockHolder, describeSyncInProgress, type SyncInProgress } from './in-progress.js';
import { seriesCounts } from './outcome.js';
import type { RunRecord, WatermarkRecord, WorkspaceStatus } from './status.js';
import type { BudgetLeft, SyncSummary } from './types.js';

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

function budgetText(name: string, b: BudgetLeft | null): string | undefined {
  if (!b || b.remaining === null) return undefined;
  const reset = b.resetAt ? ` until ${b.resetAt}` : '';
  return `${name} ${b.remaining}${b.limit !== null ? `/${b.limit}` : ''}${reset}`;
}

/**
 * The end-of-sync summary, a few lines.
 *
 * @example
 * for (const line of formatSyncSummary(summary)) process.stderr.write(`${line}\n`);
 */
export function formatSyncSummary(s: SyncSummary): string[] {
  // A run that stopped early says what it did of what it planned: "612 series" after
  // Ctrl-C read as if all were stored.
  // One that stopped before trying every series says how many it never tried, and why.
  const work =
    s.status === 'succeeded'
      ? `${s.series} series (${s.units.join(', ')}), ${s.windows} windows`
      : `${s.seriesNotAttempted > 0 ? seriesCounts(s) : `${s.seriesDone} of ${s.series} series done`} (${s.units.join(', ')}), ` +
        `${s.windowsDone} of ${s.windows} windows written`;
  const lines = [
    `sync ${s.status}: workspace "${s.workspace}", ${s.events} of ${s.eventsListed} events, ` +
      `${work} in ${seconds(s.durationMs)}`,
    `  requests ${s.requests}, retries ${s.retries}, 429s ${s.rateLimited}; ` +
      `rows inserted ${s.rowsInserted}, updated ${s.rowsUpdated}, unchanged ${s.rowsUnchanged}`,
  ];
  if (s.stopReason !== null) lines.push(`  stopped early: ${s.stopReason}`);
  const budget = [
    budgetText('data_series', s.budget.dataSeries),
    budgetText('listing', s.budget.listing),
  ]
    .filter(Boolean)
    .join(', ');
  if (budget) lines.push(`  budget left: ${budget}`);
  if (s.detailsNote) lines.push(`  note: ${s.detailsNote}`);
  if (s.interruptedRuns > 0)
    lines.push(`  note: ${s.interruptedRuns} earlier run(s) had been interrupted`);
  if (s.missingEvents.length > 0) {
    lines.push(`  not in the workspace: ${quoteList(s.missingEvents, 20)}`);
  }
  for (const f of s.failures.slice(0, 5)) {
    lines.push(
      `  failed: ${quoteInput(f.event)} (${f.unit}${f.appId ? `, app ${f.appId}` : ''}${f.segmentId ? `, segment ${f.segmentId}` : ''}): ${f.error}`,
    );
  }
  if (s.failures.length > 5) lines.push(`  … and ${s.failures.length - 5} more failed series`);
  return lines.map(escapeControlChars);
}

/**
 * A watermark as the workspace's bucket: its local day (`2026-11-30`) or hour with the
 * offset (`2026-11-30T00:00:00+05:30`), as the rest of the CLI shows buckets.
 */
function mark(m: WatermarkRecord | null, offsetMinutes: number): string {
  if (!m) return '-';
  const filters = [
    m.unit,
    m.appId && `app ${m.appId}`,
    m.segmentId && `segment ${m.segmentId}`,
  ].filter(Boolean);
  const bucket = formatBucketTime(instantMs(m.syncedThrough), m.unit, offsetMinutes);
  return `${bucket} (${quoteInput(m.event)}, ${filters.join(', ')})`;
}

/** A run line; a `running` run whose process is gone says so (`RunRecord.processGone`). */
function run(r: RunRecord): string {
  const took =
    r.finishedAt !== null ? ` ${seconds(instantMs(r.finishedAt) - instantMs(r.startedAt))}` : '';
  // The journal's error of an interrupted run starts with "interrupted", which the status
  // column already says.
  const said = r.error?.replace(new RegExp(`^${r.status}(?:;\\s*|$)`), '');
  const error = said ? `  ${said}` : '';
  // A running run says when it last showed life: minutes-long rate-limit waits are normal.
  const life = [
    r.heartbeatAt && `alive at ${r.heartbeatAt}`,
    r.processGone &&
      'no sync holds the lock: its process is gone, the next sync marks it interrupted',
  ].filter(Boolean);
  const alive = r.status === 'running' && life.length > 0 ? ` (${life.join('; ')})` : '';
  return (
    `    #${r.id} ${r.status.padEnd(11)} ${r.startedAt}${took}${alive}  ${r.units}  requests ${r.requests}, ` +
    `retries ${r.retries}, 429s ${r.rateLimited}, +${r.rowsInserted} ~${r.rowsUpdated}${error}`
  );
}

/**
 * The sync holding the lock now: first under the workspace, since while it still lists
 * events the last runs below are all finished ones.
 */
function inProgress(live: SyncInProgress): string {
  const since = live.since !== null ? ` since ${live.since}` : '';
  const who = describeLockHolder(live);
  return `  sync in progress${since}${who ? ` (${who})` : ''}: ${describeSyncInProgress(live)}`;
}

/**
 * `braze-events status` as text.
 *
 * @example
 * formatStatus(await readStatus(db)).join('\n');
 */
export function formatStatus(statuses: readonly WorkspaceStatus[]): string[] {
  if (statuses.length === 0) return ['nothing synced yet (run braze-events sync)'];
  const lines: string[] = [];
  for (const ws of statuses) {
    if (lines.length > 0) lines.push('');
    lines.push(`workspace ${quoteInput(ws.workspace)}`);
    if (ws.inProgress) lines.push(inProgress(ws.inProgress));
    lines.push(`  events ${ws.events}, series ${ws.series}, rows ${ws.rows}`);
    const offset = ws.bucketZone?.utcOffsetMinutes ?? 0;
    lines.push(`  freshest ${mark(ws.freshest, offset)}`);
    lines.push(`  stalest  ${mark(ws.stalest, offset)}`);
    lines.push(
      ws.bucketZone
        ? `  buckets: days at UTC${ws.bucketZone.utcOffset}, hours on ${describeHourBuckets(ws.bucketZone.hourBuckets)}`
        : '  buckets: no zone recorded yet',
    );
    lines.push(ws.runs.length > 0 ? '  last runs:' : '  no runs');
    for (const r of ws.runs) lines.push(run(r));
  }
  return lines.map(escapeControlChars);
}
