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

/** Answers of the faults that replace the endpoint's answer (see `EDGE_FAULTS`). */
export function edgeFaultAnswer(kind: FaultRule['kind']): {
  status: number;
  type: string;
  body: string;
} {
  switch (kind) {
    case '429':
      return { status: 429, type: JSON_TYPE, body: '{"message":"Rate Limited"}' };
    case '500':
      return { status: 500, type: JSON_TYPE, body: '{"message":"Internal Server Error"}' };
    case '502':
      return { status: 502, type: HTML_TYPE, body: gatewayPage(502, 'Bad Gateway') };
    case 'proxy-429':
      return { status: 429, type: HTML_TYPE, body: gatewayPage(429, 'Too Many Requests') };
    case '429-minute':
      return { status: 429, type: JSON_TYPE, body: '{"message":"Rate Limited"}' };
    case '503':
      return { status: 503, type: JSON_TYPE, body: '{"message":"Service Unavailable"}' };
    case '504':
      return { status: 504, type: HTML_TYPE, body: gatewayPage(504, 'Gateway Time-out') };
    default:
      return { status: 202, type: JSON_TYPE, body: '{"message":"queued"}' };
  }
}

/** Writes a complete response. */
export function writeRaw(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': type,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * Writes an answer, applying a body fault if one was drawn (`delay`, `slow`, `truncated`,
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
    case 'delay':
      schedule(() => writeRaw(res, answer.status, JSON_TYPE, body, all), delayMs);
      return;
    case 'slow': {
      res.writeHead(answer.status, {
        ...all,
        'content-type': JSON_TYPE,
        'content-length': Buffer.byteLength(body),
      });
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
      res.writeHead(answer.status, {
        ...all,
        'content-type': JSON_TYPE,
        'content-length': Buffer.byteLength(body),
      });
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
