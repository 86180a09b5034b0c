/**
 * Public types of the sync: its options, progress events and summary.
 */
import type { Unit } from '../api/constants.js';
import type { HourBuckets } from '../api/time.js';
import type {
  ClientStats,
  CustomEvent,
  EventNamesOptions,
  EventsOptions,
  GetEventSeriesOptions,
  GetEventSeriesResult,
  Logger,
  RateLimitState,
} from '../core/types.js';
import type { Database } from './db/types.js';

/** The part of `BrazeClient` a sync uses (any `createBrazeClient()` result fits). */
export interface SyncClient {
  eventNames(options?: EventNamesOptions): AsyncIterable<string>;
  events(options?: EventsOptions): AsyncIterable<CustomEvent>;
  getEventSeries(options: GetEventSeriesOptions): Promise<GetEventSeriesResult>;
  stats(): ClientStats;
  /** The zone the client reads buckets in (a BrazeClient has it; stand-ins may not). */
  readonly bucketZone?: Readonly<{ hourBuckets: HourBuckets }>;
  rateLimit(bucket: 'listing' | 'dataSeries'): RateLimitState | undefined;
}

export interface SyncOptions {
  client: SyncClient;
  db: Database;
  /** Name the rows are stored under (the profile name); several can share a database. */
  workspace: string;
  /** Default `['day']`. */
  units?: readonly Unit[];
  /** First bucket wanted (see `planSeriesSync`). Default: the last 100 buckets on a first run. */
  since?: Date;
  /** Buckets re-read before the current one. Default 14 for day, 48 for hour. */
  lookback?: number;
  /** Only these event names (they must exist in the workspace's listing). */
  events?: readonly string[];
  /** Only names matching one of these globs (syntax: `nameMatcher`, src/core/name-match.ts). */
  match?: string | readonly string[];
  /** One series per app id (default: the unfiltered series). */
  appIds?: readonly string[];
  /** One series per segment id (default: the unfiltered series). */
  segmentIds?: readonly string[];
  /** Series fetched in parallel. Default {@link DEFAULT_SYNC_CONCURRENCY}. */
  concurrency?: number;
  /**
   * Fetch event details from GET /events. Default: only when every event is synced (a
   * filtered run would spend the scarce listing budget on details it does not need).
   */
  details?: boolean;
  /**
   * Minutes east of UTC of Braze's day-bucket zone; must match the client's
   * `bucketUtcOffsetMinutes`. Default 0 (UTC).
   */
  bucketUtcOffsetMinutes?: number;
  /**
   * Hour alignment under an offset that is not whole hours; must match the client's
   * `hourBuckets`. Default: the client's (`client.bucketZone`), else `local`.
   */
  hourBuckets?: HourBuckets;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  logger?: Logger;
  /** Clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Milliseconds between two writes of the run's `heartbeat_at`. Default `RUN_HEARTBEAT_MS` (30 s). */
  heartbeatMs?: number;
}

/** Series fetched in parallel by default (the client bounds HTTP concurrency itself). */
export const DEFAULT_SYNC_CONCURRENCY = 4;

export interface SyncProgress {
  phase: 'listing' | 'details' | 'series' | 'done';
  /** data_series windows planned and done. */
  windowsTotal: number;
  windowsDone: number;
  seriesTotal: number;
  seriesDone: number;
  rowsInserted: number;
  rowsUpdated: number;
}

/** Budget left in a rate-limit bucket after the run, as the last response said. */
export interface BudgetLeft {
  limit: number | null;
  remaining: number | null;
  resetAt: string | null;
}

/** One series that could not be brought up to date. */
export interface SeriesFailure {
  event: string;
  unit: Unit;
  appId: string;
  segmentId: string;
  /** The error as one line: Braze's status, message and request id when it answered. */
  error: string;
  /** The HTTP status Braze answered; `null` without one (network, or a name never sent). */
  status: number | null;
}

export interface SyncSummary {
  runId: number;
  workspace: string;
  status: 'succeeded' | 'failed' | 'interrupted';
  units: Unit[];
  /** Names the listing returned. */
  eventsListed: number;
  /** Events synced. */
  events: number;
  /**
   * Always empty: `events` names the workspace does not have now stop the run before any
   * data request (EventSelectionError). Kept so readers of `sync --json` do not break.
   */
  missingEvents: string[];
  /** Whether event details were stored; `detailsNote` says why not when they were wanted. */
  detailsFetched: boolean;
  detailsNote?: string;
  /** Series planned (one per event, unit and filter). */
  series: number;
  /**
   * Series brought up to date by this run: every planned window written (one with nothing
   * to fetch counts). Fewer than `series` when the run was interrupted or series failed.
   */
  seriesDone: number;
  /** Series that failed (`failures.length`). */
  seriesFailed: number;
  /**
   * Series never started because the run stopped first (Braze down, a refused key, a
   * spent rate limit, an interrupt); 0 when every series was tried. Series started but cut
   * short are `series - seriesDone - seriesFailed - seriesNotAttempted`.
   */
  seriesNotAttempted: number;
  /**
   * Why the run stopped before trying every series, one line (e.g. `5 series in a row
   * failed, each with 503 Service Unavailable after the retries (…)`); `null` when it did
   * not stop early, or stopped on an error the error line names itself.
   */
  stopReason: string | null;
  /** data_series windows planned. */
  windows: number;
  /** Windows written (each committed with its series' watermark). */
  windowsDone: number;
  requests: number;
  retries: number;
  rateLimited: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  /** Earlier runs found `running` with their process gone, now marked `interrupted`. */
  interruptedRuns: number;
  failures: SeriesFailure[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  budget: { listing: BudgetLeft | null; dataSeries: BudgetLeft | null };
}
