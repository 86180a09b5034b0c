/**
 * How a run ended: which errors stop everything, the one-line error of the run, the budget
 * left. Pure.
 */

import { quoteInput, quoteList } from '../api/quote.js';
import {
  failureKind,
  isBrazeAuthError,
  isBrazeError,
  isBrazeRateLimitError,
} from '../core/errors.js';
import type { RateLimitState } from '../core/types.js';
import type { BudgetLeft, SyncSummary } from './types.js';

/** The budget left in a bucket, for the summary. */
export function budget(state: RateLimitState | undefined): BudgetLeft | null {
  if (!state) return null;
  return {
    limit: state.limit,
    remaining: state.remaining,
    resetAt: state.resetAt?.toISOString() ?? null,
  };
}

/** Errors that make every other series pointless too. */
export function isFatal(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  if (!isBrazeError(error)) return true; // database or programming errors
  return isBrazeAuthError(error) || isBrazeRateLimitError(error);
}

/** An error as one line. */
export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}

/**
 * Why a run stopped after series in a row failed for want of Braze, one line: the same
 * failure each time is named (`each with 503 Service Unavailable`), mixed ones listed.
 *
 * @example brazeDownReason([e503, e503, e503, e503, e503]);
 * // '5 series in a row failed, each with 503 Service Unavailable after the retries (…)'
 */
export function brazeDownReason(errors: readonly unknown[]): string {
  const kinds = [...new Set(errors.map(failureKind))];
  const how = kinds.length === 1 ? `each with ${kinds[0]}` : `with ${kinds.join(', ')}`;
  return (
    `${errors.length} series in a row failed, ${how} after the retries ` +
    '(Braze looks down; the other series were not attempted)'
  );
}

/**
 * The series as done, failed and not attempted, when the run stopped before trying them
 * all: "8 of 300 series failed" alone read as if the other 292 were fine.
 */
export function seriesCounts(s: SyncSummary): string {
  const cutShort = s.series - s.seriesDone - s.seriesFailed - s.seriesNotAttempted;
  return (
    `${s.seriesDone} of ${s.series} series done, ${s.seriesFailed} failed` +
    (cutShort > 0 ? `, ${cutShort} cut short` : '') +
    `, ${s.seriesNotAttempted} not attempted`
  );
}

/** The `error` of the run row: what stopped it, failed series, missing events. */
export function failureMessage(summary: SyncSummary, fatal: unknown): string | null {
  const parts: string[] = [];
  if (summary.status === 'interrupted') parts.push('interrupted');
  else if (summary.stopReason !== null) parts.push(`stopped early: ${summary.stopReason}`);
  else if (fatal !== undefined) parts.push(oneLine(fatal));
  const stoppedEarly = summary.seriesNotAttempted > 0;
  if (stoppedEarly) parts.push(seriesCounts(summary));
  if (summary.failures.length > 0) {
    // The failed events by name, so the journal (and `status`) says which, not just how many.
    const events = [...new Set(summary.failures.map((f) => f.event))];
    const first = summary.failures[0]!;
    const which = `events ${quoteList(events)} (first: ${quoteInput(first.event)}: ${first.error})`;
    parts.push(
      stoppedEarly
        ? `failed: ${which}`
        : `${summary.failures.length} of ${summary.series} series failed: ${which}`,
    );
  }
  if (summary.missingEvents.length > 0) {
    parts.push(`not in the workspace: ${quoteList(summary.missingEvents, 20)}`);
  }
  return parts.length > 0 ? parts.join('; ') : null;
}
