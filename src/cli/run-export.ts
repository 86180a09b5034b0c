/**
 * The body of `export` (and of the demo's export step): open the output, stream the export
 * into it with progress on stderr, commit the file only when everything was written.
 *
 * When some events failed on their own (a 400 for a reserved name, a 404 for a deleted
 * one), the file is still committed, holding every row of every other event (an event's
 * rows are all there or none are), and the run ends with exit 1 and a line naming the
 * failed events: a nightly job keeps 611 good events rather than none, and its exit
 * status still says that something is missing.
 */
import type { Command } from 'commander';
import type { BrazeClient } from '../core/types.js';
import type { ExportFormat, ExportOptions, ExportSummary } from '../export/index.js';
import { type GlobalOptions, openSession } from './context.js';
import { plural } from './errors.js';
import { listenForInterrupt } from './interrupt.js';
import { type CliLogger, detectTerminal } from './output.js';
import { createProgress, silentProgress } from './progress.js';
import { endAtLastComplete, type SeriesRange } from './range.js';

/** Passes the client's waits to a progress bar created after the client. */
export interface WaitRelay {
  show?: (until: Date, cause: string) => void;
}

/**
 * Failed events named one by one on stderr as they happen; the rest only by count in the
 * final line, so 612 events refused alike (a mistyped --app-id) stay a screenful.
 */
export const MAX_FAILURE_WARNINGS = 10;

/** What `export` was asked to do, flags resolved. */
export interface ExportRequest {
  format: ExportFormat;
  /** File path, or `-` for stdout. */
  out: string;
  range: SeriesRange;
  events?: string[];
  match?: string[];
  appId?: string;
  segmentId?: string;
  concurrency?: number;
  /** End at the last complete bucket (`--complete-only`), in the client's bucket zone. */
  completeOnly?: boolean;
  /** Sees each event's rows as they are written (the demo aggregates them). */
  onBatch?: ExportOptions['onBatch'];
}

/** Maps a CLI range to the library's export options. */
export function rangeToOptions(
  range: SeriesRange,
): Pick<ExportOptions, 'unit' | 'length' | 'endingAt' | 'since' | 'until'> {
  return range.kind === 'length'
    ? {
        unit: range.unit,
        length: range.length,
        ...(range.endingAt ? { endingAt: range.endingAt } : {}),
      }
    : { unit: range.unit, since: range.since, ...(range.until ? { until: range.until } : {}) };
}

/**
 * Streams an export to `req.out` with a client already opened.
 *
 * @example
 * await exportWithClient(client, log, { format: 'csv', out: '-', range });
 */
export async function exportWithClient(
  client: BrazeClient,
  log: CliLogger,
  req: ExportRequest,
  flags: { quiet?: boolean; waits?: WaitRelay } = {},
): Promise<ExportSummary> {
  const { exportEvents, isExportIncompleteError, openAtomicFile } = await import(
    '../export/index.js'
  );
  const { quoteInput } = await import('../api/quote.js');
  const caps = detectTerminal();
  const toStdout = req.out === '-';
  // A bar on the same terminal as the data would garble it.
  const bar = !(toStdout && caps.stdoutIsTTY);
  const progress = flags.quiet
    ? silentProgress
    : await createProgress(caps, { label: 'export', bar });
  if (flags.waits) flags.waits.show = (until, cause) => progress.waiting?.(until, cause);
  const interrupt = listenForInterrupt();
  const file = toStdout ? undefined : await openAtomicFile(req.out);
  const started = Date.now();
  let incomplete: unknown;
  let failuresShown = 0;
  try {
    const summary = await exportEvents(
      client,
      {
        ...rangeToOptions(
          req.completeOnly
            ? endAtLastComplete(req.range, new Date(), client.bucketZone)
            : req.range,
        ),
        ...(req.events ? { events: req.events, requireListed: true } : {}),
        ...(req.match ? { match: req.match } : {}),
        ...(req.appId !== undefined ? { appId: req.appId } : {}),
        ...(req.segmentId !== undefined ? { segmentId: req.segmentId } : {}),
        ...(req.concurrency !== undefined ? { concurrency: req.concurrency } : {}),
        signal: interrupt.signal,
        onProgress: (p) => progress.update(p),
        onEventFailure: (f) => {
          failuresShown += 1;
          if (failuresShown > MAX_FAILURE_WARNINGS) return;
          log.warn(
            `event ${quoteInput(f.event)} failed: ${f.status !== null ? `${f.status} ` : ''}${f.message}` +
              `${f.requestId ? ` (request id ${f.requestId})` : ''}; the other events go on` +
              (failuresShown === MAX_FAILURE_WARNINGS
                ? ' (further failures: in the summary only)'
                : ''),
          );
        },
        ...(req.onBatch ? { onBatch: req.onBatch } : {}),
      },
      req.format,
      file ? file.stream : process.stdout,
    ).catch((error: unknown) => {
      // The output is complete for every other event: keep it, fail the run at the end.
      if (!isExportIncompleteError(error)) throw error;
      incomplete = error;
      return { ...error.summary, format: req.format };
    });
    progress.stop();
    await file?.commit();
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const stats = client.stats();
    const failed = summary.failures.length;
    const all = plural(summary.events, 'event', 'events');
    const events = failed > 0 ? `${summary.events - failed} of ${all}` : all;
    log.info(
      `exported ${events}, ${plural(summary.rows, 'row', 'rows')} (${summary.format}) to ${toStdout ? 'stdout' : req.out} in ${secs} s; ${plural(stats.requests, 'request', 'requests')}, ${plural(stats.retries, 'retry', 'retries')}`,
    );
    if (incomplete !== undefined) throw incomplete;
    return summary;
  } catch (err) {
    if (err === incomplete) throw err;
    progress.stop();
    await file?.abort();
    if (file) {
      log.info(
        file.atomic
          ? `export failed: ${req.out} was not written`
          : `export failed: what reached ${req.out} is incomplete`,
      );
    }
    throw interrupt.received() && !(err instanceof Error && 'status' in err)
      ? interrupt.error('export interrupted')
      : err;
  } finally {
    interrupt.dispose();
  }
}

/** `export`'s action body: open a session sized to the concurrency, then export. */
export async function runExport(cmd: Command, req: ExportRequest): Promise<ExportSummary> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  // The client exists before the progress bar: the relay hands its waits to the bar.
  const waits: WaitRelay = {};
  const { client, log } = await openSession(cmd, {
    ...(req.concurrency !== undefined ? { maxConcurrency: req.concurrency } : {}),
    onWait: (w) => waits.show?.(w.until, w.cause),
  });
  return exportWithClient(client, log, req, { ...(opts.quiet ? { quiet: true } : {}), waits });
}
