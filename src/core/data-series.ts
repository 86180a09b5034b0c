/**
 * GET /events/data_series: counts of one event over time, and `eventSeries`, which covers
 * any range with the fewest requests of at most 100 buckets. Wire names: `event`,
 * `length`, `unit` unchanged; `endingAt` → `ending_at`, `appId` → `app_id`,
 * `segmentId` → `segment_id`. Braze returns the `length` buckets whose start is before
 * `ending_at` (inferred from recordings; see ../shared/BRAZE_API.md).
 */
import { DEFAULT_UNIT, PATHS, UNIT_MS, type Unit } from '../api/constants.js';
import type { SeriesPoint } from '../api/types.js';
import { floorToBucket, parseBucketTime } from './bucket-time.js';
import { buildUrl, type EndpointContext } from './context.js';
import { BrazeResponseShapeError } from './errors.js';
import { formatIsoInstant } from './iso-time.js';
import { planSeriesWindows } from './series-windows.js';
import { checkDataSeriesBody, excerpt } from './shapes.js';
import type { TransportResponse } from './transport.js';
import type {
  EventSeriesOptions,
  GetEventSeriesOptions,
  GetEventSeriesResult,
  NormalizedBucket,
  RequestOptions,
} from './types.js';
import {
  describe,
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

async function fetchSeries(
  ctx: EndpointContext,
  q: SeriesQuery,
  options: RequestOptions,
): Promise<{ data: SeriesPoint[]; res: TransportResponse }> {
  let data: SeriesPoint[] = [];
  const res = await ctx.send({
    bucket: 'dataSeries',
    url: seriesUrl(ctx, q),
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    // Checked inside the transport, so an incomplete answer is retried like a 5xx.
    check: (r) => {
      data = checkDataSeriesBody(r.json, {
        method: 'GET',
        url: r.displayUrl,
        status: r.status,
        text: r.text,
        redact: ctx.redact,
      });
      if (ctx.seriesCompleteness === 'strict') checkComplete(ctx, data, q, r);
    },
  });
  return { data, res };
}

/**
 * Strict mode: exactly `length` distinct, ascending, adjacent buckets. Braze's zero-filling
 * is inferred, not documented, so a hole is treated as a transient bad answer, never as
 * "no events that day".
 */
function checkComplete(
  ctx: EndpointContext,
  data: SeriesPoint[],
  q: SeriesQuery,
  res: TransportResponse,
): void {
  const incomplete = (problem: string): never => {
    throw new BrazeResponseShapeError({
      method: 'GET',
      url: res.displayUrl,
      status: res.status,
      problem,
      bodyExcerpt: excerpt(res.text, ctx.redact),
      transient: true,
    });
  };
  if (data.length !== q.length) {
    incomplete(`expected ${q.length} buckets, got ${data.length}`);
  }
  let previous = Number.NaN;
  for (const [i, point] of data.entries()) {
    const at = normalize(ctx, point, q.unit, res).bucketStart.getTime();
    if (i > 0 && at !== previous + UNIT_MS[q.unit]) {
      incomplete(`data[${i}] does not follow data[${i - 1}] by one ${q.unit}`);
    }
    previous = at;
  }
}

/** One request: `length` buckets of `unit` before `endingAt` (default: now, on Braze's side). */
export async function getEventSeries(
  ctx: EndpointContext,
  options: GetEventSeriesOptions,
): Promise<GetEventSeriesResult> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const event = validateEventName('event', options.event);
  const length = validateLength('length', options.length);
  const unit = validateUnit('unit', options.unit, DEFAULT_UNIT);
  let endingAt: string | undefined;
  if (options.endingAt !== undefined) {
    const ms = validateInstant('endingAt', options.endingAt, ctx.bucketUtcOffsetMinutes);
    // A string is sent as the user wrote it (a date means midnight in Braze's zone).
    endingAt =
      typeof options.endingAt === 'string'
        ? options.endingAt.trim()
        : formatIsoInstant(new Date(ms));
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
    throw new TypeError(`options must be an object, got ${describe(options)}`);
  }
  const offset = ctx.bucketUtcOffsetMinutes;
  const event = validateEventName('event', options.event);
  const unit = validateUnit('unit', options.unit, DEFAULT_UNIT);
  const since = validateInstant('since', options.since, offset);
  const now = ctx.now();
  const requested =
    options.until === undefined ? now : validateInstant('until', options.until, offset);
  // Buckets after the current one do not exist yet: asking for them only costs requests.
  const until = Math.min(requested, now);
  if (since > requested) {
    throw new RangeError(
      `since (${describe(options.since)}) must not be after until (${describe(options.until ?? new Date(requested))})`,
    );
  }
  const appId = validateOptionalId('appId', options.appId);
  const segmentId = validateOptionalId('segmentId', options.segmentId);
  // A range wholly after now has no buckets yet; one starting inside the current bucket has it.
  const windows =
    floorToBucket(since, unit, offset) > now
      ? []
      : planSeriesWindows({
          unit,
          since: new Date(since),
          until: new Date(Math.max(since, until)),
          utcOffsetMinutes: offset,
        });
  return (async function* () {
    let last = Number.NEGATIVE_INFINITY;
    for (const window of windows) {
      const q = {
        event,
        length: window.length,
        unit,
        endingAt: formatIsoInstant(window.end),
        appId,
        segmentId,
      };
      const { data, res } = await fetchSeries(ctx, q, options);
      const buckets = data.map((point) => normalize(ctx, point, unit, res));
      buckets.sort((a, b) => a.bucketStart.getTime() - b.bucketStart.getTime());
      const mine = buckets.filter((bucket) => {
        const at = bucket.bucketStart.getTime();
        // Only this window's buckets, each once: edges belong to exactly one window.
        return at >= window.start.getTime() && at < window.end.getTime() && at > last;
      });
      // Strict: the window's buckets continue the previous window's with no hole.
      const first = mine[0]?.bucketStart.getTime();
      const expected = Number.isFinite(last) ? last + UNIT_MS[unit] : window.start.getTime();
      const span = (window.end.getTime() - expected) / UNIT_MS[unit];
      if (ctx.seriesCompleteness === 'strict' && (first !== expected || mine.length !== span)) {
        throw new BrazeResponseShapeError({
          method: 'GET',
          url: res.displayUrl,
          status: res.status,
          problem: `the buckets from ${new Date(expected).toISOString()} are not contiguous`,
          bodyExcerpt: excerpt(res.text, ctx.redact),
          transient: true,
        });
      }
      for (const bucket of mine) {
        last = bucket.bucketStart.getTime();
        yield bucket;
      }
    }
  })();
}

function normalize(
  ctx: EndpointContext,
  point: SeriesPoint,
  unit: Unit,
  res: TransportResponse,
): NormalizedBucket {
  try {
    const bucketStart = parseBucketTime(point.time, unit, {
      utcOffsetMinutes: ctx.bucketUtcOffsetMinutes,
    });
    return { time: point.time, count: point.count, bucketStart };
  } catch {
    throw new BrazeResponseShapeError({
      method: 'GET',
      url: res.displayUrl,
      status: res.status,
      problem: `data[].time ${JSON.stringify(point.time.slice(0, 64))} is not an ISO 8601 time`,
      bodyExcerpt: excerpt(res.text, ctx.redact),
    });
  }
}
