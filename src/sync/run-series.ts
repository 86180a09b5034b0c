/**
 * Runs planned series, each one's windows in order, several series at a time, with the
 * sync's failure policy: an error that makes every other series pointless too (a rejected
 * key, a spent rate limit, a database error, an abort) stops the run; any other fails its
 * series only, until {@link MAX_CONSECUTIVE_SERIES_FAILURES} in a row say Braze itself is
 * down. One event's failure is that event's failure: a 4xx about one request (a reserved
 * name's 400, a deleted name's 404) and a name that cannot be URL-encoded fail their series
 * and never count towards stopping. Shared by the sync engine (rows into a database) and
 * the connectors (records out).
 */

import { runLimited } from '../core/concurrency.js';
import { isEventScopedError } from '../core/errors.js';
import { eventNameProblem } from '../core/validate.js';
import { isFatal } from './outcome.js';
import type { PlannedWindow } from './planner.js';

/**
 * Consecutive series failed for want of Braze (network, timeout, 5xx after the retries, an
 * unusable body) after which a run stops: Braze is down, not one series. A 4xx about one
 * event (a reserved name's 400, a deleted name's 404) says nothing of Braze and neither
 * counts nor breaks the streak; 401/403 and a spent rate limit stop the run at once.
 */
export const MAX_CONSECUTIVE_SERIES_FAILURES = 5;

/** What a plan must hold: its event (to check the name) and its windows. */
type SeriesPlanLike = { key: { event: string }; windows: readonly PlannedWindow[] };

export interface SeriesRunOptions<P extends SeriesPlanLike> {
  plans: readonly P[];
  concurrency: number;
  signal?: AbortSignal | undefined;
  /** Fetches and hands on one window; throws to fail the series. */
  runWindow: (plan: P, window: PlannedWindow) => Promise<void>;
  /**
   * A series failed with an error that does not stop the run: a BrazeError, or a
   * RangeError `the name …` for a name that cannot be sent (no request was made).
   */
  onSeriesFailed: (plan: P, error: unknown) => void;
  /**
   * A series is being worked on (before its name check and first window): a series never
   * started when the run stopped was not attempted.
   */
  onSeriesStarted?: (plan: P) => void;
  /**
   * The run stops because {@link MAX_CONSECUTIVE_SERIES_FAILURES} series in a row failed for
   * want of Braze; `errors` are theirs, in order (the last is what `runSeriesPlans` returns).
   */
  onBrazeDown?: (errors: readonly unknown[]) => void;
  /** A series ended (done, failed or cut short). */
  onSeriesEnded?: (plan: P) => void;
  /** A series ran every window of its plan (none left to fetch; before `onSeriesEnded`). */
  onSeriesDone?: (plan: P) => void;
}

/**
 * Runs every plan; resolves with the error that stopped the run, if any (`undefined` when
 * every series ran, failed ones reported through `onSeriesFailed`). An abort of `signal`
 * stops it with the signal's reason.
 *
 * @example
 * const fatal = await runSeriesPlans({ plans, concurrency: 4, runWindow, onSeriesFailed });
 */
export async function runSeriesPlans<P extends SeriesPlanLike>(
  options: SeriesRunOptions<P>,
): Promise<unknown> {
  const { signal } = options;
  let fatal: unknown;
  let streak: unknown[] = [];
  const runSeries = async (plan: P) => {
    try {
      // Stopped while this series waited for its turn: it is not attempted.
      if (plan.windows.length > 0 && (signal?.aborted || fatal !== undefined)) return;
      options.onSeriesStarted?.(plan);
      const problem = plan.windows.length > 0 ? eventNameProblem(plan.key.event) : undefined;
      if (problem !== undefined) {
        options.onSeriesFailed(plan, new RangeError(`the name ${problem}`));
        return;
      }
      for (const window of plan.windows) {
        if (signal?.aborted || fatal !== undefined) return;
        await options.runWindow(plan, window);
      }
      streak = [];
      options.onSeriesDone?.(plan);
    } catch (error) {
      if (isFatal(error, signal)) {
        fatal ??= error;
        return;
      }
      options.onSeriesFailed(plan, error);
      if (isEventScopedError(error)) return;
      streak.push(error);
      if (streak.length >= MAX_CONSECUTIVE_SERIES_FAILURES && fatal === undefined) {
        fatal = error;
        options.onBrazeDown?.(streak);
      }
    } finally {
      options.onSeriesEnded?.(plan);
    }
  };
  await runLimited(options.plans, options.concurrency, runSeries, () =>
    Boolean(signal?.aborted || fatal !== undefined),
  );
  if (signal?.aborted) fatal ??= signal.reason ?? new Error('aborted');
  return fatal;
}
