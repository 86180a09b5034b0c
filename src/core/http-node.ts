/**
 * The default sender, on `node:http` / `node:https` with keep-alive agents. Against a fast
 * server the client is CPU-bound, and there undici's `fetch` cost several times the
 * client's own work per request: WHATWG streams per body, and a signal per request that
 * undici tracks through a FinalizationRegistry until garbage collection, which also made
 * long exports' memory grow (see bench/README.md). Redirects are never followed (the key
 * must not travel elsewhere); compressed bodies, which we do not ask for, are still decoded,
 * and the size cap applies to the decoded bytes.
 */
import { type ClientRequest, Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import {
  BodyTooLarge,
  type HttpRequest,
  type HttpResponse,
  type HttpSend,
  parseJsonBody,
  startAttempt,
} from './http.js';
import type { HeaderReader } from './rate-limit.js';

/**
 * How long an idle keep-alive socket is kept. Below the 5 s idle timeout common to servers
 * (Node's included), and Node's agent shortens it further to a server's `Keep-Alive:
 * timeout=` hint, so a socket is not reused just as the server closes it.
 */
export const IDLE_SOCKET_TIMEOUT_MS = 4000;

export interface NodeSenderOptions {
  /** Sockets per origin; the client's `maxConcurrency`. */
  maxSockets: number;
}

/**
 * Headers as `fetch` shows them: a header sent twice reads as its values joined with ", ".
 * `headersDistinct`, not `headers`: for some names (`retry-after`, `content-type`) Node's
 * `headers` keeps only the first value, which would hide a duplicate that must be ignored
 * rather than guessed at (docs/BRAZE_API.md "Rate limits: the rules the client follows").
 */
function headerReader(headers: NodeJS.Dict<string[]>): HeaderReader {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : value.join(', ');
    },
  };
}

/** The body stream, decoded when the server sent a content coding; null for an unknown one. */
function decodedBody(res: Readable, coding: string | undefined): Readable | null {
  switch (coding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return res;
    case 'gzip':
    case 'x-gzip':
      return res.pipe(createGunzip());
    case 'deflate':
      return res.pipe(createInflate());
    case 'br':
      return res.pipe(createBrotliDecompress());
    default:
      return null;
  }
}

/**
 * A sender over `node:http` and `node:https`, with its own keep-alive agents (idle sockets
 * do not keep the process alive).
 *
 * @example
 * const send = createNodeSender({ maxSockets: 4 });
 * const res = await send({ method: 'GET', url, displayUrl: '/events/list', headers,
 *   timeoutMs: 30_000, maxResponseBytes: 10 * 1024 * 1024 });
 */
export function createNodeSender(options: NodeSenderOptions): HttpSend {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets,
    timeout: IDLE_SOCKET_TIMEOUT_MS,
    scheduling: 'lifo' as const,
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);

  return function sendWithNodeHttp(request: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      const secure = request.url.startsWith('https:');
      let status: number | undefined;
      let req: ClientRequest | undefined;
      let settled = false;
      const attempt = startAttempt(request, () => req?.destroy(new Error('cancelled')));
      // Every way the attempt can end goes through here, exactly once.
      const settle = (outcome: { response: HttpResponse } | { error: unknown }) => {
        if (settled) return;
        settled = true;
        attempt.finish();
        if ('response' in outcome) {
          resolve(outcome.response);
        } else {
          req?.destroy();
          reject(attempt.failure(outcome.error, status));
        }
      };
      try {
        req = (secure ? httpsRequest : httpRequest)(request.url, {
          method: request.method,
          headers: request.headers,
          agent: secure ? httpsAgent : httpAgent,
        });
      } catch (error) {
        // A URL or header Node refuses before sending anything.
        settle({ error });
        return;
      }
      req.on('error', (error) => settle({ error }));
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        const cap = request.maxResponseBytes;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > cap) {
          settle({ error: new BodyTooLarge() });
          return;
        }
        const body = decodedBody(res, res.headers['content-encoding']);
        if (body === null) {
          settle({
            error: new Error(
              `unsupported content-encoding ${JSON.stringify(res.headers['content-encoding']?.slice(0, 32))}`,
            ),
          });
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        body.on('data', (chunk: Buffer) => {
          total += chunk.byteLength;
          if (total > cap) settle({ error: new BodyTooLarge() });
          else chunks.push(chunk);
        });
        body.on('error', (error) => settle({ error }));
        // A connection closed before the body ended is an error, not a short body.
        res.on('close', () => {
          if (!res.complete)
            settle({ error: new Error('connection closed before the body ended') });
        });
        body.on('end', () => {
          // Decoded once at the end, so a character split across chunks stays whole.
          const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)).toString(
            'utf8',
          );
          settle({
            response: {
              status: status ?? 0,
              headers: headerReader(res.headersDistinct),
              text,
              json: parseJsonBody(text),
            },
          });
        });
      });
      req.end(request.body);
    });
  };
}
