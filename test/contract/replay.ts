/**
 * The contract suite's replay server: answers each request with the next recorded answer
 * (status, headers, body), on 127.0.0.1 port 0. Not the emulator (see README.md).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';

export interface RecordedAnswer {
  name: string;
  kind: 'recorded' | 'documented' | 'inferred';
  request: { method: string; path: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

const file = new URL('./braze-recorded-answers.json', import.meta.url);
const ANSWERS = (JSON.parse(readFileSync(file, 'utf8')) as { answers: RecordedAnswer[] }).answers;

/** The recorded answer whose name starts with `prefix` (throws when there is none). */
export function answer(prefix: string): RecordedAnswer {
  const found = ANSWERS.find((a) => a.name.startsWith(prefix));
  if (!found) throw new Error(`no recorded answer named ${prefix}…`);
  return structuredClone(found);
}

/** Epoch ms of an answer's `date` header: the frozen clock of its replay. */
export function dateOf(a: RecordedAnswer): number {
  const date = a.response.headers.date;
  if (date === undefined) throw new Error(`${a.name} has no date`);
  return Date.parse(date);
}

export interface Replay {
  url: string;
  /** Requests received: path and query as sent, and the headers. */
  requests: { url: string; headers: IncomingHttpHeaders }[];
}

/**
 * Serves `answers` in order, one per request; past the end, the last one again. In a body,
 * `<THE-KEY-SENT>` becomes the bearer token of the request (Braze's 401 echoes it); an
 * absolute `Link` target is moved onto this server's origin.
 */
export async function replay(...answers: RecordedAnswer[]): Promise<Replay> {
  const requests: Replay['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '/', headers: req.headers });
    const a = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    const sent = /^bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const body = a.response.body.replaceAll('<THE-KEY-SENT>', sent);
    const headers = { ...a.response.headers };
    if (headers.link) headers.link = headers.link.replace(/<https?:\/\/[^/>]+/g, `<${origin}`);
    res.writeHead(a.response.status, headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: origin, requests };
}

/** An answer recorded on another endpoint, with an `/events/list` body (see README.md). */
export function asEventsList(a: RecordedAnswer, events: string[] = []): RecordedAnswer {
  a.response.body = JSON.stringify({ message: 'success', events });
  return a;
}
