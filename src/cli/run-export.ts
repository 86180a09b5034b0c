/**
 * The body of `export` (and of the demo's export step): open the output, stream the export
 * into it with progress on stderr, commit the file only when everything was written.
 */
import type { Command } from 'commander';
import type { BrazeClient } from '../core/index.js';
import type { ExportFormat, ExportOptions, ExportSummary } from '../export/index.js';
import { type GlobalOptions, openSession } from './context.js';
import { InterruptedError, plural } from './errors.js';
import { type CliLogger, detectTerminal } from './output.js';
import { createProgress, silentProgress } from './progress.js';
import { endAtLastComplete, type SeriesRange } from './range.js';

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
  flags: { quiet?: boolean } = {},
): Promise<ExportSummary> {
  const { exportEvents, openAtomicFile } = await import('../export/index.js');
  const caps = detectTerminal();
  const toStdout = req.out === '-';
  // A bar on the same terminal as the data would garble it.
  const bar = !(toStdout && caps.stdoutIsTTY);
  const progress = flags.quiet
    ? silentProgress
    : await createProgress(caps, { label: 'export', bar });
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const file = toStdout ? undefined : await openAtomicFile(req.out);
  const started = Date.now();
  try {
    const summary = await exportEvents(
      client,
      {
        ...rangeToOptions(
          req.completeOnly
            ? endAtLastComplete(req.range, new Date(), client.bucketZone)
            : req.range,
        ),
        ...(req.events ? { events: req.events } : {}),
        ...(req.match ? { match: req.match } : {}),
        ...(req.appId !== undefined ? { appId: req.appId } : {}),
        ...(req.segmentId !== undefined ? { segmentId: req.segmentId } : {}),
        ...(req.concurrency !== undefined ? { concurrency: req.concurrency } : {}),
        signal: controller.signal,
        onProgress: (p) => progress.update(p),
        ...(req.onBatch ? { onBatch: req.onBatch } : {}),
      },
      req.format,
      file ? file.stream : process.stdout,
    );
    progress.stop();
    await file?.commit();
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    const stats = client.stats();
    log.info(
      `exported ${plural(summary.events, 'event', 'events')}, ${plural(summary.rows, 'row', 'rows')} (${summary.format}) to ${toStdout ? 'stdout' : req.out} in ${secs} s; ${plural(stats.requests, 'request', 'requests')}, ${plural(stats.retries, 'retry', 'retries')}`,
    );
    return summary;
  } catch (err) {
    progress.stop();
    await file?.abort();
    if (file) {
      log.info(
        file.atomic
          ? `export failed: ${req.out} was not written`
          : `export failed: what reached ${req.out} is incomplete`,
      );
    }
    throw controller.signal.aborted && !(err instanceof Error && 'status' in err)
      ? new InterruptedError('export interrupted')
      : err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `export`'s action body: open a session sized to the concurrency, then export. */
export async function runExport(cmd: Command, req: ExportRequest): Promise<ExportSummary> {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const { client, log } = await openSession(
    cmd,
    req.concurrency !== undefined ? { maxConcurrency: req.concurrency } : {},
  );
  return exportWithClient(client, log, req, opts.quiet ? { quiet: true } : {});
}
