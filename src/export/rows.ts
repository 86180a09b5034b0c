/**
 * The rows of an export, in deterministic order (event name, then time), fetched with
 * bounded concurrency. Memory is bounded by `concurrency` events' rows, whatever the
 * number of events.
 */
import { MAX_SERIES_LENGTH, type Unit } from '../api/constants.js';
import { BrazeOptionRangeError, BrazeOptionTypeError } from '../api/option-errors.js';
import { addBuckets, type BucketZone, floorToBucket, parseIsoInstant } from '../api/time.js';
import { mapOrdered } from '../core/concurrency.js';
import { isEventScopedError } from '../core/errors.js';
import { nameMatcher } from '../core/name-match.js';
import { EventSelectionError, requireEvents } from '../core/selection.js';
import type { BrazeClient } from '../core/types.js';
import { eventNameProblem, validateUnit } from '../core/validate.js';
import { ExportIncompleteError } from './errors.js';
import type { ExportEventFailure, ExportOptions, ExportRange, ExportRow } from './types.js';

/** Events fetched at once by default (the client paces and caps requests on its own too). */
export const DEFAULT_EXPORT_CONCURRENCY = 4;

/** Largest `concurrency` accepted. */
export const MAX_EXPORT_CONCURRENCY = 64;

/** Code-unit order: the same on every machine and locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Validates the range and filter options; throws TypeError/RangeError naming the option,
 * before any request.
 */
export function validateExportOptions(options: ExportOptions): void {
  validateUnit('unit', options.unit, 'day');
  if (options.length !== undefined) {
    if (!Number.isInteger(options.length) || options.length < 1) {
      throw new BrazeOptionRangeError(
        'length',
        options.length,
        `length must be a positive integer, got ${options.length}`,
      );
    }
    if (options.since !== undefined || options.until !== undefined) {
      throw new BrazeOptionTypeError(
        'length',
        options.length,
        'length excludes since/until: give one or the other',
      );
    }
  }
  if (options.until !== undefined && options.since === undefined) {
    throw new BrazeOptionTypeError('until', options.until, 'until needs since');
  }
  if (options.endingAt !== undefined && options.since !== undefined) {
    throw new BrazeOptionTypeError(
      'endingAt',
      options.endingAt,
      'endingAt goes with length, not since',
    );
  }
  const c = options.concurrency;
  if (c !== undefined && (!Number.isInteger(c) || c < 1 || c > MAX_EXPORT_CONCURRENCY)) {
    throw new BrazeOptionRangeError(
      'concurrency',
      c,
      `concurrency must be an integer from 1 to ${MAX_EXPORT_CONCURRENCY}, got ${c}`,
    );
  }
}

/**
 * The sorted, de-duplicated, glob-filtered event names to export.
 *
 * @example
 * await resolveEventNames(client, { match: 'Purchase*' })
 * @throws EventSelectionError when `match` globs select none of the listed names, or (with
 *   `requireListed`) when `events` holds names the workspace does not list
 */
export async function resolveEventNames(
  client: Pick<BrazeClient, 'eventNames'>,
  options: Pick<ExportOptions, 'events' | 'match' | 'signal' | 'requireListed'>,
): Promise<string[]> {
  const listing = () =>
    client.eventNames(options.signal !== undefined ? { signal: options.signal } : {});
  let source = options.events ?? listing();
  if (options.events !== undefined && options.requireListed === true) {
    // Sync's rule (core/selection.ts): a name the workspace does not list is a typo to say
    // before any data_series request, not 30 rows of zeros.
    const wanted: string[] = [];
    for await (const name of options.events) wanted.push(name);
    const listed: string[] = [];
    for await (const name of listing()) listed.push(name);
    source = requireEvents(listed, { events: wanted });
  }
  const globs = [options.match ?? []].flat();
  const isMatch = nameMatcher(globs);
  const names = new Set<string>();
  let listed = 0;
  for await (const name of source) {
    listed += 1;
    if (isMatch(name)) names.add(name);
  }
  // Globs matching nothing would export a lone header: a mistake to say, not an empty file.
  if (globs.length > 0 && names.size === 0) {
    throw new EventSelectionError('match', globs, listed);
  }
  return [...names].sort(compareNames);
}

/**
 * Rewrites a `length` range longer than one request (100 buckets) as a `since` range with
 * the same buckets: those whose start is before `endingAt` (default now, whose bucket is
 * included, as Braze does), in the client's bucket zone (`zone`, default UTC), so the
 * client's windows cover exactly `length` buckets.
 */
export function lengthAsSpan(
  range: ExportRange & { length: number },
  now: Date,
  zone: BucketZone = { utcOffsetMinutes: 0 },
): { since: Date; until?: Date | string } {
  const unit = range.unit ?? 'day';
  const back = (lastStart: number) => new Date(addBuckets(lastStart, unit, 1 - range.length));
  if (range.endingAt === undefined) {
    return { since: back(floorToBucket(now.getTime(), unit, zone)) };
  }
  // Read as the client reads it: a date or a zone-less datetime is at the bucket offset.
  const end =
    range.endingAt instanceof Date
      ? range.endingAt.getTime()
      : (parseIsoInstant(range.endingAt.trim(), zone.utcOffsetMinutes) ?? Number.NaN);
  if (!Number.isFinite(end)) {
    throw new BrazeOptionRangeError(
      'endingAt',
      range.endingAt,
      `endingAt must be an ISO 8601 date or datetime, got ${String(range.endingAt)}`,
    );
  }
  // A future end is capped at now, as the client caps ending_at.
  const capped = Math.min(end, now.getTime());
  return {
    since: back(floorToBucket(capped - 1, unit, zone)),
    until: capped < end ? new Date(capped) : range.endingAt,
  };
}

/** Fetches one event's rows for the range. */
export async function fetchEventRows(
  client: Pick<BrazeClient, 'getEventSeries' | 'eventSeries'> &
    Partial<Pick<BrazeClient, 'bucketZone'>>,
  event: string,
  options: ExportOptions,
  signal: AbortSignal,
  now: () => Date = () => new Date(options.now?.() ?? Date.now()),
): Promise<ExportRow[]> {
  const unit = options.unit ?? 'day';
  const filters = {
    ...(options.appId !== undefined ? { appId: options.appId } : {}),
    ...(options.segmentId !== undefined ? { segmentId: options.segmentId } : {}),
  };
  const extra = {
    ...(options.appId !== undefined ? { app_id: options.appId } : {}),
    ...(options.segmentId !== undefined ? { segment_id: options.segmentId } : {}),
  };
  const toRow = (b: { time: string; count: number }): ExportRow => ({
    event,
    unit,
    time: b.time,
    count: b.count,
    ...extra,
  });
  if (options.since === undefined) {
    const length = options.length ?? 30;
    if (length <= MAX_SERIES_LENGTH) {
      const { data } = await client.getEventSeries({
        event,
        length,
        unit,
        signal,
        ...filters,
        ...(options.endingAt !== undefined ? { endingAt: options.endingAt } : {}),
      });
      return data.map(toRow);
    }
    const span = lengthAsSpan({ ...options, length }, now(), client.bucketZone);
    return collect(client, event, unit, span.since, span.until, filters, signal, toRow);
  }
  return collect(client, event, unit, options.since, options.until, filters, signal, toRow);
}

async function collect(
  client: Pick<BrazeClient, 'eventSeries'>,
  event: string,
  unit: Unit,
  since: Date | string,
  until: Date | string | undefined,
  filters: { appId?: string; segmentId?: string },
  signal: AbortSignal,
  toRow: (b: { time: string; count: number }) => ExportRow,
): Promise<ExportRow[]> {
  const rows: ExportRow[] = [];
  const iterable = client.eventSeries({
    event,
    unit,
    since,
    signal,
    ...filters,
    ...(until !== undefined ? { until } : {}),
  });
  for await (const b of iterable) rows.push(toRow(b));
  return rows;
}

/** One event's part of an export: its rows, or why it has none. */
export interface ExportBatch {
  event: string;
  /** Empty when `failure` is set: an event's rows are all there or none are. */
  rows: ExportRow[];
  failure?: ExportEventFailure;
}

/**
 * Fetches one event's rows; a failure about this event alone (a name that cannot be
 * encoded, a 4xx about the request) becomes the batch's `failure`, anything else throws.
 */
async function fetchBatch(
  client: Pick<BrazeClient, 'getEventSeries' | 'eventSeries'>,
  event: string,
  options: ExportOptions,
  signal: AbortSignal,
): Promise<ExportBatch> {
  const problem = eventNameProblem(event);
  if (problem !== undefined) {
    return {
      event,
      rows: [],
      failure: { event, status: null, message: `the name ${problem}`, requestId: null },
    };
  }
  try {
    return { event, rows: await fetchEventRows(client, event, options, signal) };
  } catch (error) {
    if (!isEventScopedError(error)) throw error;
    const message = error.brazeMessage ?? (error.bodyExcerpt || error.message);
    return {
      event,
      rows: [],
      failure: { event, status: error.status, message, requestId: error.requestId },
    };
  }
}

/**
 * Every event's rows, in order: event name, then time. Fetches ahead with bounded
 * concurrency and stops fetching when the consumer stops. An event Braze refuses on its
 * own comes as a batch with a `failure` and no rows; the others go on.
 *
 * @example
 * for await (const batch of exportBatches(client, names, { since: '2026-10-01' })) …
 */
export async function* exportBatches(
  client: Pick<BrazeClient, 'getEventSeries' | 'eventSeries'>,
  names: readonly string[],
  options: ExportOptions,
): AsyncGenerator<ExportBatch> {
  const concurrency = options.concurrency ?? DEFAULT_EXPORT_CONCURRENCY;
  yield* mapOrdered(
    names,
    concurrency,
    (event, signal) => fetchBatch(client, event, options, signal),
    options.signal,
  );
}

/**
 * The rows of an export as one async iterable, for library users who want rows, not text.
 * When some events failed on their own, every other row is yielded first, then
 * `ExportIncompleteError` is thrown.
 *
 * @example
 * for await (const row of exportRows(client, { events: ['Purchase'], length: 7 })) console.log(row);
 */
export async function* exportRows(
  client: Pick<BrazeClient, 'eventNames' | 'getEventSeries' | 'eventSeries'>,
  options: ExportOptions = {},
): AsyncGenerator<ExportRow> {
  validateExportOptions(options);
  const names = await resolveEventNames(client, options);
  const failures: ExportEventFailure[] = [];
  let rows = 0;
  for await (const batch of exportBatches(client, names, options)) {
    if (batch.failure) {
      failures.push(batch.failure);
      options.onEventFailure?.(batch.failure);
    }
    rows += batch.rows.length;
    yield* batch.rows;
  }
  if (failures.length > 0) {
    throw new ExportIncompleteError({ events: names.length, rows, failures });
  }
}
