/**
 * The request log: what reached the emulator, so tests assert what a client sent, not
 * only what it got back. The Authorization header is redacted before it is stored.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { MAX_REQUEST_LOG } from './defaults.js';
import type { RequestLogEntry } from './types.js';

/** Replaces credentials; the scheme is kept so tests can check it was sent. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization' || name === 'cookie' || name === 'x-api-key') {
      const scheme = /^\s*(\S+)\s+\S/.exec(text)?.[1];
      out[name] = scheme === undefined ? '[REDACTED]' : `${scheme} [REDACTED]`;
    } else {
      out[name] = text;
    }
  }
  return out;
}

/** First value of each query parameter, decoded. */
export function queryRecord(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) if (!(name in out)) out[name] = value;
  return out;
}

export interface RequestLog {
  add(entry: RequestLogEntry): void;
  list(): RequestLogEntry[];
  clear(): void;
}

export function createRequestLog(max = MAX_REQUEST_LOG): RequestLog {
  let entries: RequestLogEntry[] = [];
  return {
    add(entry) {
      entries.push(entry);
      if (entries.length > max) entries = entries.slice(-Math.floor(max / 2));
    },
    list() {
      return entries.map((e) => ({ ...e, query: { ...e.query }, headers: { ...e.headers } }));
    },
    clear() {
      entries = [];
    },
  };
}
