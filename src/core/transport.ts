/**
 * One logical API call: pace, send (via http.ts), parse rate-limit headers, map failures
 * to errors, and retry what is transient. Endpoint modules call this and only check shapes.
 */
import { HEADERS, type RateLimitBucket } from '../api/constants.js';
import type { Semaphore } from './concurrency.js';
import {
  BrazeHttpError,
  BrazeResponseShapeError,
  errorFromResponse,
  failureKind,
} from './errors.js';
import type { HttpResponse, HttpSend } from './http.js';
import { formatDuration, formatUntil, type Notify } from './notice.js';
import type { Pacer } from './pacer.js';
import { parseRateLimit } from './rate-limit.js';
import type { Redactor } from './redact.js';
import { type BackoffOptions, backoffCeiling, retryDelay, shouldRetry } from './retry.js';
import { excerpt } from './shapes.js';
import type { Now, Sleep } from './sleep.js';
import type { ClientStats, Logger, RateLimitState } from './types.js';

export interface TransportConfig {
  /** Makes one HTTP attempt (http-node.ts by default, http-fetch.ts with a user `fetch`). */
  http: HttpSend;
  /** Request headers, `Authorization` included; kept inside the transport's closure. */
  headers: Record<string, string>;
  timeoutMs: number;
  maxRetries: number;
  maxRetryWaitMs: number;
  maxResponseBytes: number;
  backoff: BackoffOptions;
  pacer: Pacer;
  semaphore: Semaphore;
  now: Now;
  sleep: Sleep;
  random: () => number;
  logger: Logger | undefined;
  redact: Redactor;
  stats: ClientStats;
  notify: Notify;
}

export interface TransportRequest {
  bucket: RateLimitBucket;
  /** Absolute URL, query included. */
  url: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  /** Longest single wait (pacing or retry) for this request; default `maxRetryWaitMs`. */
  maxWaitMs?: number | undefined;
  /**
   * Checks a 2xx JSON answer; what it throws is handled like any failure, so a transient
   * BrazeResponseShapeError (e.g. a data_series answer with a missing bucket) is retried.
   */
  check?: ((response: TransportResponse) => void) | undefined;
}

export interface TransportResponse extends HttpResponse {
  rateLimit: RateLimitState;
  /** Key-free path and query, for messages. */
  displayUrl: string;
  /** `x-request-id` of the answer (redacted), for messages; null when absent. */
  requestId: string | null;
}

/** Sends a request with pacing and retries; resolves only with a 2xx (202 aside). */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Scheme and authority of an absolute URL: everything before its path. */
const ORIGIN_RE = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i;

/**
 * Key-free `path?query` of an absolute URL, for messages. String slicing rather than
 * `new URL` (it runs for every request); the authority, where credentials would be, and
 * any fragment are dropped.
 *
 * @example `displayUrl('https://x.braze.com/events?cursor=a#f') // '/events?cursor=a'`
 */
export function displayUrl(url: string): string {
  const origin = ORIGIN_RE.exec(url);
  const rest = origin ? url.slice(origin[0].length) : url;
  const hash = rest.indexOf('#');
  const target = hash === -1 ? rest : rest.slice(0, hash);
  return target.startsWith('/') ? target : `/${target}`;
}

/**
 * Builds the transport of one client.
 *
 * @example
 * ```ts
 * const send = createTransport(config);
 * const res = await send({ bucket: 'listing', url: 'https://rest.iad-01.braze.com/events/list' });
 * ```
 */
export function createTransport(config: TransportConfig): Transport {
  const { logger, redact, stats } = config;
  const log = (level: Level, message: string, fields: Record<string, unknown>) => {
    try {
      logger?.[level]?.(redact(message), fields);
    } catch {
      // A failing logger must not fail the request.
    }
  };

  let calls = 0;
  return async function send(request) {
    const call = ++calls;
    let firstStarted: number | undefined;
    const method = 'GET';
    const url = displayUrl(request.url);
    const maxRetries = request.maxRetries ?? config.maxRetries;
    const timeoutMs = request.timeoutMs ?? config.timeoutMs;
    const maxWaitMs = Math.min(request.maxWaitMs ?? config.maxRetryWaitMs, config.maxRetryWaitMs);
    for (let attempt = 0; ; attempt++) {
      // The synchronous paths cover nearly every request; awaiting only when one must wait
      // saves two promises per request, which shows against a fast server.
      const paced = { method, url, signal: request.signal, maxWaitMs };
      const permit =
        config.pacer.tryAcquire(request.bucket, paced) ??
        (await config.pacer.acquire(request.bucket, paced));
      let error: unknown;
      let response: HttpResponse | undefined;
      let rateLimit: RateLimitState | null = null;
      let release = config.semaphore.tryAcquire();
      if (!release) {
        try {
          release = await config.semaphore.acquire(request.signal);
        } catch (e) {
          permit.done(null);
          throw e;
        }
      }
      const started = config.now();
      firstStarted ??= started;
      stats.requests++;
      if (attempt > 0) stats.retries++;
      try {
        response = await config.http({
          method,
          url: request.url,
          displayUrl: url,
          headers: config.headers,
          timeoutMs,
          maxResponseBytes: config.maxResponseBytes,
          signal: request.signal,
          redact,
        });
        rateLimit = parseRateLimit(response.headers, config.now());
      } catch (e) {
        error = e;
      } finally {
        release();
        permit.done(rateLimit, response?.status);
      }
      if (response && rateLimit) {
        const { status } = response;
        if (logger?.debug) {
          log('debug', `${method} ${url} → ${status} in ${config.now() - started} ms`, {
            method,
            url,
            status,
            attempt,
          });
        }
        if (status >= 200 && status < 300 && status !== 202) {
          // Spelled out, not `{ ...response, rateLimit, displayUrl }`: on Node 20 (V8 11.3),
          // an object made by a leading spread plus more properties kept the young objects
          // it points to alive through scavenges, so every response reached the old
          // generation (2.5× the promoted bytes over 10,000 requests; bench/README.md).
          const ok: TransportResponse = {
            status,
            headers: response.headers,
            text: response.text,
            json: response.json,
            rateLimit,
            displayUrl: url,
            requestId: redactedHeader(response.headers.get(HEADERS.requestId), redact),
          };
          try {
            if (response.json === undefined) {
              throw new BrazeResponseShapeError({
                method,
                url,
                status,
                problem: 'the body is not JSON',
                bodyExcerpt: excerpt(response.text, redact),
                transient: true,
                requestId: ok.requestId,
              });
            }
            request.check?.(ok);
            return ok;
          } catch (e) {
            error = e;
          }
        } else {
          if (status === 429) stats.rateLimited++;
          error = failure(response, rateLimit, url, config);
        }
      }
      // The caller's abort reason is no BrazeError, so it is never retried.
      if (!shouldRetry(error, attempt, maxRetries)) throw error;
      const delay = retryDelay({
        error,
        attempt,
        now: config.now(),
        maxRetryWaitMs: maxWaitMs,
        random: config.random,
        ...config.backoff,
      });
      if (delay.kind === 'throw') throw delay.error;
      log(
        'warn',
        `${(error as Error).message}; retry ${attempt + 1}/${maxRetries} in ${delay.ms} ms`,
        { method, url, attempt: attempt + 1, delayMs: delay.ms },
      );
      stats.waitedMs += delay.ms;
      const until = config.now() + delay.ms;
      // A time-out already cost its whole wait for an answer: that time is said too, so a
      // caller can tell the user about a long silence made of short retry delays.
      const attemptMs = config.now() - started;
      const took = attemptMs >= 1000 ? ` after ${formatDuration(attemptMs)}` : '';
      const retryingMs = until - firstStarted;
      // If each later attempt fails as this one did, after the longest backoff it may draw.
      let lastRetryBy = until;
      for (let next = attempt + 1; next < maxRetries; next++) {
        lastRetryBy += attemptMs + backoffCeiling(next, config.backoff);
      }
      const retrying =
        attempt > 0
          ? `; retrying for ${formatDuration(retryingMs)} in all by then; if each attempt fails like this one, the last retry starts by ${formatUntil(lastRetryBy)}`
          : '';
      config.notify({
        kind: 'wait',
        cause: 'retry',
        bucket: request.bucket,
        ms: delay.ms,
        until: new Date(until),
        attemptMs,
        retryingMs,
        lastRetryBy: new Date(lastRetryBy),
        call,
        message: `waiting ${formatDuration(delay.ms)}, until ${formatUntil(until)}, before retry ${attempt + 1}/${maxRetries} of ${method} ${url} (${retryCause(error)}${took})${retrying}`,
        brief: `retry ${attempt + 1}/${maxRetries} of ${method} ${url} in ${formatDuration(delay.ms)}, at ${formatUntil(until)} (${retryCause(error)}${took})`,
      });
      await config.sleep(delay.ms, request.signal);
    }
  };
}

/** Why a retry waits, in a few words: the status and Braze's message, or the error's kind. */
function retryCause(error: unknown): string {
  if (error instanceof BrazeHttpError) {
    const detail = error.brazeMessage ?? (error.bodyExcerpt.startsWith('<') ? 'an HTML page' : '');
    return `${error.status}${detail ? ` ${detail}` : ''}`;
  }
  if (error instanceof BrazeResponseShapeError) return 'an unusable body';
  return failureKind(error);
}

function failure(
  response: HttpResponse,
  rateLimit: RateLimitState,
  url: string,
  config: TransportConfig,
) {
  const json = response.json as { message?: unknown } | undefined;
  const brazeMessage =
    typeof json === 'object' && json !== null && typeof json.message === 'string'
      ? excerpt(json.message, config.redact)
      : null;
  return errorFromResponse({
    status: response.status,
    method: 'GET',
    url,
    brazeMessage,
    requestId: redactedHeader(response.headers.get(HEADERS.requestId), config.redact),
    rateLimit,
    bodyExcerpt: excerpt(response.text, config.redact),
    receivedAt: config.now(),
  });
}

function redactedHeader(value: string | null, redact: Redactor): string | null {
  return value === null || value === '' ? null : redact(value).slice(0, 128);
}
