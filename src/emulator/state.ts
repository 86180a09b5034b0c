/**
 * The mutable state of one emulator: clock, restatements, faults, request log, rate
 * limits, plus the read side shared by the HTTP routes and the in-process API.
 */
import type { SeriesPoint } from '../api/types.js';
import { type Restatement, restatementOf } from './adjust.js';
import { type Authenticator, createAuthenticator } from './auth.js';
import { createDatasetWorkspace } from './dataset.js';
import { DEFAULT_RESTATE_DAYS, DEFAULT_RESTATE_FACTOR } from './defaults.js';
import { createFaultEngine, type FaultEngine } from './faults.js';
import type { ResolvedOptions } from './options.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import { createRequestLog, type RequestLog } from './request-log.js';
import { parseSeriesQuery } from './routes/data-series.js';
import { computeSeries, type SeriesContext } from './series.js';
import { createSyntheticWorkspace } from './synthetic.js';
import type { GroundTruthQuery, RestateOptions } from './types.js';
import type { Workspace } from './workspace.js';

export interface EmulatorState {
  readonly options: ResolvedOptions;
  readonly ws: Workspace;
  readonly limiter: RateLimiter;
  readonly faults: FaultEngine;
  readonly log: RequestLog;
  readonly auth: Authenticator;
  now(): number;
  setClock(now: () => number): void;
  seriesContext(): SeriesContext;
  groundTruth(query: GroundTruthQuery): SeriesPoint[];
  restate(options?: RestateOptions): void;
  nextRequestId(): string;
}

function endingAtParam(value: GroundTruthQuery['endingAt']): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  return value;
}

export function createState(options: ResolvedOptions): EmulatorState {
  let clock = options.now;
  const restatements: Restatement[] = [];
  let requestSerial = 0;
  const ws =
    options.data !== undefined
      ? createDatasetWorkspace(options.data)
      : createSyntheticWorkspace({
          seed: options.seed,
          events: options.events,
          anchor: options.anchor,
        });
  const now = () => clock();
  const faults = createFaultEngine(options.seed);
  for (const rule of options.faults) faults.add(rule);

  const state: EmulatorState = {
    options,
    ws,
    limiter: createRateLimiter(options.rateLimits, options.hourMs, now),
    faults,
    log: createRequestLog(),
    auth: createAuthenticator(options.keys),
    now,
    setClock(fn) {
      if (typeof fn !== 'function')
        throw new TypeError('setClock(now) needs a function returning epoch ms');
      clock = fn;
    },
    seriesContext() {
      return {
        now: now(),
        offsetMinutes: options.zone.utcOffsetMinutes,
        zone: options.zone,
        hourFormat: options.hourFormat,
        futureEndingAt: options.futureEndingAt,
        restatements,
        provisional: options.provisional,
      };
    },
    groundTruth(query) {
      const params = new URLSearchParams();
      params.set('event', query.event);
      params.set('length', String(query.length));
      if (query.unit !== undefined) params.set('unit', query.unit);
      const endingAt = endingAtParam(query.endingAt);
      if (endingAt !== undefined) params.set('ending_at', endingAt);
      if (query.appId !== undefined) params.set('app_id', query.appId);
      if (query.segmentId !== undefined) params.set('segment_id', query.segmentId);
      const ctx = state.seriesContext();
      const req = parseSeriesQuery(ws, params, ctx.offsetMinutes, ctx.now);
      if ('error' in req) throw new RangeError(req.error);
      return computeSeries(ws, req, ctx);
    },
    restate(opts = {}) {
      const days = opts.days ?? DEFAULT_RESTATE_DAYS;
      const factor = opts.factor ?? DEFAULT_RESTATE_FACTOR;
      if (!(Number.isInteger(days) && days >= 1 && days <= 1000)) {
        throw new RangeError(`restate days must be an integer from 1 to 1000; got ${String(days)}`);
      }
      if (!(Number.isFinite(factor) && factor >= 0)) {
        throw new RangeError(`restate factor must be a non-negative number; got ${String(factor)}`);
      }
      restatements.push(
        restatementOf(now(), options.zone.utcOffsetMinutes, days, factor, opts.event),
      );
    },
    nextRequestId() {
      requestSerial++;
      return `emu-${options.seed.toString(16)}-${requestSerial.toString(16).padStart(8, '0')}`;
    },
  };
  return state;
}
