/**
 * Which listed events a sync covers: all, the `--event` names, or the `--match` glob.
 * Pure.
 */
import picomatch from 'picomatch';

export interface EventFilter {
  /** Exact names. */
  events?: readonly string[] | undefined;
  /** A glob over names (`Purchase*`, `{Signup,Login}`); case-sensitive, `/` is not special. */
  match?: string | undefined;
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
    // Event names are not paths: `bash` lets `*` match `/` too, `dot` makes dots ordinary.
    const isMatch = picomatch(filter.match, { dot: true, bash: true });
    return { selected: names.filter((n) => isMatch(n)), missing: [] };
  }
  return { selected: [...names], missing: [] };
}
