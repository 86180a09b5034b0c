/**
 * `syncWorkspace`: list events, plan each series' windows, fetch them with bounded
 * concurrency and commit each window atomically with its watermark; journal the run in
 * `sync_runs` under a per-workspace lock.
 *
 * The run is a few named steps, in order: {@link resolveSettings}, the lock,
 * {@link checkZone}, {@link listEvents} (the listing and the selection check), {@link openRun},
 * {@link fetchDetails}, {@link planSeries}, {@link fetchAndWrite}, then {@link buildSummary}
 * (the one place the summary is made, from the steps' results) and {@link recordOutcome}.
 * Everything before {@link openRun} writes nothing: a usage mistake (a zone that does not
 * fit the stored rows, an `--event` name not listed, a glob matching none) is refused
 * without a trace in `sync_runs` or the data.
 */

import type { Unit } from '../api/constants.js';
import { quoteInput } from '../api/quote.js';
import { DEFAULT_HOUR_BUCKETS, type HourBuckets } from '../api/time.js';
import { isBrazeHttpError, isBrazeRateLimitError } from '../core/errors.js';
import { requireEvents } from '../core/selection.js';
import { listEventNames, storeEventNames, syncEventDetails } from './catalog.js';
import { DatabaseUnavailableError, SyncFailedError, SyncLockedError } from './errors.js';
import { readSyncInProgress } from './in-progress.js';
import { validateSyncOptions } from './options.js';
import { brazeDownReason, budget, failureMessage, isFatal, oneLine } from './outcome.js';
import { type PlannedWindow, planSeriesSync } from './planner.js';
import { runSeriesPlans } from './run-series.js';
import { expandSeries, type SeriesKey, seriesId } from './series.js';
import { loadSeriesStates } from './store/counts.js';
import {
  beatRun,
  finishRun,
  markInterruptedRuns,
  RUN_HEARTBEAT_MS,
  type RunCounters,
  startRun,
  syncLockName,
} from './store/runs.js';
import { checkBucketZone, recordBucketZone } from './store/settings.js';
import {
  DEFAULT_SYNC_CONCURRENCY,
  type SeriesFailure,
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
 * before any request, EventSelectionError (a RangeError) when `events`/`match` select
 * nothing listed: after the listing, before any write (no `sync_runs` row).
 *
 * @example
 * const db = await openDatabase('./braze-events.db');
 * const client = createBrazeClient({ apiKey, endpoint: 'US-03' });
 * const summary = await syncWorkspace({ client, db, workspace: 'prod', units: ['day', 'hour'] });
 * console.log(summary.rowsInserted, summary.rowsUpdated);
 */
export async function syncWorkspace(options: SyncOptions): Promise<SyncSummary> {
  const settings = resolveSettings(options);
  const { db, workspace } = options;
  await db.migrate();
  const lock = await db.tryLock(syncLockName(workspace));
  if ('holder' in lock) {
    // What the holder is doing, as `status` shows it; null if it ended meanwhile.
    const doing = await readSyncInProgress(db, workspace).catch(() => null);
    throw new SyncLockedError(workspace, lock.holder, doing);
  }
  let run: OpenRun | undefined;
  try {
    const counters = trackCounters(options.client);
    const progress = createProgress(options.onProgress);
    const zoneUnrecorded = await checkZone(options, settings);
    const listing = await listEvents(options, progress);
    run = await openRun(options, settings, zoneUnrecorded);
    const ctx: RunContext = { options, settings, runId: run.runId, counters, progress };
    const results = await runSteps(ctx, listing);
    clearInterval(run.heartbeat);
    return await recordOutcome(ctx, buildSummary(ctx, run, results), results);
  } finally {
    if (run !== undefined) clearInterval(run.heartbeat);
    await lock.release();
  }
}

/** The run's settings, validated before anything is opened. */
interface RunSettings {
  units: Unit[];
  clock: () => number;
  /** The run's instant: windows end here, the journal starts here. */
  now: Date;
  utcOffsetMinutes: number;
  hourBuckets: HourBuckets;
  /** `performance.now()` at the start, for `durationMs`. */
  started: number;
}

/** A run journalled in `sync_runs` and kept alive by its heartbeat. */
interface OpenRun {
  runId: number;
  interruptedRuns: number;
  heartbeat: ReturnType<typeof setInterval>;
}

/** The client's work during this run and the rows written, as `sync_runs` keeps them. */
interface Counters {
  readonly current: RunCounters;
  /** Reads the client's stats into `current` (requests, retries, rateLimited). */
  refresh(): void;
}

interface Progress {
  readonly state: SyncProgress;
  /** Hands a copy of `state` to `onProgress`. */
  report(): void;
}

/** What every step after the lock shares. */
interface RunContext {
  options: SyncOptions;
  settings: RunSettings;
  runId: number;
  counters: Counters;
  progress: Progress;
}

/** What the fetch step did. */
interface FetchResults {
  failures: SeriesFailure[];
  /** The first series' error, the `cause` of a failed run without a fatal error. */
  firstFailure: unknown;
  rowsUnchanged: number;
  /** Series that ran every planned window; windows written. */
  seriesDone: number;
  windowsDone: number;
  /** Series started (the rest were not attempted: the run stopped first). */
  seriesStarted: number;
  /** Why the run stopped early when Braze looked down (brazeDownReason). */
  stopReason: string | null;
  /** The error that stopped the run, if any. */
  fatal: unknown;
}

/** Fetch results before any window: also what a run stopped before fetching reports. */
function nothingFetched(): FetchResults {
  return {
    failures: [],
    firstFailure: undefined,
    rowsUnchanged: 0,
    seriesDone: 0,
    windowsDone: 0,
    seriesStarted: 0,
    stopReason: null,
    fatal: undefined,
  };
}

/**
 * The steps' results. Filled as they come, so that a run stopped midway still reports
 * what it got to (the names listed before the database went away, say).
 */
interface StepResults extends FetchResults {
  eventsListed: number;
  events: number;
  details: { fetched: boolean; note?: string };
  series: number;
  windows: number;
}

function resolveSettings(options: SyncOptions): RunSettings {
  const clock = options.now ?? Date.now;
  const units = [...new Set(options.units ?? (['day'] as const))];
  const nowMs = clock();
  validateSyncOptions(options, units, nowMs);
  return {
    units,
    clock,
    now: new Date(nowMs),
    utcOffsetMinutes: options.bucketUtcOffsetMinutes ?? 0,
    hourBuckets:
      options.hourBuckets ?? options.client.bucketZone?.hourBuckets ?? DEFAULT_HOUR_BUCKETS,
    started: performance.now(),
  };
}

function trackCounters(client: SyncOptions['client']): Counters {
  const base = client.stats();
  const current: RunCounters = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
  };
  return {
    current,
    refresh() {
      const s = client.stats();
      current.requests = s.requests - base.requests;
      current.retries = s.retries - base.retries;
      current.rateLimited = s.rateLimited - base.rateLimited;
    },
  };
}

function createProgress(onProgress: SyncOptions['onProgress']): Progress {
  const state: SyncProgress = {
    phase: 'listing',
    windowsTotal: 0,
    windowsDone: 0,
    seriesTotal: 0,
    seriesDone: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
  };
  return { state, report: () => onProgress?.({ ...state }) };
}

/** The run's bucket zone (offset and hour edges), as `workspace_settings` records it. */
function zoneOf(settings: RunSettings) {
  return { utcOffsetMinutes: settings.utcOffsetMinutes, hourBuckets: settings.hourBuckets };
}

/**
 * Refuses a run in another zone than the stored rows' (offset or hour edges), writing
 * nothing. True when the zone is still to be recorded (by {@link openRun}).
 */
function checkZone({ db, workspace }: SyncOptions, settings: RunSettings): Promise<boolean> {
  return checkBucketZone(db, workspace, zoneOf(settings));
}

/** The listing, or the error that stopped it (a failed run, journalled as such). */
type Listing = { names: string[]; selected: string[] } | { error: unknown };

/**
 * Every custom event name (GET /events/list) and the selected ones. Throws the selection's
 * EventSelectionError — names the listing lacks, or a glob matching none — before the run
 * is opened: a usage mistake, not a run. Any other error (the key, the network, Ctrl-C) is
 * returned, for the opened run to record.
 */
async function listEvents(options: SyncOptions, progress: Progress): Promise<Listing> {
  progress.report();
  let names: string[];
  try {
    names = await listEventNames(options.client, options.signal);
  } catch (error) {
    return { error };
  }
  const { events, match } = options;
  return { names, selected: requireEvents(names, { events, match }) };
}

/**
 * Records the zone when new, marks runs whose process is gone as interrupted, starts the
 * run's journal row and its heartbeat: the first writes of a run.
 */
async function openRun(
  options: SyncOptions,
  settings: RunSettings,
  zoneUnrecorded: boolean,
): Promise<OpenRun> {
  const { db, workspace, logger } = options;
  const { now, clock } = settings;
  if (zoneUnrecorded) await recordBucketZone(db, workspace, zoneOf(settings), now);
  const interruptedRuns = await markInterruptedRuns(db, workspace, now);
  if (interruptedRuns > 0) {
    logger?.warn?.(`marked ${interruptedRuns} earlier run(s) of "${workspace}" as interrupted`);
  }
  const runId = await startRun(db, workspace, settings.units.join(','), now);
  // Alive, not hung, also while the client waits minutes for a rate-limit window: a
  // failed beat is ignored (the run's own writes report a database in trouble).
  const heartbeat = setInterval(() => {
    beatRun(db, runId, new Date(clock())).catch(() => {});
  }, options.heartbeatMs ?? RUN_HEARTBEAT_MS);
  heartbeat.unref();
  return { runId, interruptedRuns, heartbeat };
}

/** The steps between opening and closing the run; an error stops them and is kept as `fatal`. */
async function runSteps(ctx: RunContext, listing: Listing): Promise<StepResults> {
  const results: StepResults = {
    eventsListed: 0,
    events: 0,
    details: { fetched: false },
    series: 0,
    windows: 0,
    ...nothingFetched(),
  };
  try {
    if ('error' in listing) throw listing.error;
    const { names, selected } = listing;
    results.eventsListed = names.length;
    const { db, workspace } = ctx.options;
    await storeEventNames(db, workspace, names, ctx.settings.now);
    results.events = selected.length;
    results.details = await fetchDetails(ctx);
    const { plans, windows } = await planSeries(ctx, selected);
    results.series = plans.length;
    results.windows = windows;
    Object.assign(results, await fetchAndWrite(ctx, plans));
  } catch (error) {
    results.fatal ??= error;
  }
  return results;
}

/**
 * The events' details (GET /events) when wanted (by default on an unfiltered run). A
 * nicety: only what would also stop the counts stops the run here.
 */
async function fetchDetails({ options, settings, progress }: RunContext): Promise<{
  fetched: boolean;
  note?: string;
}> {
  const { client, db, workspace, signal, logger } = options;
  const filtered = options.events !== undefined || options.match !== undefined;
  if (!(options.details ?? !filtered)) return { fetched: false };
  progress.state.phase = 'details';
  progress.report();
  // A spent rate limit does not stop the run: GET /events shares the 1,000/hour listing
  // budget with /events/list, and the counts come from data_series, which has its own.
  const details = await syncEventDetails(client, db, workspace, settings.now, signal).catch(
    (error: unknown) => {
      const budgetSpent = isBrazeRateLimitError(error) && !signal?.aborted;
      if (isFatal(error, signal) && !budgetSpent) throw error;
      return { fetched: false, note: `event details skipped: ${oneLine(error)}` };
    },
  );
  if (details.note) logger?.info?.(details.note);
  return details;
}

/**
 * Each selected event's series and the windows each needs, from the stored watermarks,
 * with the total window count (counted once: the progress and the run's results use it).
 */
async function planSeries(
  { options, settings, progress }: RunContext,
  selected: readonly string[],
): Promise<{ plans: Array<{ key: SeriesKey; windows: PlannedWindow[] }>; windows: number }> {
  const states = await loadSeriesStates(options.db, options.workspace);
  const plans = expandSeries(selected, settings.units, options.appIds, options.segmentIds).map(
    (key) => ({
      key,
      windows: planSeriesSync({
        unit: key.unit,
        now: settings.now,
        state: states.get(seriesId(key)),
        since: options.since,
        lookback: options.lookback,
        utcOffsetMinutes: settings.utcOffsetMinutes,
        hourBuckets: settings.hourBuckets,
      }),
    }),
  );
  const windows = plans.reduce((n, p) => n + p.windows.length, 0);
  Object.assign(progress.state, {
    phase: 'series',
    seriesTotal: plans.length,
    windowsTotal: windows,
  });
  progress.report();
  return { plans, windows };
}

/**
 * Fetches every planned window and commits each with its watermark and the run's counters
 * (runSeriesPlans: several series at a time, the sync's failure policy). Never throws: the
 * error that stopped it is `fatal`.
 */
async function fetchAndWrite(
  ctx: RunContext,
  plans: ReadonlyArray<{ key: SeriesKey; windows: PlannedWindow[] }>,
): Promise<FetchResults> {
  const { options, settings, runId, counters, progress } = ctx;
  const { client, db, workspace, signal, logger } = options;
  const fetched = nothingFetched();
  const rows = counters.current;
  try {
    fetched.fatal = await runSeriesPlans({
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
          now: settings.clock,
          utcOffsetMinutes: settings.utcOffsetMinutes,
          hourBuckets: settings.hourBuckets,
          signal,
          run: {
            id: runId,
            requests: () => {
              counters.refresh();
              const { requests, retries, rateLimited } = counters.current;
              return { requests, retries, rateLimited };
            },
          },
        });
        rows.rowsInserted += result.inserted;
        rows.rowsUpdated += result.updated;
        fetched.rowsUnchanged += result.unchanged;
        fetched.windowsDone += 1;
        Object.assign(progress.state, {
          windowsDone: progress.state.windowsDone + 1,
          rowsInserted: rows.rowsInserted,
          rowsUpdated: rows.rowsUpdated,
        });
        progress.report();
      },
      onSeriesFailed: ({ key }, error) => {
        fetched.firstFailure ??= error;
        const status = isBrazeHttpError(error) ? error.status : null;
        fetched.failures.push({ ...key, error: oneLine(error), status });
        logger?.warn?.(
          `series ${quoteInput(key.event)} (${key.unit}) failed: ${oneLine(error)}; the other series go on`,
        );
      },
      onSeriesStarted: () => {
        fetched.seriesStarted += 1;
      },
      onBrazeDown: (errors) => {
        fetched.stopReason = brazeDownReason(errors);
      },
      onSeriesDone: () => {
        fetched.seriesDone += 1;
      },
      onSeriesEnded: () => {
        progress.state.seriesDone += 1;
      },
    });
  } catch (error) {
    fetched.fatal = error;
  }
  return fetched;
}

/** The run's summary: made once, here, from what the steps returned. */
function buildSummary(
  { options, settings, runId, counters }: RunContext,
  run: OpenRun,
  results: StepResults,
): SyncSummary {
  const { client, workspace, signal } = options;
  counters.refresh();
  const failed = Boolean(results.fatal) || results.failures.length > 0;
  return {
    runId,
    workspace,
    status: signal?.aborted ? 'interrupted' : failed ? 'failed' : 'succeeded',
    units: settings.units,
    eventsListed: results.eventsListed,
    events: results.events,
    missingEvents: [],
    detailsFetched: results.details.fetched,
    series: results.series,
    seriesDone: results.seriesDone,
    seriesFailed: results.failures.length,
    seriesNotAttempted: results.series - results.seriesStarted,
    stopReason: results.stopReason,
    windows: results.windows,
    windowsDone: results.windowsDone,
    ...counters.current,
    rowsUnchanged: results.rowsUnchanged,
    interruptedRuns: run.interruptedRuns,
    failures: results.failures,
    startedAt: settings.now.toISOString(),
    finishedAt: new Date(settings.clock()).toISOString(),
    durationMs: Math.round(performance.now() - settings.started),
    budget: {
      listing: budget(client.rateLimit('listing')),
      dataSeries: budget(client.rateLimit('dataSeries')),
    },
    ...(results.details.note ? { detailsNote: results.details.note } : {}),
  };
}

/**
 * Writes the run's end to `sync_runs` and says how it ended: the summary, or the error
 * (SyncFailedError with the summary, a database gone).
 */
async function recordOutcome(
  { options, runId, counters, progress }: RunContext,
  summary: SyncSummary,
  { fatal, firstFailure }: StepResults,
): Promise<SyncSummary> {
  const interrupted = summary.status === 'interrupted';
  // The run's row cannot be written to a database that is gone; the next run marks it
  // interrupted. The error says what happened in one line.
  if (fatal instanceof DatabaseUnavailableError && !interrupted) throw fatal;
  const message = failureMessage(summary, fatal);
  try {
    await finishRun(
      options.db,
      runId,
      summary.status,
      counters.current,
      new Date(summary.finishedAt),
      message,
    );
  } catch (error) {
    // Interrupted while the database is away (its waits stopped by the caller's signal, or
    // over): the row stays for the next run to mark, and the summary still says what was
    // done, as for any interrupted run.
    if (!(interrupted && error instanceof DatabaseUnavailableError)) throw error;
  }
  progress.state.phase = 'done';
  progress.report();
  if (summary.status !== 'succeeded') {
    throw new SyncFailedError(message ?? 'sync failed', summary, fatal ?? firstFailure);
  }
  return summary;
}
