/**
 * The sender for a `fetch` the user passes (a proxy-aware undici fetch, an instrumented
 * one, a test double). Not the default: undici's fetch costs several times the client's own
 * work per request, and every request with a signal is tracked until garbage collection.
 */
import {
  BodyTooLarge,
  type HttpRequest,
  type HttpResponse,
  type HttpSend,
  parseJsonBody,
  startAttempt,
} from './http.js';

/** The `fetch` signature the client needs (the global one, or any compatible one). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

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

/**
 * A sender over `fetch`.
 *
 * @example
 * const send = createFetchSender(globalThis.fetch);
 * const res = await send({ method: 'GET', url, displayUrl: '/events/list', headers,
 *   timeoutMs: 30_000, maxResponseBytes: 10 * 1024 * 1024 });
 */
export function createFetchSender(fetch: FetchLike): HttpSend {
  return async function sendWithFetch(request: HttpRequest): Promise<HttpResponse> {
    const controller = new AbortController();
    const attempt = startAttempt(request, () => controller.abort());
    let status: number | undefined;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: controller.signal,
        redirect: 'manual',
      });
      status = response.status;
      const text = await readCapped(response, request.maxResponseBytes);
      return { status, headers: response.headers, text, json: parseJsonBody(text) };
    } catch (error) {
      throw attempt.failure(error, status);
    } finally {
      attempt.finish();
    }
  };
}
