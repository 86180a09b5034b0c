/**
 * The only module that calls `fetch`. One attempt: send, read the body under a size cap,
 * parse JSON when it is JSON. Times out after `timeoutMs` (headers and body), honours the
 * caller's signal, and turns transport failures into BrazeTimeoutError / BrazeNetworkError.
 * Status handling (errors, retries) is the caller's business.
 */
import { BrazeNetworkError, BrazeResponseShapeError, BrazeTimeoutError } from './errors.js';

/** The `fetch` signature the client needs (the global one, or any compatible one). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpRequest {
  fetch: FetchLike;
  method: 'GET';
  /** Absolute URL. */
  url: string;
  /** Key-free form of the URL (path and query) for errors. */
  displayUrl: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal | undefined;
  /** Applied to transport error details, which come from code we do not control. */
  redact?: ((text: string) => string) | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body as text (possibly empty). */
  text: string;
  /** The parsed body when it was JSON, otherwise `undefined`. */
  json: unknown;
}

/** Why a read stopped early: the signal that fired, or the size cap. */
class BodyTooLarge extends Error {}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLarge();
  }
  // With a declared length and no content coding, the HTTP parser reads exactly that many
  // bytes, so the cap already holds and the built-in reader (much cheaper than a JS loop)
  // is safe. A compressed body can inflate past its declared length: it takes the loop.
  const coding = response.headers.get('content-encoding');
  if (Number.isFinite(declared) && (coding === null || coding === 'identity')) {
    return response.text();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let total = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

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

/**
 * Sends one request. Resolves with any HTTP status; rejects with BrazeTimeoutError,
 * BrazeNetworkError, BrazeResponseShapeError (body over the cap), or the caller's abort
 * reason when `signal` aborts.
 *
 * @example
 * ```ts
 * const res = await sendHttp({ fetch, method: 'GET', url, displayUrl: '/events/list', headers,
 *   timeoutMs: 30_000, maxResponseBytes: 10 * 1024 * 1024 });
 * ```
 */
export async function sendHttp(request: HttpRequest): Promise<HttpResponse> {
  const { method, displayUrl: url, timeoutMs } = request;
  const caller = request.signal;
  caller?.throwIfAborted();
  // One controller and one timer per attempt: AbortSignal.timeout + AbortSignal.any cost
  // several times more per request, which shows against a fast server.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(caller?.reason);
  caller?.addEventListener('abort', onCallerAbort, { once: true });
  const fail = (error: unknown): never => {
    if (caller?.aborted) throw caller.reason;
    if (timedOut) throw new BrazeTimeoutError({ method, url, timeoutMs });
    const detail = describeCause(error);
    throw new BrazeNetworkError({
      method,
      url,
      detail: request.redact ? request.redact(detail) : detail,
      cause: error,
    });
  };
  try {
    let response: Response;
    try {
      response = await request.fetch(request.url, {
        method,
        headers: request.headers,
        signal: controller.signal,
        redirect: 'manual',
      });
    } catch (error) {
      return fail(error);
    }
    let text: string;
    try {
      text = await readCapped(response, request.maxResponseBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        throw new BrazeResponseShapeError({
          method,
          url,
          status: response.status,
          problem: `body larger than maxResponseBytes (${request.maxResponseBytes} bytes)`,
          bodyExcerpt: '',
        });
      }
      return fail(error);
    }
    return { status: response.status, headers: response.headers, text, json: parseJsonBody(text) };
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', onCallerAbort);
  }
}
