/**
 * The library's one error hierarchy, and the one function that maps an HTTP answer to it.
 *
 * ```
 * BrazeError
 * ├── BrazeHttpError            (any non-success HTTP answer)
 * │   ├── BrazeAuthError        (401, 403)
 * │   └── BrazeRateLimitError   (429, with resetAt)
 * ├── BrazeTimeoutError
 * ├── BrazeNetworkError
 * └── BrazeResponseShapeError   (a body that is not the documented shape, or too large)
 * ```
 *
 * No error holds the API key: URLs carry none (it travels in a header), and every message
 * and excerpt went through the client's redactor.
 */
import type { Setting } from '../api/option-errors.js';
import type { RateLimitState } from './types.js';

/**
 * The stable `code` of every error the library throws, one per class (stripe-node style): a
 * program branches on it, not on messages, which may be reworded. The table in README.md
 * ("Error codes") lists them; option errors (src/api/option-errors.ts) carry `'option'`.
 */
export type BrazeErrorCode =
  | 'braze_error'
  | 'braze_http_error'
  | 'auth'
  | 'rate_limited'
  | 'timeout'
  | 'network'
  | 'response_shape'
  | 'export_incomplete';

/** Base class of every error the client throws (bad options aside: see `isBrazeOptionError`). */
export class BrazeError extends Error {
  /** Stable, per class: see {@link BrazeErrorCode}. On the prototype, like `name`. */
  declare readonly code: BrazeErrorCode;

  /** Plain fields for logs and `JSON.stringify`; never the key. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      name: this.name,
      code: this.code,
      message: this.message,
    };
    for (const [k, v] of Object.entries(this)) out[k] = v;
    return out;
  }
}

/** Where a failed request went: method and key-free URL (path and query). */
export interface RequestInfo {
  method: string;
  url: string;
}

export interface BrazeHttpErrorInit extends RequestInfo {
  status: number;
  brazeMessage: string | null;
  requestId: string | null;
  rateLimit: RateLimitState;
  bodyExcerpt: string;
  message: string;
}

/**
 * Braze answered with a status the client does not treat as success.
 *
 * @example
 * ```ts
 * try { await client.listEventNames(); }
 * catch (e) { if (isBrazeHttpError(e)) console.error(e.status, e.requestId); }
 * ```
 */
export class BrazeHttpError extends BrazeError {
  readonly status: number;
  /** Braze's `message` field, when the body was JSON with one. */
  readonly brazeMessage: string | null;
  readonly method: string;
  /** Path and query of the request (the key is never part of it). */
  readonly url: string;
  /** `x-request-id` of the response, for Braze support. */
  readonly requestId: string | null;
  readonly rateLimit: RateLimitState;
  /** The start of the body, redacted. */
  readonly bodyExcerpt: string;

  constructor(init: BrazeHttpErrorInit) {
    super(init.message);
    this.status = init.status;
    this.brazeMessage = init.brazeMessage;
    this.method = init.method;
    this.url = init.url;
    this.requestId = init.requestId;
    this.rateLimit = init.rateLimit;
    this.bodyExcerpt = init.bodyExcerpt;
  }
}

/** 401 (wrong key, wrong instance, quoted key) or 403 (missing permission, no API access). */
export class BrazeAuthError extends BrazeHttpError {}

/** 429, or a wait for the rate-limit window longer than `maxRetryWaitMs`. */
export class BrazeRateLimitError extends BrazeHttpError {
  /** When the window resets, if Braze said so. */
  readonly resetAt: Date | null;

  constructor(init: BrazeHttpErrorInit & { resetAt: Date | null }) {
    super(init);
    this.resetAt = init.resetAt;
  }
}

/** One attempt took longer than `timeoutMs` (headers or body). */
export class BrazeTimeoutError extends BrazeError {
  readonly method: string;
  readonly url: string;
  readonly timeoutMs: number;

  constructor(info: RequestInfo & { timeoutMs: number }) {
    super(`Braze ${info.method} ${info.url} timed out after ${info.timeoutMs} ms`);
    this.method = info.method;
    this.url = info.url;
    this.timeoutMs = info.timeoutMs;
  }
}

/** The request never got an HTTP answer (DNS, refused connection, reset socket). */
export class BrazeNetworkError extends BrazeError {
  readonly method: string;
  readonly url: string;

  constructor(info: RequestInfo & { detail: string; cause?: unknown }) {
    super(`Braze ${info.method} ${info.url} failed: ${info.detail}`, { cause: info.cause });
    this.method = info.method;
    this.url = info.url;
  }
}

/** A success status whose body is not the documented shape (or exceeds the size cap). */
export class BrazeResponseShapeError extends BrazeError {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The start of the body, redacted. */
  readonly bodyExcerpt: string;
  /** `x-request-id` of the response, for Braze support. */
  readonly requestId: string | null;
  /**
   * True when another attempt may well succeed: a success status whose body is not JSON
   * at all (cut short, or a proxy's HTML page). Valid JSON of the wrong shape is not.
   */
  readonly transient: boolean;
  /** The setting `problem` suggests (a day shift: `bucketUtcOffsetMinutes`), if any. */
  readonly remedy?: Setting;

  constructor(
    info: RequestInfo & {
      status: number;
      problem: string;
      bodyExcerpt: string;
      transient?: boolean;
      requestId?: string | null | undefined;
      remedy?: Setting;
    },
  ) {
    super(
      `Braze ${info.method} ${info.url} answered ${info.status} with an unusable body: ${info.problem}` +
        (info.requestId ? ` (request id ${info.requestId})` : '') +
        (info.bodyExcerpt ? `: ${info.bodyExcerpt}` : ''),
    );
    this.requestId = info.requestId ?? null;
    this.method = info.method;
    this.url = info.url;
    this.status = info.status;
    this.bodyExcerpt = info.bodyExcerpt;
    this.transient = info.transient === true;
    if (info.remedy !== undefined) this.remedy = info.remedy;
  }
}

/**
 * Sets `name` and the stable `code` on an error class's prototype: shown in stacks and by
 * `toJSON`, never own enumerable fields. Shared by the export's and the sync's errors.
 */
export function nameError(cls: { prototype: Error }, name: string, code: string): void {
  cls.prototype.name = name;
  Object.defineProperty(cls.prototype, 'code', { value: code, configurable: true });
}

// Names and codes live on the prototypes, so they show in stacks without being own fields.
nameError(BrazeError, 'BrazeError', 'braze_error');
nameError(BrazeHttpError, 'BrazeHttpError', 'braze_http_error');
nameError(BrazeAuthError, 'BrazeAuthError', 'auth');
nameError(BrazeRateLimitError, 'BrazeRateLimitError', 'rate_limited');
nameError(BrazeTimeoutError, 'BrazeTimeoutError', 'timeout');
nameError(BrazeNetworkError, 'BrazeNetworkError', 'network');
nameError(BrazeResponseShapeError, 'BrazeResponseShapeError', 'response_shape');

/** @example `if (isBrazeError(e)) …` */
export const isBrazeError = (e: unknown): e is BrazeError => e instanceof BrazeError;
/** @example `if (isBrazeHttpError(e)) console.log(e.status)` */
export const isBrazeHttpError = (e: unknown): e is BrazeHttpError => e instanceof BrazeHttpError;
/** @example `if (isBrazeAuthError(e)) askForANewKey()` */
export const isBrazeAuthError = (e: unknown): e is BrazeAuthError => e instanceof BrazeAuthError;
/** @example `if (isBrazeRateLimitError(e)) console.log(e.resetAt)` */
export const isBrazeRateLimitError = (e: unknown): e is BrazeRateLimitError =>
  e instanceof BrazeRateLimitError;
/** @example `if (isBrazeTimeoutError(e)) …` */
export const isBrazeTimeoutError = (e: unknown): e is BrazeTimeoutError =>
  e instanceof BrazeTimeoutError;
/** @example `if (isBrazeNetworkError(e)) …` */
export const isBrazeNetworkError = (e: unknown): e is BrazeNetworkError =>
  e instanceof BrazeNetworkError;
/** @example `if (isBrazeResponseShapeError(e)) console.log(e.bodyExcerpt)` */
export const isBrazeResponseShapeError = (e: unknown): e is BrazeResponseShapeError =>
  e instanceof BrazeResponseShapeError;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * An HTTP status with its standard text, as errors say it.
 *
 * @example statusLine(503); // '503 Service Unavailable'
 */
export function statusLine(status: number): string {
  const text = STATUS_TEXT[status];
  return text ? `${status} ${text}` : String(status);
}

/**
 * What kind of failure an error is, in a few words with no URL or key: an HTTP status
 * line, or the error's kind (`NetworkError`, `TimeoutError`, `ResponseShapeError`).
 *
 * @example failureKind(new BrazeNetworkError(…)); // 'NetworkError'
 */
export function failureKind(error: unknown): string {
  if (error instanceof BrazeHttpError) return statusLine(error.status);
  return error instanceof Error ? error.name.replace(/^Braze/, '') : 'a failure';
}

/** What `errorFromResponse` needs to know about an answer; all strings already redacted. */
export interface FailedResponse extends RequestInfo {
  status: number;
  /** Braze's `message` (redacted), if the body was JSON with a string `message`. */
  brazeMessage: string | null;
  requestId: string | null;
  rateLimit: RateLimitState;
  /** Start of the body (redacted), whitespace collapsed; HTML pages keep their text. */
  bodyExcerpt: string;
  /** When the answer arrived (epoch ms), to turn a `retry-after` into a reset time. */
  receivedAt?: number;
}

/**
 * Maps a non-success HTTP answer to the matching error class: the only place that does.
 *
 * @example
 * ```ts
 * throw errorFromResponse({ status: 503, method: 'GET', url: '/events/list', … });
 * ```
 */
export function errorFromResponse(res: FailedResponse): BrazeHttpError {
  const detail = res.brazeMessage ?? res.bodyExcerpt;
  const { retryAfterMs } = res.rateLimit;
  const resetAt =
    res.rateLimit.resetAt ??
    (retryAfterMs !== null && res.receivedAt !== undefined
      ? new Date(res.receivedAt + retryAfterMs)
      : null);
  const message =
    `Braze ${res.method} ${res.url} failed: ${statusLine(res.status)}` +
    (detail ? ` — ${detail}` : '') +
    (res.status === 429 && resetAt
      ? `; the rate-limit window resets at ${resetAt.toISOString()}`
      : '') +
    (res.requestId ? ` (request id ${res.requestId})` : '');
  const init: BrazeHttpErrorInit = {
    status: res.status,
    brazeMessage: res.brazeMessage,
    method: res.method,
    url: res.url,
    requestId: res.requestId,
    rateLimit: res.rateLimit,
    bodyExcerpt: res.bodyExcerpt,
    message,
  };
  if (res.status === 401 || res.status === 403) return new BrazeAuthError(init);
  if (res.status === 429) return new BrazeRateLimitError({ ...init, resetAt });
  return new BrazeHttpError(init);
}

/** 4xx statuses that speak of the key, the workspace or the service, not of one request. */
const NOT_EVENT_SCOPED: ReadonlySet<number> = new Set([401, 403, 408, 429]);

/**
 * True when Braze refused one request for what it asked, so that asking for another event
 * may well succeed: a 4xx other than 401/403 (the key or the plan: every request would
 * fail), 408 and 429 (the service or the budget: retried, and when they surface, every
 * request would wait too). In an export or a sync a 400 for `$Purchase` (a reserved name), a
 * 404 or 410 for an event deleted since the listing, a 414 for a name too long for a URL are
 * that event's failure, not the run's. See docs/BRAZE_API.md ("A 4xx for one event").
 *
 * @example
 * try { await client.getEventSeries({ event, length: 7 }); }
 * catch (e) { if (isEventScopedError(e)) skipped.push(event); else throw e; }
 */
export function isEventScopedError(error: unknown): error is BrazeHttpError {
  return (
    isBrazeHttpError(error) &&
    error.status >= 400 &&
    error.status < 500 &&
    !NOT_EVENT_SCOPED.has(error.status)
  );
}
