/**
 * GET /events/data_series: counts of one event over time, and `eventSeries`, which covers
 * any range with the fewest requests of at most 100 buckets. Wire names: `event`,
 * `length`, `unit` unchanged; `endingAt` → `ending_at`, `appId` → `app_id`,
 * `segmentId` → `segment_id`. Braze returns the `length` buckets whose start is before
 * `ending_at` (inferred from recordings; see ../shared/BRAZE_API.md).
 */

import { DEFAULT_UNIT, PATHS, type Unit } from '../api/constants.js';
import { BrazeOptionRangeError, BrazeOptionTypeError, type Setting } from '../api/option-errors.js';
import { quoteInput } from '../api/quote.js';
import {
  addBuckets,
  bucketStartMs,
  bucketsBetween,
  dayShift,
  describeBucketEdges,
  floorToBucket,
  formatBucketTime,
  formatIsoInstant,
  isBucketStart,
} from '../api/time.js';
import type { SeriesPoint } from '../api/types.js';
import { buildUrl, type EndpointContext } from './context.js';
import { BrazeResponseShapeError } from './errors.js';
import { seriesWindows } from './series-windows.js';
import { checkDataSeriesBody, excerpt, shapeContext } from './shapes.js';
import type { TransportResponse } from './transport.js';
import type {
  EventSeriesOptions,
  GetEventSeriesOptions,
  GetEventSeriesResult,
  NormalizedBucket,
  RequestOptions,
} from './types.js';
import {
  describeSetting,
  validateEventName,
  validateInstant,
  validateLength,
  validateOptionalId,
  validateUnit,
} from './validate.js';

interface SeriesQuery {
  event: string;
  length: number;
  unit: Unit;
  endingAt: string | undefined;
  appId: string | undefined;
  segmentId: string | undefined;
}

/** The one place the options map to wire names. */
function seriesUrl(ctx: EndpointContext, q: SeriesQuery): string {
  return buildUrl(ctx.baseUrl, PATHS.dataSeries, {
    event: q.event,
    length: q.length,
    unit: q.unit,
    ending_at: q.endingAt,
    app_id: q.appId,
    segment_id: q.segmentId,
  });
}

interface SeriesAnswer {
  data: SeriesPoint[];
  /** Each point's bucket start (epoch ms) when strict mode has already parsed them. */
  starts: number[] | undefined;
  res: TransportResponse;
}

async function fetchSeries(
  ctx: EndpointContext,
  q: SeriesQuery,
  options: RequestOptions,
): Promise<SeriesAnswer> {
  let data: SeriesPoint[] = [];
  let starts: number[] | undefined;
  const res = await ctx.send({
    bucket: 'dataSeries',
    url: seriesUrl(ctx, q),
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    maxWaitMs: options.maxWaitMs,
    // Checked inside the transport, so an incomplete answer is retried like a 5xx.
    check: (r) => {
      data = checkDataSeriesBody(r.json, shapeContext(r, ctx.redact));
      starts = ctx.seriesCompleteness === 'strict' ? checkComplete(ctx, data, q, r) : undefined;
    },
  });
  return { data, starts, res };
}

/**
 * Strict mode: exactly `length` distinct, ascending, adjacent buckets, each starting on the
 * client's bucket edges. Braze's zero-filling is inferred, not documented, so a hole is
 * treated as a transient bad answer, never as "no events that day"; a start off the edges
 * means Braze's zone (or hour alignment) is not the one configured, and storing it would
 * shift every bucket. Returns the bucket starts, so they are parsed only once.
 */
function checkComplete(
  ctx: EndpointContext,
  data: SeriesPoint[],
  q: SeriesQuery,
  res: TransportResponse,
): number[] {
  const incomplete = (problem: string): never => {
    throw new BrazeResponseShapeError({
      method: 'GET',
      url: res.displayUrl,
      status: res.status,
      problem,
      bodyExcerpt: excerpt(res.text, ctx.redact),
      transient: true,
      requestId: res.requestId,
    });
  };
  const starts = new Array<number>(data.length);
  let missing: string | undefined;
  for (let i = 0; i < data.length; i++) {
    const at = startOf(ctx, data[i]!, q.unit, res);
    refuseOffEdge(ctx, data, i, at, q.unit, res);
    const expected = i > 0 ? addBuckets(starts[i - 1]!, q.unit, 1) : at;
    if (at > expected) missing ??= bucketLabel(ctx, expected, q.unit);
    else if (at !== expected) {
      incomplete(
        `data[${i}] does not follow data[${i - 1}] by one ${q.unit} (repeated or out of order)`,
      );
    }
    starts[i] = at;
  }
  if (data.length !== q.length || missing !== undefined) {
    incomplete(
      `expected ${q.length} buckets, got ${data.length}` +
        (missing === undefined ? '' : `; bucket ${missing} missing`),
    );
  }
  return starts;
}

/**
 * Throws when bucket `i` starts off the client's bucket edges: Braze's zone (or hour
 * alignment) is then not the one configured, and reading the answer would shift every
 * bucket. Not transient: every retry would get the same answer. Strict answers are checked
 * here for every bucket; lenient ones wherever a bucket start is computed (`eventSeries`;
 * the sync's and connectors' `fetchWindowBuckets` checks `getEventSeries` answers again).
 */
function refuseOffEdge(
  ctx: EndpointContext,
  data: readonly SeriesPoint[],
  i: number,
  at: number,
  unit: Unit,
  res: TransportResponse,
): void {
  if (isBucketStart(at, unit, ctx.bucketZone)) return;
  throw new BrazeResponseShapeError({
    method: 'GET',
    url: res.displayUrl,
    status: res.status,
    problem: `data[${i}].time ${JSON.stringify(data[i]!.time)} is not on ${describeBucketEdges(unit, ctx.bucketZone)} (Braze's buckets are in another zone or hour alignment than the one configured)`,
    bodyExcerpt: excerpt(res.text, ctx.redact),
    requestId: res.requestId,
  });
}

/** One request: `length` buckets of `unit` before `endingAt` (default: now, on Braze's side). */
export async function getEventSeries(
  ctx: EndpointContext,
  options: GetEventSeriesOptions,
): Promise<GetEventSeriesResult> {
  if (typeof options !== 'object' || options === null) {
    throw new BrazeOptionTypeError(
      'options',
      options,
      `options must be an object, got ${quoteInput(options)}`,
    );
  }
  const event = validateEventName('event', options.event);
  const length = validateLength('length', options.length);
  const unit = validateUnit('unit', options.unit, DEFAULT_UNIT);
  let endingAt: string | undefined;
  if (options.endingAt !== undefined) {
    const ms = validateInstant('endingAt', options.endingAt, ctx.bucketUtcOffsetMinutes);
    const now = ctx.now();
    // A string is sent as the user wrote it (a date means midnight in Braze's zone); one
    // after the clock is sent as now: a user of the API reports Braze answering 400 to a
    // future ending_at (docs/BRAZE_API.md), and buckets after now hold nothing yet.
    endingAt =
      ms > now
        ? formatIsoInstant(now)
        : typeof options.endingAt === 'string'
          ? options.endingAt.trim()
          : formatIsoInstant(ms);
  }
  const appId = validateOptionalId('appId', options.appId);
  const segmentId = validateOptionalId('segmentId', options.segmentId);
  const { data, res } = await fetchSeries(
    ctx,
    { event, length, unit, endingAt, appId, segmentId },
    options,
  );
  return { data, rateLimit: res.rateLimit };
}

/**
 * Every bucket from the one containing `since` to the last one starting before `until`,
 * each exactly once, oldest first, in as few requests as possible. Options are validated
 * here, before the first request; `break` stops fetching.
 */
export function eventSeries(
  ctx: EndpointContext,
  options: EventSeriesOptions,
): AsyncGenerator<NormalizedBucket, void, undefined> {
  if (typeof options !== 'object' || options === null) {
    throw new BrazeOptionTypeError(
      'options',
      options,
      `options must be an object, got ${quoteInput(options)}`,
    );
  }
  const offset = ctx.bucketUtcOffsetMinutes;
  const zone = ctx.bucketZone;
  const event = validateEventName('event', options.event);
  const unit = validateUnit('unit', options.unit, DEFAULT_UNIT);
  const since = validateInstant('since', options.since, offset);
  const now = ctx.now();
  const requested =
    options.until === undefined ? now : validateInstant('until', options.until, offset);
  // Buckets after the current one do not exist yet: asking for them only costs requests.
  const until = Math.min(requested, now);
  if (since > requested) {
    throw new BrazeOptionRangeError(
      'since',
      options.since,
      `since (${quoteInput(options.since)}) must not be after until (${quoteInput(options.until ?? new Date(requested))})`,
    );
  }
  const appId = validateOptionalId('appId', options.appId);
  const segmentId = validateOptionalId('segmentId', options.segmentId);
  // A range wholly after now has no buckets yet; one starting inside the current bucket has it.
  const windows =
    floorToBucket(since, unit, zone) > now
      ? []
      : seriesWindows({
          unit,
          since: new Date(since),
          until: new Date(Math.max(since, until)),
          utcOffsetMinutes: offset,
          hourBuckets: zone.hourBuckets,
        });
  return (async function* () {
    let last = Number.NEGATIVE_INFINITY;
    for (const window of windows) {
      const q = {
        event,
        length: window.length,
        unit,
        // The last window ends at the next bucket edge, after now: ask up to now instead
        // (the same buckets: those starting before it), since Braze is reported to answer
        // 400 to a future ending_at (docs/BRAZE_API.md).
        endingAt: formatIsoInstant(Math.min(window.end.getTime(), now)),
        appId,
        segmentId,
      };
      const { data, starts, res } = await fetchSeries(ctx, q, options);
      let at = starts;
      if (at === undefined) {
        at = data.map((point) => startOf(ctx, point, unit, res));
        for (let i = 0; i < at.length; i++) refuseOffEdge(ctx, data, i, at[i]!, unit, res);
      }
      // Lenient answers may come in any order; strict ones are already ascending.
      const order = data.map((_, i) => i).sort((a, b) => at[a]! - at[b]!);
      const from = window.start.getTime();
      const to = window.end.getTime();
      // Only this window's buckets, each once: edges belong to exactly one window.
      const mine = order.filter((i) => at[i]! >= from && at[i]! < to && at[i]! > last);
      // Strict: the window's buckets continue the previous window's with no hole.
      const expected = Number.isFinite(last) ? addBuckets(last, unit, 1) : from;
      const first = mine.length > 0 ? at[mine[0]!] : undefined;
      if (
        ctx.seriesCompleteness === 'strict' &&
        (first !== expected || mine.length !== bucketsBetween(expected, to, unit))
      ) {
        const { hint, remedy } = dayShiftProblem(at, from, to, unit, ctx.bucketUtcOffsetMinutes);
        throw new BrazeResponseShapeError({
          method: 'GET',
          url: res.displayUrl,
          status: res.status,
          problem: `the buckets from ${new Date(expected).toISOString()} are not contiguous${hint}`,
          bodyExcerpt: excerpt(res.text, ctx.redact),
          transient: true,
          requestId: res.requestId,
          ...(remedy ? { remedy } : {}),
        });
      }
      for (const i of mine) {
        const { time, count } = data[i]!;
        last = at[i]!;
        yield { time, count, bucketStart: new Date(last) };
      }
    }
  })();
}

/**
 * What a completeness error adds when an answer's days are one day off what was asked
 * (`dayShift`): the hint, and the setting to check as its `remedy` (the CLI names its
 * flag). Nothing when the days are not shifted. Used by the client and by the sync.
 *
 * @example
 * dayShiftProblem(starts, from, to, 'day', 0).hint
 * // "; its days are 1 day later than asked: Braze's day buckets may be at another UTC offset than bucketUtcOffsetMinutes 0 (UTC+00:00)"
 */
export function dayShiftProblem(
  starts: readonly number[],
  from: number,
  to: number,
  unit: Unit,
  utcOffsetMinutes: number,
): { hint: string; remedy?: Setting } {
  const shift = dayShift(starts, from, to, unit);
  if (shift === 0) return { hint: '' };
  const remedy: Setting = { option: 'bucketUtcOffsetMinutes', value: utcOffsetMinutes };
  return {
    hint: `; its days are 1 day ${shift > 0 ? 'later' : 'earlier'} than asked: Braze's day buckets may be at another UTC offset than ${describeSetting(remedy)}`,
    remedy,
  };
}

/** A bucket start as Braze writes its time: `2026-11-03` (day, in the bucket zone) or an instant (hour). */
function bucketLabel(ctx: EndpointContext, startMs: number, unit: Unit): string {
  return formatBucketTime(startMs, unit, ctx.bucketUtcOffsetMinutes, 'z');
}

/** A point's bucket start in epoch ms; a time that is not ISO 8601 is a shape error. */
function startOf(ctx: EndpointContext, point: SeriesPoint, unit: Unit, res: TransportResponse) {
  try {
    return bucketStartMs(point.time, unit, ctx.bucketUtcOffsetMinutes);
  } catch {
    throw new BrazeResponseShapeError({
      method: 'GET',
      url: res.displayUrl,
      status: res.status,
      problem: `data[].time ${JSON.stringify(point.time.slice(0, 64))} is not an ISO 8601 time`,
      bodyExcerpt: excerpt(res.text, ctx.redact),
      requestId: res.requestId,
    });
  }
}
