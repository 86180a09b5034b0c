/**
 * Public types of the client. This file is the contract the CLI, export and sync code
 * build on: change it deliberately.
 */
import type { Unit } from '../api/constants.js';

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
  signal?: AbortSignal;
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
}

export interface EventsOptions extends RequestOptions {
  maxItems?: number;
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
  /** End of the range (exclusive): buckets whose start is before it. Default: now. */
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
