/**
 * The control API under `/_emulator/` (no auth, never rate limited, never logged): what a
 * test or a process outside the emulator needs — request log, faults, ground truth,
 * restatement, seeded anomalies, the workspace's apps and segments, the clock.
 * Documented in README.md ("Control API").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HEADERS } from '../api/index.js';
import { quoteInput } from '../api/quote.js';
import { instantMs } from '../api/time.js';
import { CONTROL_PREFIX } from './defaults.js';
import { parseFaultSpec, validateFault } from './faults.js';
import { writeRaw } from './http.js';
import { parseSeriesQuery } from './routes/data-series.js';
import { computeSeries } from './series.js';
import type { EmulatorState } from './state.js';
import type { FaultRule, RestateOptions } from './types.js';

const MAX_BODY = 1_000_000;

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new RangeError('request body too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  return text === '' ? {} : JSON.parse(text);
}

function faultsFrom(body: unknown): FaultRule[] {
  const list = Array.isArray(body) ? body : [body];
  return list.map((item) =>
    typeof item === 'string'
      ? parseFaultSpec(item)
      : typeof item === 'object' &&
          item !== null &&
          typeof (item as { spec?: unknown }).spec === 'string'
        ? parseFaultSpec((item as { spec: string }).spec)
        : validateFault(item as FaultRule),
  );
}

function clockFrom(body: unknown): (() => number) | undefined {
  const value = (body as { now?: unknown } | null)?.now;
  if (value === null || value === undefined) return undefined;
  const t =
    typeof value === 'number' ? value : typeof value === 'string' ? instantMs(value) : Number.NaN;
  if (!Number.isFinite(t))
    throw new RangeError(`now must be epoch ms, an ISO datetime or null; got ${quoteInput(value)}`);
  return () => t;
}

/** Answers one control request. Throws only for bad input (→ 400 by the caller). */
async function route(
  state: EmulatorState,
  req: IncomingMessage,
  name: string,
  query: URLSearchParams,
): Promise<{ status: number; body: unknown }> {
  const method = req.method ?? 'GET';
  const key = `${method} ${name}`;
  switch (key) {
    case 'GET health':
      return {
        status: 200,
        body: {
          status: 'ok',
          seed: state.options.seed,
          events: state.ws.events.length,
          now: new Date(state.now()).toISOString(),
        },
      };
    case 'GET workspace':
      return {
        status: 200,
        body: {
          events: state.ws.events.length,
          apps: state.ws.apps,
          segments: state.ws.segments,
          zoneOffsetMinutes: state.options.zone.utcOffsetMinutes,
          hourBuckets: state.options.zone.hourBuckets,
          futureEndingAt: state.options.futureEndingAt,
          hourFormat: state.options.hourFormat,
        },
      };
    case 'GET requests':
      return { status: 200, body: { requests: state.log.list() } };
    case 'DELETE requests':
      state.log.clear();
      return { status: 200, body: { message: 'ok' } };
    case 'GET faults':
      return { status: 200, body: { faults: state.faults.list() } };
    case 'POST faults':
      for (const rule of faultsFrom(await readJson(req))) state.faults.add(rule);
      return { status: 200, body: { faults: state.faults.list() } };
    case 'DELETE faults':
      state.faults.clear();
      return { status: 200, body: { faults: [] } };
    case 'GET ground-truth': {
      const ctx = state.seriesContext();
      const parsed = parseSeriesQuery(state.ws, query, ctx.offsetMinutes, ctx.now);
      if ('error' in parsed) return { status: 400, body: { message: parsed.error } };
      return {
        status: 200,
        body: { message: 'success', data: computeSeries(state.ws, parsed, ctx) },
      };
    }
    case 'POST restate':
      state.restate((await readJson(req)) as RestateOptions);
      return { status: 200, body: { message: 'ok' } };
    case 'GET anomalies':
      return { status: 200, body: { anomalies: state.ws.anomalies } };
    case 'GET rate-limits':
      return {
        status: 200,
        body: {
          listing: state.limiter.peek('listing'),
          dataSeries: state.limiter.peek('dataSeries'),
        },
      };
    case 'POST clock': {
      const clock = clockFrom(await readJson(req));
      state.setClock(clock ?? state.options.now);
      return { status: 200, body: { now: new Date(state.now()).toISOString() } };
    }
    default:
      return {
        status: 404,
        body: { message: `Unknown control endpoint: ${method} ${CONTROL_PREFIX}${name}` },
      };
  }
}

/** Handles a request whose path starts with `/_emulator/`. */
export async function handleControlRequest(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const id = state.nextRequestId();
  const name = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
  let answer: { status: number; body: unknown };
  try {
    answer = await route(state, req, name, url.searchParams);
  } catch (err) {
    answer = { status: 400, body: { message: err instanceof Error ? err.message : String(err) } };
  }
  if (!res.destroyed) {
    writeRaw(res, answer.status, 'application/json', JSON.stringify(answer.body), {
      [HEADERS.requestId]: id,
    });
  }
}
