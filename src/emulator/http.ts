/**
 * Writing answers: plain JSON, and the faulty variants of an answer (a broken body, a
 * gateway error page, a connection that dies or never answers).
 */
import type { ServerResponse } from 'node:http';
import { DEFAULT_FAULT_DELAY_MS, SLOW_BODY_CHUNKS } from './defaults.js';
import type { FaultRule } from './types.js';

/** An answer before it is written. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Schedules work that `close()` must be able to cancel. */
export type Schedule = (fn: () => void, ms: number) => void;

const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html; charset=UTF-8';

function gatewayPage(status: number, title: string): string {
  return `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
}

/** Headers of an answer from the edge in front of Braze (recorded since 2024). */
export const EDGE_HEADERS: Readonly<Record<string, string>> = {
  server: 'cloudflare',
  'cf-ray': '0000000000000000-IAD',
};

/** An edge fault's answer: status, content type, body and the headers the edge adds. */
export interface EdgeAnswer {
  status: number;
  type: string;
  body: string;
  headers: Readonly<Record<string, string>>;
}

const jsonAnswer = (status: number, message: string): EdgeAnswer => ({
  status,
  type: JSON_TYPE,
  body: JSON.stringify({ message }),
  headers: {},
});

/** A gateway's own error page, with the edge's headers. */
const gatewayAnswer = (status: number, title: string): EdgeAnswer => ({
  status,
  type: HTML_TYPE,
  body: gatewayPage(status, title),
  headers: EDGE_HEADERS,
});

/**
 * Answers of the edge faults that answer (see `EDGE_FAULTS`; `reset`, `hang` and
 * `401-echo` are the handler's own).
 */
const EDGE_ANSWERS: Partial<Record<FaultRule['kind'], EdgeAnswer>> = {
  '429': jsonAnswer(429, 'Rate Limited'),
  '429-minute': jsonAnswer(429, 'Rate Limited'),
  'proxy-429': gatewayAnswer(429, 'Too Many Requests'),
  '500': jsonAnswer(500, 'Internal Server Error'),
  '502': gatewayAnswer(502, 'Bad Gateway'),
  '503': jsonAnswer(503, 'Service Unavailable'),
  '504': gatewayAnswer(504, 'Gateway Time-out'),
  '202': jsonAnswer(202, 'queued'),
};

/** The answer of an edge fault (see {@link EDGE_ANSWERS}); any other kind: a `202`. */
export function edgeFaultAnswer(kind: FaultRule['kind']): EdgeAnswer {
  return EDGE_ANSWERS[kind] ?? EDGE_ANSWERS['202']!;
}

/** The headers of a response that sends `body` in full: its type and exact length. */
function fullBodyHeaders(
  type: string,
  body: string,
  headers: Record<string, string>,
): Record<string, string | number> {
  return { ...headers, 'content-type': type, 'content-length': Buffer.byteLength(body) };
}

/** Writes a complete response. */
export function writeRaw(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, fullBodyHeaders(type, body, headers));
  res.end(body);
}

/**
 * Writes an answer, applying a body fault if one was drawn (`slow`, `truncated`,
 * `invalid-json`, `content-type`, `html`).
 */
export function writeAnswer(
  res: ServerResponse,
  answer: Answer,
  headers: Record<string, string>,
  fault: FaultRule | undefined,
  schedule: Schedule,
): void {
  const all = { ...headers, ...answer.headers };
  const body = JSON.stringify(answer.body);
  const delayMs = fault?.delayMs ?? DEFAULT_FAULT_DELAY_MS;
  switch (fault?.kind) {
    case 'slow': {
      res.writeHead(answer.status, fullBodyHeaders(JSON_TYPE, body, all));
      const buf = Buffer.from(body);
      const size = Math.ceil(buf.length / SLOW_BODY_CHUNKS);
      const next = (offset: number): void => {
        if (offset >= buf.length) {
          res.end();
          return;
        }
        res.write(buf.subarray(offset, offset + size));
        schedule(() => next(offset + size), delayMs);
      };
      next(0);
      return;
    }
    case 'truncated-close': {
      // The full length announced, half the body sent, then the connection closed: what a
      // client sees when the origin dies mid-answer.
      res.writeHead(answer.status, fullBodyHeaders(JSON_TYPE, body, all));
      res.write(body.slice(0, Math.floor(body.length / 2)), () => res.destroy());
      return;
    }
    case 'duplicate-headers': {
      // Each rate-limit header twice with different values (two hops each adding theirs).
      const raw: string[] = [];
      for (const [name, value] of Object.entries(all)) {
        raw.push(name, value);
        if (name.startsWith('x-ratelimit-')) raw.push(name, value === '' ? '0' : `${value}1`);
      }
      raw.push('content-type', JSON_TYPE, 'content-length', String(Buffer.byteLength(body)));
      res.writeHead(answer.status, raw);
      res.end(body);
      return;
    }
    case 'truncated':
      // No content-length: the body simply ends early, as when a proxy cuts it.
      res.writeHead(answer.status, { ...all, 'content-type': JSON_TYPE });
      res.end(body.slice(0, Math.floor(body.length / 2)));
      return;
    case 'invalid-json':
      writeRaw(res, answer.status, JSON_TYPE, `${body.slice(0, -1)},}`, all);
      return;
    case 'content-type':
      writeRaw(res, answer.status, HTML_TYPE, body, all);
      return;
    case 'html':
      writeRaw(
        res,
        200,
        HTML_TYPE,
        '<!DOCTYPE html><html><head><title>Maintenance</title></head><body><h1>We will be back soon.</h1></body></html>',
        all,
      );
      return;
    default:
      writeRaw(res, answer.status, JSON_TYPE, body, all);
  }
}
