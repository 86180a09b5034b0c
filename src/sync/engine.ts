/**
 * `syncWorkspace`: list events, plan each series' windows, fetch them with bounded
 * concurrency and commit each window atomically with its watermark; journal the run in
 * `sync_runs` under a per-workspace lock.
 */
import { UNITS, type Unit } from '../api/constants.js';
import { isBrazeAuthError, isBrazeError, isBrazeRateLimitError } from '../core/errors.js';
import type { RateLimitState } from '../core/types.js';
import { syncEventDetails, syncEventNames } from './catalog.js';
import { SyncFailedError, SyncLockedError } from './errors.js';
import { selectEvents } from './filter.js';
import { MAX_LOOKBACK, type PlannedWindow, planSeriesSync } from './planner.js';
import { runPool } from './pool.js';
import { expandSeries, type SeriesKey, seriesId } from './series.js';
import { loadSeriesStates } from './store/counts.js';
import {
  finishRun,
  markInterruptedRuns,
  type RunCounters,
  startRun,
  updateRunCounters,
} from './store/runs.js';
import {
  type BudgetLeft,
  DEFAULT_SYNC_CONCURRENCY,
  type SyncOptions,
  type SyncProgress,
  type SyncSummary,
} from './types.js';
import { syncWindow } from './window.js';

/** Consecutive failed series after which a run stops (Braze is down, not one series). */
export const MAX_CONSECUTIVE_SERIES_FAILURES = 5;

/** Largest `concurrency` accepted. */
export const MAX_SYNC_CONCURRENCY = 64;

function validate(o: SyncOptions, units: readonly Unit[], now: number): void {
  if (typeof o.workspace !== 'string' || o.workspace.trim() === '') {
    throw new TypeError(`workspace must be a non-empty string, got ${JSON.stringify(o.workspace)}`);
  }
  if (units.length === 0 || units.some((u) => !UNITS.includes(u))) {
    throw new RangeError(
      `units must be a non-empty list of ${UNITS.join('/')}, got ${JSON.stringify(units)}`,
    );
  }
  const c = o.concurrency ?? DEFAULT_SYNC_CONCURRENCY;
  if (!Number.isInteger(c) || c < 1 || c > MAX_SYNC_CONCURRENCY) {
    throw new RangeError(
      `concurrency must be an integer from 1 to ${MAX_SYNC_CONCURRENCY}, got ${c}`,
    );
  }
  if (
    o.lookback !== undefined &&
    (!Number.isInteger(o.lookback) || o.lookback < 0 || o.lookback > MAX_LOOKBACK)
  ) {
    throw new RangeError(
      `lookback must be an integer from 0 to ${MAX_LOOKBACK}, got ${o.lookback}`,
    );
  }
  if (o.since !== undefined && !(o.since.getTime() <= now)) {
    throw new RangeError(`since must be a valid date not after now, got ${String(o.since)}`);
  }
  if (o.events !== undefined && o.match !== undefined) {
    throw new TypeError('events and match cannot be combined');
  }
  for (const [name, list] of [
    ['events', o.events],
    ['appIds', o.appIds],
    ['segmentIds', o.segmentIds],
  ] as const) {
    if (list?.some((v) => typeof v !== 'string' || v === '')) {
      throw new TypeError(`${name} must hold non-empty strings, got ${JSON.stringify(list)}`);
    }
  }
}

function budget(state: RateLimitState | undefined): BudgetLeft | null {
  if (!state) return null;
  return {
    limit: state.limit,
    remaining: state.remaining,
    resetAt: state.resetAt?.toISOString() ?? null,
  };
}

/** Errors that make every other series pointless too. */
function isFatal(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  if (!isBrazeError(error)) return true; // database or programming errors
  return isBrazeAuthError(error) || isBrazeRateLimitError(error);
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}

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
  validate(options, units, nowMs);
  const now = new Date(nowMs);
  const offset = options.bucketUtcOffsetMinutes ?? 0;
  const started = performance.now();

  await db.migrate();
  const lock = await db.tryLock(`sync:${workspace}`);
  if ('holder' in lock) throw new SyncLockedError(workspace, lock.holder);

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
  try {
    summary.interruptedRuns = await markInterruptedRuns(db, workspace, now);
    if (summary.interruptedRuns > 0) {
      logger?.warn?.(
        `marked ${summary.interruptedRuns} earlier run(s) of "${workspace}" as interrupted`,
      );
    }
    summary.runId = await startRun(db, workspace, units.join(','), now);
    try {
      report();
      const names = await syncEventNames(client, db, workspace, now, signal);
      summary.eventsListed = names.length;
      const { selected, missing } = selectEvents(names, {
        events: options.events,
        match: options.match,
      });
      summary.events = selected.length;
      summary.missingEvents = missing;
      if (missing.length > 0)
        logger?.warn?.(`not in the workspace's events, skipped: ${missing.join(', ')}`);

      const filtered = options.events !== undefined || options.match !== undefined;
      if (options.details ?? !filtered) {
        progress.phase = 'details';
        report();
        const details = await syncEventDetails(client, db, workspace, now, signal);
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

      let consecutiveFailures = 0;
      const runSeries = async ({ key, windows }: { key: SeriesKey; windows: PlannedWindow[] }) => {
        try {
          for (const window of windows) {
            if (signal?.aborted || fatal !== undefined) return;
            const result = await syncWindow({
              client,
              db,
              workspace,
              key,
              window,
              now: clock,
              utcOffsetMinutes: offset,
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
          }
          consecutiveFailures = 0;
        } catch (error) {
          if (isFatal(error, signal)) {
            fatal ??= error;
            return;
          }
          summary.failures.push({ ...key, error: oneLine(error) });
          logger?.warn?.(`series ${key.event} (${key.unit}) failed: ${oneLine(error)}`);
          consecutiveFailures += 1;
          if (consecutiveFailures >= MAX_CONSECUTIVE_SERIES_FAILURES) fatal ??= error;
        } finally {
          progress.seriesDone += 1;
        }
      };
      await runPool(plans, options.concurrency ?? DEFAULT_SYNC_CONCURRENCY, runSeries, () =>
        Boolean(signal?.aborted || fatal !== undefined),
      );
      if (signal?.aborted) fatal ??= signal.reason ?? new Error('aborted');
    } catch (error) {
      fatal ??= error;
    }

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
    if (summary.status !== 'succeeded') {
      throw new SyncFailedError(message ?? 'sync failed', summary, fatal ?? summary.failures[0]);
    }
    return summary;
  } finally {
    await lock.release();
  }
}

function failureMessage(summary: SyncSummary, fatal: unknown): string | null {
  const parts: string[] = [];
  if (summary.status === 'interrupted') parts.push('interrupted');
  else if (fatal !== undefined) parts.push(oneLine(fatal));
  if (summary.failures.length > 0) {
    parts.push(
      `${summary.failures.length} of ${summary.series} series failed (first: ${summary.failures[0]!.event}: ${summary.failures[0]!.error})`,
    );
  }
  if (summary.missingEvents.length > 0) {
    parts.push(
      `not in the workspace: ${summary.missingEvents.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }
  return parts.length > 0 ? parts.join('; ') : null;
}
