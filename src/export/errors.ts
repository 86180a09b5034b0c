/**
 * The export's error, in the library's one hierarchy (core's BrazeError).
 */

import { quoteList } from '../api/quote.js';
import { BrazeError } from '../core/errors.js';
import type { ExportSummary } from './types.js';

/**
 * Some events failed on their own (see `ExportEventFailure`); every other event was
 * exported in full and the output was completed (a JSON array closed), so it holds
 * exactly the rows of the events not in `summary.failures`. Thrown after the last write.
 * `summary.format` is absent when it comes from `exportRows`.
 *
 * @example
 * try { await exportEvents(client, { length: 7 }, 'csv', sink); }
 * catch (e) {
 *   if (!isExportIncompleteError(e)) throw e;
 *   for (const f of e.summary.failures) console.error(f.event, f.status, f.message);
 * }
 */
export class ExportIncompleteError extends BrazeError {
  readonly summary: Omit<ExportSummary, 'format'> & Partial<Pick<ExportSummary, 'format'>>;

  constructor(summary: ExportIncompleteError['summary']) {
    const { failures, events } = summary;
    const first = failures[0];
    // The first answer in full: when every event failed alike (a mistyped app id), it is
    // the reason, and it is never more than one line.
    const reason = first
      ? ` (first: ${first.status !== null ? `${first.status} ` : ''}${first.message})`
      : '';
    super(
      `${failures.length} of ${events} events failed: ${quoteList(failures.map((f) => f.event))}${reason}; ` +
        `the output holds the other ${events - failures.length} events' rows`,
    );
    this.summary = summary;
  }
}

ExportIncompleteError.prototype.name = 'ExportIncompleteError';

/** @example `if (isExportIncompleteError(e)) console.log(e.summary.failures)` */
export const isExportIncompleteError = (e: unknown): e is ExportIncompleteError =>
  e instanceof ExportIncompleteError;
