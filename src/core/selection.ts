/**
 * The error of an event selection that selects nothing the workspace has: a glob that
 * matches none of its events, or exact names it does not list. Shared by sync, export and
 * the connectors, so each says it the same way. It is input validation (a RangeError, as
 * the library's other validation errors), raised after the listing and before any
 * data_series request: a selection that silently matches nothing is how a nightly job
 * writes empty files for months.
 */
import { quoteList } from '../api/quote.js';

/** Which option made the selection: exact names or globs. */
export type SelectionOption = 'events' | 'match';

/**
 * Nothing to read: `option` `values` select none (for `events`: the names not listed) of
 * the `listed` event names of the workspace.
 *
 * @example
 * throw new EventSelectionError('match', ['Zzz*'], 612);
 * // match "Zzz*": matches none of the workspace's 612 events
 */
export class EventSelectionError extends RangeError {
  override name = 'EventSelectionError';
  readonly option: SelectionOption;
  /** The globs, or the names the listing does not hold. */
  readonly values: readonly string[];
  /** How many event names the workspace listed. */
  readonly listed: number;

  constructor(option: SelectionOption, values: readonly string[], listed: number) {
    super(`${option} ${describeSelection(option, values, listed)}`);
    this.option = option;
    this.values = values;
    this.listed = listed;
  }
}

/** `"A", "B": not in the workspace's 12 events`, the part after the option's name. */
export function describeSelection(
  option: SelectionOption,
  values: readonly string[],
  listed: number,
): string {
  // A pasted list of 600 names stays one readable line.
  const quoted = quoteList(values, 20);
  const events = `the workspace's ${listed} ${listed === 1 ? 'event' : 'events'}`;
  return option === 'match'
    ? `${quoted}: matches none of ${events}`
    : `${quoted}: not in ${events}`;
}
