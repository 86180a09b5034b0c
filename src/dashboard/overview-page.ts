/**
 * One page of the overview, chosen on the server: a workspace with 20,000 events must not
 * send 20,000 rows (4.5 MB) nor build them in the browser. Searching, the anomalies-only
 * filter, sorting and paging are plain functions of the events' totals. Pure.
 */

import { quoteInput } from '../api/quote.js';
import { nameMatcher } from '../core/name-match.js';
import { OVERVIEW_ORDER_SORTS } from '../sync/db/overview-tables.js';
import type { EventTotals } from './queries.js';

/**
 * Sort keys of the overview table. `status` puts anomalies first (silent, drop, spike,
 * new). The precomputed overviews store a position per key (migration 8), hence the list
 * lives with their tables.
 */
export const OVERVIEW_SORTS = OVERVIEW_ORDER_SORTS;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];
/**
 * The direction each sort key sorts in when `dir` is not given: names and anomalies first
 * ascending (A to Z, silent to new), numbers biggest first.
 */
export const OVERVIEW_SORT_DIRS: Readonly<Record<OverviewSort, 'asc' | 'desc'>> = {
  event: 'asc',
  total: 'desc',
  previous: 'desc',
  change: 'desc',
  status: 'asc',
};

/** Events per page when `limit` is not given. */
export const DEFAULT_OVERVIEW_LIMIT = 200;
/** Largest `limit` accepted. */
export const MAX_OVERVIEW_LIMIT = 1_000;

export interface OverviewPageQuery {
  /**
   * A glob over the event name, as `--match` reads it (`signup*`), when it holds `*`, `?`,
   * `[` or `{`; otherwise a case-insensitive substring. '' = every event.
   */
  q: string;
  sort: OverviewSort;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
  /** Only events with an anomaly finding. */
  anomaliesOnly: boolean;
}

/**
 * Order of the `status` sort: anomaly kinds first (silent, drop, spike, new), then a kind
 * this build does not know, then events without a finding. Shared with the precomputed
 * overviews (precompute.ts), which store the rank.
 */
export const STATUS_RANKS = {
  kinds: { silent: 0, drop: 1, spike: 2, new: 3 } as Readonly<Record<string, number>>,
  unknown: 8,
  none: 9,
} as const;

/** Rank of an event's anomaly kind (undefined: no finding) in the `status` sort. */
export const statusRank = (kind: string | undefined): number =>
  kind === undefined ? STATUS_RANKS.none : (STATUS_RANKS.kinds[kind] ?? STATUS_RANKS.unknown);

function intParam(params: URLSearchParams, name: string, min: number, max: number, dflt: number) {
  const raw = params.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new RangeError(
      `${name} must be an integer from ${min} to ${max}, got ${quoteInput(raw)}`,
    );
  }
  return n;
}

/**
 * Reads `q`, `sort`, `dir`, `offset`, `limit` and `anomalies` (`1`). Without them: the
 * first {@link DEFAULT_OVERVIEW_LIMIT} events by name. Throws a RangeError naming the
 * parameter and its value.
 *
 * @example parseOverviewPage(new URLSearchParams('sort=total&offset=200'));
 */
export function parseOverviewPage(params: URLSearchParams): OverviewPageQuery {
  const sort = params.get('sort') || 'event';
  if (!(OVERVIEW_SORTS as readonly string[]).includes(sort)) {
    throw new RangeError(
      `sort must be one of ${OVERVIEW_SORTS.join(', ')}, got ${quoteInput(sort)}`,
    );
  }
  const dir = params.get('dir') || OVERVIEW_SORT_DIRS[sort as OverviewSort];
  if (dir !== 'asc' && dir !== 'desc') {
    throw new RangeError(`dir must be asc or desc, got ${quoteInput(dir)}`);
  }
  return {
    q: (params.get('q') ?? '').slice(0, 200),
    sort: sort as OverviewSort,
    dir,
    offset: intParam(params, 'offset', 0, 10_000_000, 0),
    limit: intParam(params, 'limit', 1, MAX_OVERVIEW_LIMIT, DEFAULT_OVERVIEW_LIMIT),
    anomaliesOnly: params.get('anomalies') === '1',
  };
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The overview's order of event names: case-insensitive, digits by value (`e2` < `e10`). */
export const compareEventNames = (a: string, b: string): number => collator.compare(a, b);

/**
 * The events matching the query, sorted (ties: biggest total first, then by name), and the
 * requested slice of them. `kinds` maps an event to its anomaly kind (for `status` and the
 * anomalies-only filter).
 */
export function overviewPage(
  events: readonly EventTotals[],
  query: OverviewPageQuery,
  kinds: ReadonlyMap<string, string> = new Map(),
): { matched: number; page: EventTotals[] } {
  const isMatch = nameFilter(query.q);
  const visible = events.filter(
    (e) => isMatch(e.event) && (!query.anomaliesOnly || kinds.has(e.event)),
  );
  visible.sort(overviewOrder(query.sort, query.dir, kinds));
  return {
    matched: visible.length,
    page: visible.slice(query.offset, query.offset + query.limit),
  };
}

/**
 * The overview's order for a sort key and direction, as a comparator for a stable sort:
 * ties go to the biggest total, then by name (then the input order). The precomputed
 * overviews store each event's position in every such order (precompute.ts).
 */
export function overviewOrder(
  sort: OverviewSort,
  dir: 'asc' | 'desc',
  kinds: ReadonlyMap<string, string> = new Map(),
): (a: EventTotals, b: EventTotals) => number {
  const value = (e: EventTotals): number => {
    switch (sort) {
      case 'previous':
        return e.previous;
      case 'change':
        return e.changePct ?? Number.NEGATIVE_INFINITY;
      case 'status':
        return statusRank(kinds.get(e.event));
      default:
        return e.total;
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  return (a, b) => {
    const c = sort === 'event' ? compareEventNames(a.event, b.event) : value(a) - value(b);
    return c * sign || b.total - a.total || compareEventNames(a.event, b.event);
  };
}

/** Whether the overview reads `q` as a `--match` glob (it has glob syntax) rather than a substring. */
export const isGlobQuery = (query: string): boolean => /[*?[{]/.test(query.trim());

/** The overview's name filter: `q` as a `--match` glob when it has glob syntax, else a substring. */
function nameFilter(query: string): (name: string) => boolean {
  const q = query.trim();
  if (isGlobQuery(q)) return nameMatcher(q);
  const lower = q.toLowerCase();
  return (name) => name.toLowerCase().includes(lower);
}
