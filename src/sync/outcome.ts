/**
 * How a run ended: which errors stop everything, the one-line error of the run, the budget
 * left. Pure.
 */

import { quoteInput, quoteList } from '../api/quote.js';
import { isBrazeAuthError, isBrazeError, isBrazeRateLimitError } from '../core/errors.js';
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

/** The `error` of the run row: what stopped it, failed series, missing events. */
export function failureMessage(summary: SyncSummary, fatal: unknown): string | null {
  const parts: string[] = [];
  if (summary.status === 'interrupted') parts.push('interrupted');
  else if (fatal !== undefined) parts.push(oneLine(fatal));
  if (summary.failures.length > 0) {
    // The failed events by name, so the journal (and `status`) says which, not just how many.
    const events = [...new Set(summary.failures.map((f) => f.event))];
    const first = summary.failures[0]!;
    parts.push(
      `${summary.failures.length} of ${summary.series} series failed: events ${quoteList(events)} (first: ${quoteInput(first.event)}: ${first.error})`,
    );
  }
  if (summary.missingEvents.length > 0) {
    parts.push(`not in the workspace: ${quoteList(summary.missingEvents, 20)}`);
  }
  return parts.length > 0 ? parts.join('; ') : null;
}
