/**
 * Public types of the emulator: the contract the other layers' tests code against.
 * Wire shapes (bodies) come from `src/api`; this file adds only what is emulator-specific.
 */
import type { Permission, RateLimitBucket, Unit } from '../api/constants.js';
import type { HourBuckets, HourTimeFormat } from '../api/time.js';
import type { SeriesPoint, WireCustomEvent } from '../api/types.js';
import type { FutureEndingAt, LinkStyle } from './defaults.js';

/** The three emulated endpoints. */
export type RouteName = 'eventsList' | 'events' | 'dataSeries';

/** A REST API key the emulator accepts, with the permissions it carries (default: all). */
export interface EmulatorKey {
  key: string;
  permissions?: readonly Permission[];
}

/**
 * What a fault does to a request.
 * - `'429' | '500' | '503'`: that status with a JSON `{"message": …}` body.
 * - `'502' | '504'`: that status with an HTML error page (as Cloudflare/nginx send).
 * - `'202'`: `{"message":"queued"}` (an older Braze revision's maintenance answer).
 * - `'reset'`: the connection is destroyed without an answer.
 * - `'hang'`: no answer ever (until the client gives up or the emulator closes).
 * - `'delay'`: the answer after `delayMs`: the normal one, or another rule's failure (a
 *   delay composes: it is drawn alongside the first other rule that matches).
 * - `'slow'`: the normal answer, its body trickled in small chunks `delayMs` apart.
 * - `'truncated'`: status 200 and the first half of the normal JSON body, then the end.
 * - `'invalid-json'`: status 200, `application/json`, a body that is not valid JSON.
 * - `'content-type'`: the normal body labelled `text/html`.
 * - `'html'`: status 200 with an HTML page (a proxy or captive-portal answer).
 */
export type FaultKind =
  | '400'
  | '404'
  | '429'
  | '500'
  | '502'
  | '503'
  | '504'
  | '202'
  | 'reset'
  | 'hang'
  | 'delay'
  | 'slow'
  | 'truncated'
  | 'invalid-json'
  | 'content-type'
  | 'html'
  | '401-echo'
  | '429-minute'
  | 'proxy-429'
  | 'truncated-close'
  | 'duplicate-headers'
  | 'ignore-page'
  | 'repeat-cursor';

/**
 * A fault rule. With `count` only: the next `count` matching requests fail (a script).
 * With `probability` only: each matching request fails with that probability, drawn from a
 * PRNG seeded from the emulator's seed, so the same request sequence fails the same way.
 * With both: at most `count` failures, each with that probability.
 *
 * @example
 * emulator.addFault({ kind: '503', route: 'dataSeries', count: 3 });
 * emulator.addFault({ kind: 'reset', probability: 0.05 });
 */
export interface FaultRule {
  kind: FaultKind;
  /** A route name, its path (`/events/data_series`) or `'*'` (default). */
  route?: RouteName | '*' | (string & {});
  count?: number;
  probability?: number;
  /** For `delay` (total) and `slow` (between chunks). Default 100. */
  delayMs?: number;
  /**
   * Only data_series requests for exactly this event name (the decoded `event` parameter):
   * how one event answers 400 (a reserved name such as `$Purchase`) or 404 (deleted since
   * the listing) while the others answer normally.
   */
  event?: string;
}

/** A request as the emulator saw it. Control-API requests are not logged. */
export interface RequestLogEntry {
  /** The `x-request-id` the emulator answered with. */
  id: string;
  method: string;
  /** Path without the query string, percent-decoded. */
  path: string;
  /** Decoded query parameters (the first value of a repeated name). */
  query: Record<string, string>;
  /** Request headers, lower-case names; `authorization` is redacted. */
  headers: Record<string, string>;
  /** Status sent; 0 when the connection was reset or never answered. */
  status: number;
  /** Emulator clock (epoch ms) when the request arrived. */
  at: number;
  /** The route, when the path is one of the three endpoints. */
  route?: RouteName;
  /**
   * The fault injected, if any: a failure or body fault, else `delay` when a delay was all.
   * A delay drawn with a failure is in `delayMs`.
   */
  fault?: FaultKind;
  /** Milliseconds a `delay` rule held the answer, if one did. */
  delayMs?: number;
}

/**
 * Form of `time` in hourly data_series points (Braze's exact form is unknown): `z`
 * (`2026-11-26T13:00:00Z`, UTC), `offset` (`2026-11-26T13:00:00+00:00`, in the bucket zone's
 * offset) or `fractional` (`2026-11-26T13:00:00.000Z`, UTC); the list is `HOUR_FORMATS`.
 */
export type HourFormat = HourTimeFormat;

/** An app of the workspace (`app_id` filter). */
export interface EmulatorApp {
  id: string;
  name: string;
}

/** An analytics-enabled segment of the workspace (`segment_id` filter). */
export interface EmulatorSegment {
  id: string;
  name: string;
}

/** An anomaly seeded into the synthetic data, so detectors can be checked against it. */
export interface SeededAnomaly {
  event: string;
  /**
   * `drop`/`spike`: counts multiplied by `factor` on the days [start, end);
   * `stopped`: no events from `start` on; `started`: first events on `start`.
   */
  kind: 'drop' | 'spike' | 'stopped' | 'started';
  /** First affected day bucket, `YYYY-MM-DD` in the bucket zone. */
  start: string;
  /** First unaffected day (exclusive); null for `stopped`/`started`. */
  end: string | null;
  /** Multiplier for drop/spike; 0 for stopped; 1 for started. */
  factor: number;
}

/**
 * A one-off restatement: the last `days` day buckets (the current one included) of one
 * event (or all) are multiplied by `factor`, as Braze restates recent days.
 */
export interface RestateOptions {
  /** Default 3. */
  days?: number;
  /** Default 1.1. */
  factor?: number;
  /** Only this event (default: all). */
  event?: string;
}

/**
 * A standing lag: counts of the last `days` day buckets (current included) show `factor`
 * of their final value, and reach it once they are older. Models late-arriving data.
 */
export interface ProvisionalOptions {
  days: number;
  factor: number;
}

/** Query of `groundTruth()`: the same as data_series, camelCase. */
export interface GroundTruthQuery {
  event: string;
  length: number;
  unit?: Unit;
  /** ISO date/datetime (as on the wire), a Date or epoch ms. Default: now. */
  endingAt?: string | Date | number;
  appId?: string;
  segmentId?: string;
}

/** An explicit data set (`--data FILE`); see src/emulator/README.md. */
export interface EmulatorDataset {
  apps?: EmulatorApp[];
  segments?: EmulatorSegment[];
  events: DatasetEvent[];
}

/** Counts keyed by local day `YYYY-MM-DD` or local hour `YYYY-MM-DDTHH`. */
export type DatasetCounts = Record<string, number>;

export interface DatasetEvent {
  name: string;
  description?: string;
  included_in_analytics_report?: boolean;
  status?: string;
  tag_names?: string[];
  counts?: DatasetCounts;
  /** Per app id. */
  apps?: Record<string, DatasetCounts>;
  /** Per segment id. */
  segments?: Record<string, DatasetCounts>;
}

/** Options of `startEmulator`. Every default is a named constant in `defaults.ts`. */
export interface EmulatorOptions {
  /** Seed of the synthetic workspace and of probabilistic faults. */
  seed?: number;
  /** Number of synthetic events (ignored with `data`). */
  events?: number;
  /** An explicit data set instead of the synthetic one. */
  data?: EmulatorDataset;
  /** Accepted keys. Default: one key `emulator-key` with every permission. */
  keys?: readonly EmulatorKey[];
  /** Requests per window and bucket. */
  rateLimits?: Partial<Record<RateLimitBucket, number>>;
  /** Length of a rate-limit "hour" in ms (default 3,600,000). */
  hourMs?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  faults?: readonly FaultRule[];
  /** Default 0 (any free port). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /**
   * UTC offset of the bucket zone in minutes east of UTC, −720 … 840 in quarter hours
   * (default 0 = UTC). The CLI takes it as `--bucket-utc-offset ±HH:MM`.
   */
  zoneOffsetMinutes?: number;
  /**
   * Whether hour buckets follow the local clock or UTC hours under an offset that is not
   * whole hours (Braze does not document it). Default `local`, as the client.
   */
  hourBuckets?: HourBuckets;
  /** Answer to an `ending_at` after the clock: `reject` (400, the default) or `accept`. */
  futureEndingAt?: FutureEndingAt;
  hourFormat?: HourFormat;
  /** A standing lag of recent days (default none). */
  provisional?: ProvisionalOptions;
  /** Seeded anomalies, stops and starts fall in the 90 days before this day (ISO date). */
  anchor?: string;
  /** Form of the `Link` header URL (Braze's is unknown). Default `absolute`. */
  linkStyle?: LinkStyle;
}

/** Rate-limit state of one bucket, as the headers would report it now. */
export interface EmulatorRateLimit {
  limit: number;
  remaining: number;
  /** UTC epoch seconds of the next window start. */
  reset: number;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, no trailing slash, e.g. `http://127.0.0.1:53211`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and destroys every open connection (hung ones too). */
  close(): Promise<void>;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  addFault(rule: FaultRule): void;
  clearFaults(): void;
  faults(): FaultRule[];
  /** All event names, in the order /events/list serves them. */
  eventNames(): string[];
  /** All events with details, in /events order. */
  events(): WireCustomEvent[];
  apps(): EmulatorApp[];
  segments(): EmulatorSegment[];
  anomalies(): SeededAnomaly[];
  /** Exactly what data_series would answer now, without faults or rate limits. */
  groundTruth(query: GroundTruthQuery): SeriesPoint[];
  restate(options?: RestateOptions): void;
  setClock(now: () => number): void;
  now(): number;
  rateLimit(bucket: RateLimitBucket): EmulatorRateLimit;
}
