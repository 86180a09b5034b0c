/**
 * Which listed events a sync covers: all, the `--event` names, or the `--match` glob.
 * Pure.
 */
import { nameMatcher } from '../core/name-match.js';

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
