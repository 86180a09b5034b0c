/**
 * GET /events/data_series: validation of its query (each 400 names the parameter) and the
 * answer. Braze docs: `_docs/_api/endpoints/export/custom_events/get_custom_events_analytics.md`.
 */
import { MAX_SERIES_LENGTH, UNITS, type Unit } from '../../api/constants.js';
import { parseEndingAt } from '../../api/time.js';
import type { Answer } from '../http.js';
import { computeSeries, type SeriesContext, type SeriesRequest } from '../series.js';
import type { Workspace } from '../workspace.js';

/**
 * Query parameters after validation, or the message of the 400. Without `ending_at` the
 * series ends at `now`; an `ending_at` without an offset is read at the zone's offset.
 */
export function parseSeriesQuery(
  ws: Workspace,
  query: URLSearchParams,
  offsetMinutes: number,
  now: number,
): (SeriesRequest & { endingAtGiven: boolean }) | { error: string } {
  const event = query.get('event');
  if (event === null || event === '') return { error: "Missing required parameter 'event'" };
  const rawLength = query.get('length');
  if (rawLength === null || rawLength === '')
    return { error: "Missing required parameter 'length'" };
  const length = /^\d{1,4}$/.test(rawLength) ? Number(rawLength) : Number.NaN;
  if (!(length >= 1 && length <= MAX_SERIES_LENGTH)) {
    return {
      error: `Invalid 'length' parameter: must be an integer between 1 and ${MAX_SERIES_LENGTH}, got ${JSON.stringify(rawLength)}`,
    };
  }
  const unit = query.get('unit') ?? 'day';
  if (!(UNITS as readonly string[]).includes(unit)) {
    return {
      error: `Invalid 'unit' parameter: must be 'day' or 'hour', got ${JSON.stringify(unit)}`,
    };
  }
  const rawEnd = query.get('ending_at');
  let end = now;
  const endingAtGiven = rawEnd !== null && rawEnd !== '';
  if (endingAtGiven) {
    const parsed = parseEndingAt(rawEnd, offsetMinutes);
    if (parsed === null) {
      return {
        error: `Invalid 'ending_at' parameter: must be an ISO 8601 date or datetime, got ${JSON.stringify(rawEnd)}`,
      };
    }
    end = parsed;
  }
  const appId = query.get('app_id') ?? '';
  const appIndex = appId === '' ? -1 : ws.apps.findIndex((a) => a.id === appId);
  if (appId !== '' && appIndex < 0) {
    return {
      error: `Invalid 'app_id' parameter: no app with id ${JSON.stringify(appId)} in this workspace`,
    };
  }
  const segmentId = query.get('segment_id') ?? '';
  const segmentIndex = segmentId === '' ? -1 : ws.segments.findIndex((s) => s.id === segmentId);
  if (segmentId !== '' && segmentIndex < 0) {
    return {
      error: `Invalid 'segment_id' parameter: no analytics-enabled segment with id ${JSON.stringify(segmentId)}`,
    };
  }
  return {
    event,
    unit: unit as Unit,
    length,
    end,
    endingAtGiven,
    filter: { appIndex, segmentIndex },
  };
}

export function dataSeriesAnswer(
  ws: Workspace,
  query: URLSearchParams,
  ctx: SeriesContext,
): Answer {
  const req = parseSeriesQuery(ws, query, ctx.offsetMinutes, ctx.now);
  if ('error' in req) return { status: 400, body: { message: req.error } };
  // A user of the API reports Braze answering 400 to an ending_at in the future
  // (docs/BRAZE_API.md); the wording of Braze's message is unknown.
  if (req.endingAtGiven && req.end > ctx.now && ctx.futureEndingAt === 'reject') {
    return {
      status: 400,
      body: {
        message: `Invalid 'ending_at' parameter: ${JSON.stringify(query.get('ending_at'))} is in the future`,
      },
    };
  }
  return { status: 200, body: { message: 'success', data: computeSeries(ws, req, ctx) } };
}
