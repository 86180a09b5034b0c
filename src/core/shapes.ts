/**
 * Checks that a success body is the documented shape, turning anything else into a
 * BrazeResponseShapeError with a short, redacted excerpt, never a crash or `undefined`.
 * Unknown extra fields are ignored (Braze may add some); documented fields with the wrong
 * type are errors.
 */
import type { SeriesPoint, WireCustomEvent } from '../api/types.js';
import { ERROR_EXCERPT_LENGTH } from './defaults.js';
import { BrazeResponseShapeError } from './errors.js';
import type { Redactor } from './redact.js';

/** Where the body came from, for the error. */
export interface ShapeContext {
  method: string;
  url: string;
  status: number;
  /** The raw body text (excerpted and redacted only when an error is raised). */
  text: string;
  redact: Redactor;
  /** `x-request-id` of the answer, quoted in the error. */
  requestId?: string | null | undefined;
  /** Where in a listing the body came from (`page 3`), said in the problem. */
  where?: string | undefined;
}

/**
 * The shape context of a transport answer.
 *
 * @example `checkEventsBody(res.json, shapeContext(res, redact, 'page 2'))`
 */
export function shapeContext(
  res: { displayUrl: string; status: number; text: string; requestId: string | null },
  redact: Redactor,
  where?: string,
): ShapeContext {
  return {
    method: 'GET',
    url: res.displayUrl,
    status: res.status,
    text: res.text,
    redact,
    requestId: res.requestId,
    where,
  };
}

/** A JSON value named for a message: `null`, `a number`, `an object`… */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'undefined' ? 'missing' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * The first `length` characters of a body, whitespace collapsed, redacted.
 *
 * @example `excerpt('<html>\n<h1>502</h1>', (s) => s) // '<html> <h1>502</h1>'`
 */
export function excerpt(text: string, redact: Redactor, length = ERROR_EXCERPT_LENGTH): string {
  // Redact the WHOLE text before cutting or collapsing whitespace: a cut could split a key
  // so the redactor no longer sees it, and collapsing could pull the half-key into view.
  // Bodies are already bounded by maxResponseBytes, so this stays cheap.
  const flat = redact(text)
    .slice(0, length * 4)
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}

function fail(ctx: ShapeContext, problem: string): never {
  throw new BrazeResponseShapeError({
    method: ctx.method,
    url: ctx.url,
    status: ctx.status,
    problem: ctx.where ? `${problem} on ${ctx.where}` : problem,
    bodyExcerpt: excerpt(ctx.text, ctx.redact),
    requestId: ctx.requestId,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Body of GET /events/list → its names. */
export function checkEventsListBody(body: unknown, ctx: ShapeContext): string[] {
  if (!isObject(body)) fail(ctx, 'expected a JSON object');
  const { events } = body;
  if (!Array.isArray(events)) fail(ctx, 'expected "events" to be an array');
  events.forEach((name, i) => {
    if (typeof name !== 'string') fail(ctx, `${kindOf(name)} name at events[${i}]`);
  });
  return events as string[];
}

/** One event of GET /events; missing optional fields get empty defaults. */
function checkWireEvent(value: unknown, i: number, ctx: ShapeContext): WireCustomEvent {
  if (!isObject(value)) fail(ctx, `expected events[${i}] to be an object`);
  const { name, description, included_in_analytics_report, status, tag_names } = value;
  if (typeof name !== 'string') fail(ctx, `${kindOf(name)} name at events[${i}].name`);
  if (description != null && typeof description !== 'string') {
    fail(ctx, `expected events[${i}].description to be a string`);
  }
  if (included_in_analytics_report != null && typeof included_in_analytics_report !== 'boolean') {
    fail(ctx, `expected events[${i}].included_in_analytics_report to be a boolean`);
  }
  if (status != null && typeof status !== 'string') {
    fail(ctx, `expected events[${i}].status to be a string`);
  }
  if (
    tag_names != null &&
    !(Array.isArray(tag_names) && tag_names.every((t) => typeof t === 'string'))
  ) {
    fail(ctx, `expected events[${i}].tag_names to be an array of strings`);
  }
  return {
    name,
    description: (description as string | null | undefined) ?? '',
    included_in_analytics_report:
      (included_in_analytics_report as boolean | null | undefined) ?? false,
    status: (status as string | null | undefined) ?? '',
    tag_names: (tag_names as string[] | null | undefined) ?? [],
  };
}

/** Body of GET /events → its events. */
export function checkEventsBody(body: unknown, ctx: ShapeContext): WireCustomEvent[] {
  if (!isObject(body)) fail(ctx, 'expected a JSON object');
  if (!Array.isArray(body.events)) fail(ctx, 'expected "events" to be an array');
  return body.events.map((event, i) => checkWireEvent(event, i, ctx));
}

/** Body of GET /events/data_series → its points (counts are non-negative integers). */
export function checkDataSeriesBody(body: unknown, ctx: ShapeContext): SeriesPoint[] {
  if (!isObject(body)) fail(ctx, 'expected a JSON object');
  if (!Array.isArray(body.data)) fail(ctx, 'expected "data" to be an array');
  return body.data.map((point, i) => {
    if (!isObject(point)) fail(ctx, `expected data[${i}] to be an object`);
    const { time, count } = point;
    if (typeof time !== 'string') fail(ctx, `expected data[${i}].time to be a string`);
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      fail(ctx, `expected data[${i}].count to be a non-negative integer`);
    }
    return { time, count };
  });
}
