/**
 * One HTTP attempt, whichever sender makes it: send, read the body under a size cap, parse
 * JSON when it is JSON. Times out after `timeoutMs` (headers and body), honours the caller's
 * signal, and turns transport failures into BrazeTimeoutError / BrazeNetworkError. Status
 * handling (errors, retries) is the transport's business. The senders: http-node.ts (the
 * default, `node:http`) and http-fetch.ts (a `fetch` the user passes).
 */
import { whenAborted } from './abort.js';
import { BrazeNetworkError, BrazeResponseShapeError, BrazeTimeoutError } from './errors.js';
import type { HeaderReader } from './rate-limit.js';

export interface HttpRequest {
  /** `POST` only for webhooks (src/check/notify.ts); the Braze API is read with `GET`. */
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  /** Key-free form of the URL (path and query) for errors. */
  displayUrl: string;
  headers: Record<string, string>;
  /** Request body (a `POST`'s). */
  body?: string | undefined;
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal | undefined;
  /** Applied to transport error details, which come from code we do not control. */
  redact?: ((text: string) => string) | undefined;
}

export interface HttpResponse {
  status: number;
  /** Response headers; names are looked up lower-case. */
  headers: HeaderReader;
  /** The body as text (possibly empty). */
  text: string;
  /** The parsed body when it was JSON, otherwise `undefined`. */
  json: unknown;
}

/**
 * Sends one request. Resolves with any HTTP status; rejects with BrazeTimeoutError,
 * BrazeNetworkError, BrazeResponseShapeError (body over the cap), or the caller's abort
 * reason when `signal` aborts.
 */
export type HttpSend = (request: HttpRequest) => Promise<HttpResponse>;

/** Thrown by a sender's body reader when the body passes `maxResponseBytes`. */
export class BodyTooLarge extends Error {}

/** JSON.parse for bodies that look like JSON; anything else (HTML error pages) is `undefined`. */
export function parseJsonBody(text: string): unknown {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

function describeCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

/** The deadline and cancellation of one attempt, as a sender sees them. */
export interface Attempt {
  /** What the caller gets for whatever ended the attempt early. */
  failure(error: unknown, status?: number): unknown;
  /** Stops the timer and the abort listener; call once the attempt has settled. */
  finish(): void;
}

/**
 * Starts an attempt's timer and listens to the caller's signal; either calls `cancel`,
 * which must stop the request (and so make it fail). Throws at once if the signal has
 * already aborted.
 *
 * @example
 * const attempt = startAttempt(request, () => req.destroy());
 * req.on('error', (e) => reject(attempt.failure(e)));
 */
export function startAttempt(request: HttpRequest, cancel: () => void): Attempt {
  const caller = request.signal;
  caller?.throwIfAborted();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    cancel();
  }, request.timeoutMs);
  const stopWatching = whenAborted(caller, cancel);
  const { method, displayUrl: url, timeoutMs } = request;
  return {
    failure(error, status) {
      if (caller?.aborted) return caller.reason;
      if (timedOut) return new BrazeTimeoutError({ method, url, timeoutMs });
      if (error instanceof BodyTooLarge) {
        return new BrazeResponseShapeError({
          method,
          url,
          status: status ?? 0,
          problem: `body larger than maxResponseBytes (${request.maxResponseBytes} bytes)`,
          bodyExcerpt: '',
        });
      }
      const detail = describeCause(error);
      return new BrazeNetworkError({
        method,
        url,
        detail: request.redact ? request.redact(detail) : detail,
        cause: error,
      });
    },
    finish() {
      clearTimeout(timer);
      stopWatching();
    },
  };
}
