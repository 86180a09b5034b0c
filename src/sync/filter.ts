/**
 * Which listed events a sync covers: all, the `--event` names, or the `--match` glob.
 * Pure.
 */
import { nameMatcher } from '../core/name-match.js';
import { EventSelectionError } from '../core/selection.js';

export interface EventFilter {
  /** Exact names. */
  events?: readonly string[] | undefined;
  /** A glob over names (`Purchase*`, `{Signup,Login}`; syntax: {@link nameMatcher}). */
  match?: string | readonly string[] | undefined;
}

export interface SelectedEvents {
  /** Names to sync, in listing order (requested names not listed come last). */
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
