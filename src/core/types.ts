/**
 * Public types of the client. This file is the contract the CLI, export and sync code
 * build on: change it deliberately.
 */
import type { RateLimitBucket, Unit } from '../api/constants.js';
import type { BucketZone, HourBuckets } from '../api/time.js';

/** Rate-limit state parsed from Braze's `x-ratelimit-*` headers (null when absent/empty). */
export interface RateLimitState {
  /** Requests allowed in the current window. */
  limit: number | null;
  /** Requests left in the current window. */
  remaining: number | null;
  /** Start of the next window (from `x-ratelimit-reset`, UTC epoch seconds). */
  resetAt: Date | null;
  /** From `retry-after` / `x-ratelimit-retry-after`, in milliseconds. */
  retryAfterMs: number | null;
}

/** Minimal structured logger; the library never calls `console` itself. */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Something a caller may want to tell a person, emitted through `onNotice` (the library
 * never prints). `message` is one key-free line; the other fields are for programs.
 * - `wait`: the client is about to pause (`cause` 'rate-limit': pacing until a window
 *   resets; 'retry': backoff or a server-given wait before another attempt).
 * - `listing`: a listing stopped early (a page repeating the previous one, a repeated
 *   cursor, the `MAX_LISTING_PAGES` cap) or dropped duplicate names.
 * - `endpoint`: the endpoint was rewritten (a host without scheme, an SDK or dashboard
 *   host) or points somewhere that is not a Braze REST host.
 */
export type ClientNotice =
  | {
      kind: 'wait';
      cause: 'rate-limit' | 'retry';
      bucket: RateLimitBucket;
      /** Milliseconds of the pause. */
      ms: number;
      /** When it ends (by the client's clock). */
      until: Date;
      /** Retries: how long the failed attempt took (a time-out: its whole wait for an answer). */
      attemptMs?: number;
      /**
       * Retries: how long the request will have been retrying when this wait ends, ms, from
       * its first attempt (every attempt and delay so far): a caller can say a long silence
       * made of short delays once, as the CLI does past 5 s.
       */
      retryingMs?: number;
      /**
       * Retries: when the last retry will have started if every one fails as
       * this one did (each remaining backoff at its longest; a server-given wait may differ).
       */
      lastRetryBy?: Date;
      /** Retries: one number per logical request of this client, the same on each of its retries. */
      call?: number;
      message: string;
      /**
       * Retries: the same wait in one short line (which retry of which request, how long,
       * until when, why) without `message`'s explanation of the whole sequence: for a
       * caller that said the explanation once already (the CLI while Braze is down).
       */
      brief?: string;
    }
  | { kind: 'listing'; endpoint: '/events/list' | '/events'; message: string }
  | { kind: 'endpoint'; message: string };

/** A custom event with details, from GET /events (camelCase). */
export interface CustomEvent {
  name: string;
  description: string;
  includedInAnalyticsReport: boolean;
  /** "Active" is the only documented value; others are passed through unchanged. */
  status: string;
  tagNames: string[];
}

/** One bucket of a series. */
export interface SeriesBucket {
  /** Exactly as Braze sent it (`YYYY-MM-DD` for day, an ISO datetime for hour). */
  time: string;
  count: number;
}

/** A bucket with its normalized start instant, as `eventSeries` yields it. */
export interface NormalizedBucket extends SeriesBucket {
  /** Start of the bucket as a UTC instant. */
  bucketStart: Date;
}

export interface RequestOptions {
  /** Aborts the call, including any wait for a retry or a rate-limit window. */
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call (per attempt). */
  timeoutMs?: number | undefined;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number | undefined;
  /**
   * Longest single wait (rate-limit window or retry) this call accepts; a longer one throws
   * instead of waiting. Default: the client's `maxRetryWaitMs`. For optional calls that must
   * not hold the rest of a run back.
   */
  maxWaitMs?: number | undefined;
}

export interface ListEventNamesOptions extends RequestOptions {
  /** 0-based page of 250 names. Default 0. */
  page?: number;
}

export interface ListEventNamesResult {
  events: string[];
  page: number;
  rateLimit: RateLimitState;
}

export interface EventNamesOptions extends RequestOptions {
  /** First 0-based page. Default 0. */
  startPage?: number;
  /** Stop after this many names. */
  maxItems?: number;
  /** Stop (with a `listing` notice) after this many pages. Default `DEFAULT_MAX_LISTING_PAGES.eventsList`. */
  maxPages?: number;
}

export interface EventsOptions extends RequestOptions {
  maxItems?: number;
  /** Stop (with a `listing` notice) after this many pages. Default `DEFAULT_MAX_LISTING_PAGES.events`. */
  maxPages?: number;
}

export interface SeriesFilter {
  /** Limit to one app of the workspace (wire `app_id`). */
  appId?: string;
  /** Limit to one analytics-enabled segment (wire `segment_id`). */
  segmentId?: string;
}

export interface GetEventSeriesOptions extends RequestOptions, SeriesFilter {
  /** The custom event's name, sent URL-encoded. */
  event: string;
  /** Buckets before `endingAt`, 1..100. */
  length: number;
  /** Default `day`. */
  unit?: Unit;
  /** A Date or an ISO 8601 date/datetime. Default: the time of the request. */
  endingAt?: Date | string;
}

export interface GetEventSeriesResult {
  data: SeriesBucket[];
  rateLimit: RateLimitState;
}

export interface EventSeriesOptions extends RequestOptions, SeriesFilter {
  event: string;
  unit?: Unit;
  /** First bucket wanted: the bucket containing this instant (inclusive). */
  since: Date | string;
  /**
   * End of the range (exclusive): buckets whose start is before it. Default: now, which
   * includes the current, still-growing bucket; a later instant is treated as now.
   */
  until?: Date | string;
}

/** Counters a client keeps over its lifetime, e.g. for a sync's run record. */
export interface ClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Requests that were retries. */
  retries: number;
  /** 429 responses received. */
  rateLimited: number;
  /** Milliseconds spent waiting (backoff and rate-limit pacing). */
  waitedMs: number;
}

/** Options of `createBrazeClient`. Every default is an exported `DEFAULT_*` constant. */
export interface BrazeClientOptions {
  /** REST API key of the workspace (sent as `Authorization: Bearer …`, never logged). */
  apiKey: string;
  /** Instance id (`US-03`, `eu-01`, case-insensitive) or a REST base URL. */
  endpoint: string;
  /** Per-attempt timeout, headers and body. Default `DEFAULT_TIMEOUT_MS`. */
  timeoutMs?: number | undefined;
  /** Retries of transient failures. Default `DEFAULT_MAX_RETRIES`. */
  maxRetries?: number | undefined;
  /** Requests in flight at once. Default `DEFAULT_MAX_CONCURRENCY`. */
  maxConcurrency?: number | undefined;
  /** Longest wait for a rate-limit reset or `retry-after`. Default `DEFAULT_MAX_RETRY_WAIT_MS`. */
  maxRetryWaitMs?: number | undefined;
  /** Share (0, 1] of each hourly limit this client may use. Default `DEFAULT_MAX_SHARE_OF_LIMIT`. */
  maxShareOfLimit?: number | undefined;
  /** Requests left unused per window. Default `DEFAULT_RATE_LIMIT_RESERVE`. */
  rateLimitReserve?: number | undefined;
  /** Allow `http://` to a non-loopback host. Default false. */
  allowInsecureHttp?: boolean | undefined;
  /** Product token put before `braze-events/<version>` in `User-Agent`, e.g. `my-app/1.2`. */
  userAgent?: string | undefined;
  /** Largest response body read. Default `DEFAULT_MAX_RESPONSE_BYTES`. */
  maxResponseBytes?: number | undefined;
  /**
   * 'strict' (default `DEFAULT_SERIES_COMPLETENESS`): a data_series answer without exactly
   * `length` distinct ascending buckets is a transient BrazeResponseShapeError (retried);
   * 'lenient': answers pass as they come.
   */
  seriesCompleteness?: 'strict' | 'lenient' | undefined;
  /**
   * Minutes east of UTC of Braze's bucket zone, −720 … 840 in quarter hours (Braze does not
   * document it). Default `DEFAULT_BUCKET_UTC_OFFSET_MINUTES`.
   */
  bucketUtcOffsetMinutes?: number | undefined;
  /**
   * Under an offset that is not whole hours, whether hour buckets start on the local
   * clock's hours (`local`) or on UTC hours (`utc`); undocumented. Default
   * `DEFAULT_HOUR_BUCKETS` (`local`).
   */
  hourBuckets?: HourBuckets | undefined;
  /** Backoff tuning; defaults `DEFAULT_BACKOFF_BASE_MS`, `…_FLOOR_MS`, `…_MAX_MS`. */
  backoff?: { baseMs?: number; floorMs?: number; maxMs?: number } | undefined;
  /**
   * A `fetch` to send requests with, e.g. undici's with a `ProxyAgent` dispatcher to go
   * through a proxy. Default: none, and requests go through `node:http`/`node:https` with
   * keep-alive agents (several times cheaper per request than `fetch`).
   */
  fetch?: ((input: string, init: RequestInit) => Promise<Response>) | undefined;
  /** Receives debug (each response), info (pacing waits) and warn (retries) lines. */
  logger?: Logger | undefined;
  /**
   * Told about every wait, early stop of a listing and endpoint rewrite (`ClientNotice`),
   * for a caller to show; a throwing handler is ignored. Default: none.
   */
  onNotice?: ((notice: ClientNotice) => void) | undefined;
  /** Waits `ms`; rejects with the signal's reason on abort. Injectable for tests. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** Current time in epoch ms. Injectable for tests. */
  now?: (() => number) | undefined;
  /** Random number in [0, 1) for backoff jitter. Injectable for tests. */
  random?: (() => number) | undefined;
}

/** A client for Braze's Export Custom Events API. Create one with `createBrazeClient`. */
export interface BrazeClient {
  /** The REST base URL requests go to (no trailing slash). */
  readonly endpoint: string;
  /** The zone the client reads buckets in (offset and hour alignment). */
  readonly bucketZone: Readonly<Required<BucketZone>>;
  /** One page (250 names) of GET /events/list. */
  listEventNames(options?: ListEventNamesOptions): Promise<ListEventNamesResult>;
  /** All event names, page by page; `break` stops fetching. */
  eventNames(options?: EventNamesOptions): AsyncIterable<string>;
  /** All custom events with details (GET /events), following `Link` rel="next". */
  events(options?: EventsOptions): AsyncIterable<CustomEvent>;
  /** One GET /events/data_series request. */
  getEventSeries(options: GetEventSeriesOptions): Promise<GetEventSeriesResult>;
  /** Any range of buckets, in the fewest requests, each bucket once, oldest first. */
  eventSeries(options: EventSeriesOptions): AsyncIterable<NormalizedBucket>;
  /** Counters since the client was created (a copy). */
  stats(): ClientStats;
  /** Last rate-limit state seen for a bucket, or undefined before any. */
  rateLimit(bucket: RateLimitBucket): RateLimitState | undefined;
}
