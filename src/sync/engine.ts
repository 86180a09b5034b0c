/**
 * `syncWorkspace`: list events, plan each series' windows, fetch them with bounded
 * concurrency and commit each window atomically with its watermark; journal the run in
 * `sync_runs` under a per-workspace lock.
 */

import { quoteInput } from '../api/quote.js';
import { DEFAULT_HOUR_BUCKETS } from '../api/time.js';
import { isBrazeHttpError, isBrazeRateLimitError } from '../core/errors.js';
import { EventSelectionError } from '../core/selection.js';
import { syncEventDetails, syncEventNames } from './catalog.js';
import { DatabaseUnavailableError } from './db/reconnect.js';
import { SyncFailedError, SyncLockedError } from './errors.js';
import { requireEvents } from './filter.js';
import { validateSyncOptions } from './options.js';
import { budget, failureMessage, isFatal, oneLine } from './outcome.js';
import { planSeriesSync } from './planner.js';
import { runSeriesPlans } from './run-series.js';
import { expandSeries, seriesId } from './series.js';
import { loadSeriesStates } from './store/counts.js';
import {
  beatRun,
  finishRun,
  markInterruptedRuns,
  RUN_HEARTBEAT_MS,
  type RunCounters,
  startRun,
  updateRunCounters,
} from './store/runs.js';
import { checkBucketZone } from './store/settings.js';
import {
  DEFAULT_SYNC_CONCURRENCY,
  type SyncOptions,
  type SyncProgress,
  type SyncSummary,
} from './types.js';
import { syncWindow } from './window.js';

export { MAX_CONSECUTIVE_SERIES_FAILURES } from './run-series.js';

/**
 * Brings a workspace's stored counts up to date and returns what it did. Throws
 * `SyncLockedError` when another sync of the workspace runs, `SyncFailedError` (with the
 * summary) when some series could not be synced, TypeError/RangeError on bad options
 * before any request.
 *
 * @example
 * const db = await openDatabase('./braze-events.db');
 * const client = createBrazeClient({ apiKey, endpoint: 'US-03' });
 * const summary = await syncWorkspace({ client, db, workspace: 'prod', units: ['day', 'hour'] });
 * console.log(summary.rowsInserted, summary.rowsUpdated);
 */
export async function syncWorkspace(options: SyncOptions): Promise<SyncSummary> {
  const { client, db, workspace, signal, logger } = options;
  const clock = options.now ?? Date.now;
  const units = [...new Set(options.units ?? (['day'] as const))];
  const nowMs = clock();
  validateSyncOptions(options, units, nowMs);
  const now = new Date(nowMs);
  const offset = options.bucketUtcOffsetMinutes ?? 0;
  const hourBuckets =
    options.hourBuckets ?? options.client.bucketZone?.hourBuckets ?? DEFAULT_HOUR_BUCKETS;
  const started = performance.now();

  await db.migrate();
  const lock = await db.tryLock(`sync:${workspace}`);
  if ('holder' in lock) throw new SyncLockedError(workspace, lock.holder);
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  const base = client.stats();
  const counters: RunCounters = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
  };
  const refreshCounters = () => {
    const s = client.stats();
    counters.requests = s.requests - base.requests;
    counters.retries = s.retries - base.retries;
    counters.rateLimited = s.rateLimited - base.rateLimited;
  };
  const progress: SyncProgress = {
    phase: 'listing',
    windowsTotal: 0,
    windowsDone: 0,
    seriesTotal: 0,
    seriesDone: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
  };
  const report = () => options.onProgress?.({ ...progress });
  const summary: SyncSummary = {
    runId: 0,
    workspace,
    status: 'failed',
    units,
    eventsListed: 0,
    events: 0,
    missingEvents: [],
    detailsFetched: false,
    series: 0,
    windows: 0,
    requests: 0,
    retries: 0,
    rateLimited: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
    rowsUnchanged: 0,
    interruptedRuns: 0,
    failures: [],
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    durationMs: 0,
    budget: { listing: null, dataSeries: null },
  };

  let fatal: unknown;
  let firstFailure: unknown;
  try {
    // Before anything is written: a run in another zone (offset or hour edges) is
    // refused, not recorded.
    await checkBucketZone(db, workspace, { utcOffsetMinutes: offset, hourBuckets }, now);
    summary.interruptedRuns = await markInterruptedRuns(db, workspace, now);
    if (summary.interruptedRuns > 0) {
      logger?.warn?.(
        `marked ${summary.interruptedRuns} earlier run(s) of "${workspace}" as interrupted`,
      );
    }
    summary.runId = await startRun(db, workspace, units.join(','), now);
    // Alive, not hung, also while the client waits minutes for a rate-limit window: a
    // failed beat is ignored (the run's own writes report a database in trouble).
    const runId = summary.runId;
    heartbeat = setInterval(() => {
      beatRun(db, runId, new Date(clock())).catch(() => {});
    }, options.heartbeatMs ?? RUN_HEARTBEAT_MS);
    heartbeat.unref();
    try {
      report();
      const names = await syncEventNames(client, db, workspace, now, signal);
      summary.eventsListed = names.length;
      // Names the listing lacks, or a glob matching none, stop the run before any
      // data_series request: a usage mistake, not a partial success.
      const selected = requireEvents(names, { events: options.events, match: options.match });
      summary.events = selected.length;

      const filtered = options.events !== undefined || options.match !== undefined;
      if (options.details ?? !filtered) {
        progress.phase = 'details';
        report();
        // Details are a nicety: only what would also stop the counts stops the run here. A
        // spent rate limit does not: GET /events shares the 1,000/hour listing budget with
        // /events/list, and the counts come from data_series, which has its own.
        const details = await syncEventDetails(client, db, workspace, now, signal).catch(
          (error: unknown) => {
            const budgetSpent = isBrazeRateLimitError(error) && !signal?.aborted;
            if (isFatal(error, signal) && !budgetSpent) throw error;
            return { fetched: false, note: `event details skipped: ${oneLine(error)}` };
          },
        );
        summary.detailsFetched = details.fetched;
        if (details.note) {
          summary.detailsNote = details.note;
          logger?.info?.(details.note);
        }
      }

      const states = await loadSeriesStates(db, workspace);
      const plans = expandSeries(selected, units, options.appIds, options.segmentIds).map(
        (key) => ({
          key,
          windows: planSeriesSync({
            unit: key.unit,
            now,
            state: states.get(seriesId(key)),
            since: options.since,
            lookback: options.lookback,
            utcOffsetMinutes: offset,
            hourBuckets,
          }),
        }),
      );
      summary.series = plans.length;
      summary.windows = plans.reduce((n, p) => n + p.windows.length, 0);
      Object.assign(progress, {
        phase: 'series',
        seriesTotal: summary.series,
        windowsTotal: summary.windows,
      });
      report();

      const stopped = await runSeriesPlans({
        plans,
        concurrency: options.concurrency ?? DEFAULT_SYNC_CONCURRENCY,
        signal,
        runWindow: async ({ key }, window) => {
          const result = await syncWindow({
            client,
            db,
            workspace,
            key,
            window,
            now: clock,
            utcOffsetMinutes: offset,
            hourBuckets,
            signal,
            alsoInTransaction: async (tx, r) => {
              refreshCounters();
              await updateRunCounters(tx, summary.runId, {
                ...counters,
                rowsInserted: counters.rowsInserted + r.inserted,
                rowsUpdated: counters.rowsUpdated + r.updated,
              });
            },
          });
          counters.rowsInserted += result.inserted;
          counters.rowsUpdated += result.updated;
          summary.rowsUnchanged += result.unchanged;
          Object.assign(progress, {
            windowsDone: progress.windowsDone + 1,
            rowsInserted: counters.rowsInserted,
            rowsUpdated: counters.rowsUpdated,
          });
          report();
        },
        onSeriesFailed: ({ key }, error) => {
          firstFailure ??= error;
          const status = isBrazeHttpError(error) ? error.status : null;
          summary.failures.push({ ...key, error: oneLine(error), status });
          logger?.warn?.(
            `series ${quoteInput(key.event)} (${key.unit}) failed: ${oneLine(error)}; the other series go on`,
          );
        },
        onSeriesEnded: () => {
          progress.seriesDone += 1;
        },
      });
      fatal ??= stopped;
    } catch (error) {
      fatal ??= error;
    }

    clearInterval(heartbeat);
    refreshCounters();
    Object.assign(summary, counters);
    const finishedAt = new Date(clock());
    summary.finishedAt = finishedAt.toISOString();
    summary.durationMs = Math.round(performance.now() - started);
    summary.budget = {
      listing: budget(client.rateLimit('listing')),
      dataSeries: budget(client.rateLimit('dataSeries')),
    };
    summary.status = signal?.aborted
      ? 'interrupted'
      : fatal || summary.failures.length || summary.missingEvents.length
        ? 'failed'
        : 'succeeded';
    // The run's row cannot be written to a database that is gone; the next run marks it
    // interrupted. The error says what happened in one line.
    if (fatal instanceof DatabaseUnavailableError) throw fatal;
    const message = failureMessage(summary, fatal);
    await finishRun(
      db,
      summary.runId,
      summary.status === 'succeeded' ? 'succeeded' : summary.status,
      counters,
      finishedAt,
      message,
    );
    progress.phase = 'done';
    report();
    // The selection's own error says it all (the run row records it too).
    if (fatal instanceof EventSelectionError) throw fatal;
    if (summary.status !== 'succeeded') {
      throw new SyncFailedError(message ?? 'sync failed', summary, fatal ?? firstFailure);
    }
    return summary;
  } finally {
    clearInterval(heartbeat);
    await lock.release();
  }
}
