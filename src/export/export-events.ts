/**
 * `exportEvents`: the whole export, from client to a writable sink, streamed.
 */

import type { Writable } from 'node:stream';
import type { BrazeClient } from '../core/types.js';
import { writeChunk } from '../core/write-chunk.js';
import { ExportIncompleteError } from './errors.js';
import { createRowFormatter, exportColumns, validateExportFormat } from './formats.js';
import { exportBatches, resolveEventNames, validateExportOptions } from './rows.js';
import type { ExportEventFailure, ExportFormat, ExportOptions, ExportSummary } from './types.js';

/** Where export text goes: a Node writable (backpressure honoured) or an async function. */
export type ExportSink = Writable | ((chunk: string) => void | Promise<void>);

function writerFor(sink: ExportSink): (chunk: string) => Promise<void> {
  if (typeof sink === 'function') return async (chunk) => sink(chunk);
  return (chunk) => writeChunk(sink, chunk);
}

/**
 * Exports the counts of many events to a sink as CSV, NDJSON or a JSON array, one row per
 * event and bucket, sorted by event then time. Memory stays constant in the number of
 * events. The sink is not ended: the caller owns it.
 *
 * An event Braze refuses on its own (a 4xx about that request, or a name that cannot be
 * URL-encoded) is left out and the others are exported; the output is then completed and
 * `ExportIncompleteError` thrown, its `summary.failures` naming each such event with
 * Braze's status and message. A failure about the key, the rate limit or Braze itself
 * rejects at once, the output unfinished.
 *
 * @example
 * ```ts
 * import { createBrazeClient } from 'braze-events';
 * import { exportEvents } from 'braze-events/export';
 * const client = createBrazeClient({ apiKey: process.env.BRAZE_API_KEY!, endpoint: 'US-03' });
 * await exportEvents(client, { match: 'Purchase*', since: '2026-10-01' }, 'csv', process.stdout);
 * ```
 */
export async function exportEvents(
  client: Pick<BrazeClient, 'eventNames' | 'getEventSeries' | 'eventSeries'>,
  options: ExportOptions,
  format: ExportFormat,
  sink: ExportSink,
): Promise<ExportSummary> {
  validateExportFormat(format);
  validateExportOptions(options);
  const write = writerFor(sink);
  const names = await resolveEventNames(client, options);
  const formatter = createRowFormatter(format, exportColumns(options));
  let rows = 0;
  let eventsDone = 0;
  options.onProgress?.({ eventsDone, eventsTotal: names.length, rows });
  // The header goes out with the first event's rows, so a run that fails on its first
  // request leaves stdout empty rather than holding a lone header.
  let pending = formatter.header();
  const failures: ExportEventFailure[] = [];
  for await (const batch of exportBatches(client, names, options)) {
    if (batch.failure) {
      failures.push(batch.failure);
      eventsDone += 1;
      options.onEventFailure?.(batch.failure);
      options.onProgress?.({ eventsDone, eventsTotal: names.length, rows, event: batch.event });
      continue;
    }
    // One chunk per event keeps writes few without holding more than one event's text.
    const text = pending + formatter.rows(batch.rows);
    pending = '';
    await write(text);
    rows += batch.rows.length;
    eventsDone += 1;
    options.onBatch?.(batch);
    options.onProgress?.({ eventsDone, eventsTotal: names.length, rows, event: batch.event });
  }
  await write(pending + formatter.footer());
  const summary: ExportSummary = { events: names.length, rows, format, failures };
  if (failures.length > 0) throw new ExportIncompleteError(summary);
  return summary;
}
