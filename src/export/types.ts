/**
 * Public types of the streaming export: one row per event and bucket.
 */
import type { Unit } from '../api/constants.js';
import type { RequestOptions } from '../core/types.js';

/** Output formats of an export. */
export const EXPORT_FORMATS = ['csv', 'ndjson', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * One exported row. Keys are the output column names (snake_case, as in the CSV header);
 * `app_id`/`segment_id` are present only when the export was filtered by them.
 */
export interface ExportRow {
  event: string;
  unit: Unit;
  /** The bucket's time exactly as Braze sent it. */
  time: string;
  count: number;
  app_id?: string;
  segment_id?: string;
}

/** Which buckets to export: Braze's own `length` shape, or an explicit span. */
export interface ExportRange {
  /** Default `day`. */
  unit?: Unit;
  /** Buckets before `endingAt` (default now). Any positive integer; > 100 is split. */
  length?: number;
  /** End of a `length` range (exclusive). */
  endingAt?: Date | string;
  /** First bucket: the one containing this instant. Excludes `length`. */
  since?: Date | string;
  /** End of a `since` range (exclusive). Default now. */
  until?: Date | string;
}

/** What to export and how. */
export interface ExportOptions extends ExportRange, RequestOptions {
  /**
   * Event names. Default: every custom event of the workspace (GET /events/list, all pages).
   * Duplicates are dropped; output is always sorted by name.
   */
  events?: Iterable<string> | AsyncIterable<string>;
  /**
   * Check `events` against the workspace's listing first (GET /events/list, all pages) and
   * throw `EventSelectionError` (option `events`, code `option`) naming those it lacks,
   * before any data_series request: sync's rule, which the CLI's `export --event` follows.
   * Default `false`: the names are sent as given, without a listing request (and without
   * needing the `events.list` permission).
   */
  requireListed?: boolean;
  /** Keep only names matching one of these globs (syntax: `nameMatcher`, src/core/name-match.ts). */
  match?: string | readonly string[];
  appId?: string;
  segmentId?: string;
  /** Events fetched at once. Default `DEFAULT_EXPORT_CONCURRENCY`. */
  concurrency?: number;
  /** Called once with `eventsDone: 0` when the event list is known, then after each event. */
  onProgress?: (progress: ExportProgress) => void;
  /** Called with each event's rows, in output order, after they were written. */
  onBatch?: (batch: { event: string; rows: readonly ExportRow[] }) => void;
  /**
   * The clock (epoch ms) a `length` range without `endingAt` counts back from: give the
   * client's own when it has one. Default `Date.now`.
   */
  now?: () => number;
  /** Called, in output order, for each event that failed on its own (see ExportEventFailure). */
  onEventFailure?: (failure: ExportEventFailure) => void;
}

/**
 * One event Braze refused, or that could not be asked for, while the others were exported:
 * a 4xx about that request (a reserved name such as `$Purchase` answering 400, a name
 * deleted since the listing answering 404; `isEventScopedError` in core), or a name that
 * cannot be URL-encoded (`eventNameProblem`). Failures about the key (401/403), the rate
 * limit or Braze being down stop the whole export instead.
 */
export interface ExportEventFailure {
  event: string;
  /** The HTTP status Braze answered; `null` when no request could be sent. */
  status: number | null;
  /** Braze's `message` (else the start of its body), or why no request was sent. */
  message: string;
  /** `x-request-id` of Braze's answer, for Braze support; `null` without one. */
  requestId: string | null;
}

/** Progress of an export, reported after each event. */
export interface ExportProgress {
  eventsDone: number;
  eventsTotal: number;
  rows: number;
  /** The event just written (absent in the first report). */
  event?: string;
}

/** What an export did. */
export interface ExportSummary {
  /** Events asked for (the failed ones included). */
  events: number;
  rows: number;
  format: ExportFormat;
  /** Events that failed on their own, in output order; their rows are absent. */
  failures: ExportEventFailure[];
}
