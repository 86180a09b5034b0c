/**
 * Which listed events a run covers (all, exact names, or globs) and the error of a
 * selection that selects nothing the workspace has: a glob that matches none of its events,
 * or exact names it does not list. The one rule of sync, export and the connectors, so each
 * selects and says it the same way. It is input validation (an option error,
 * code 'option', as the library's other validation errors), raised after the listing and before any
 * data_series request: a selection that silently matches nothing is how a nightly job
 * writes empty files for months.
 */
import { BrazeOptionRangeError } from '../api/option-errors.js';
import { quoteList } from '../api/quote.js';
import { nameMatcher } from './name-match.js';

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
export class EventSelectionError extends BrazeOptionRangeError {
  override name = 'EventSelectionError';
  declare readonly option: SelectionOption;
  /** The globs, or the names the listing does not hold. */
  readonly values: readonly string[];
  /** How many event names the workspace listed. */
  readonly listed: number;

  constructor(option: SelectionOption, values: readonly string[], listed: number) {
    super(option, values, `${option} ${describeSelection(option, values, listed)}`);
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

export interface EventFilter {
  /** Exact names. */
  events?: readonly string[] | undefined;
  /** A glob over names (`Purchase*`, `{Signup,Login}`; syntax: {@link nameMatcher}). */
  match?: string | readonly string[] | undefined;
}

export interface SelectedEvents {
  /** Names selected, in listing order (requested names not listed come last). */
  selected: string[];
  /** `events` names the listing did not contain. */
  missing: string[];
}

/**
 * Applies the filter to the workspace's event names.
 *
 * @example
 * selectEvents(['A', 'B1', 'B2'], { match: 'B*' }); // { selected: ['B1', 'B2'], missing: [] }
 */
export function selectEvents(names: readonly string[], filter: EventFilter): SelectedEvents {
  if (filter.events && filter.events.length > 0) {
    const listed = new Set(names);
    const wanted = [...new Set(filter.events)];
    return {
      selected: wanted.filter((n) => listed.has(n)),
      missing: wanted.filter((n) => !listed.has(n)),
    };
  }
  if (filter.match !== undefined) {
    return { selected: names.filter(nameMatcher(filter.match)), missing: [] };
  }
  return { selected: [...names], missing: [] };
}

/**
 * Like {@link selectEvents}, but a filter that selects nothing to read is an
 * EventSelectionError: any `events` name the listing lacks (named explicitly, so a typo, not
 * a choice), or a `match` glob that matches no listed name.
 *
 * @example
 * requireEvents(['A'], { match: 'Z*' }); // throws: match "Z*": matches none of the workspace's 1 event
 */
export function requireEvents(names: readonly string[], filter: EventFilter): string[] {
  const { selected, missing } = selectEvents(names, filter);
  if (missing.length > 0) throw new EventSelectionError('events', missing, names.length);
  if (filter.match !== undefined && selected.length === 0) {
    throw new EventSelectionError('match', [filter.match].flat(), names.length);
  }
  return selected;
}
