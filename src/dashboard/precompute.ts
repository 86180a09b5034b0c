/**
 * Precomputed overviews: after a sync, each workspace's overview for the dashboard's
 * standard ranges ({@link PRECOMPUTED_RANGE_DAYS}) is computed once and stored
 * (`overview_ranges`, `overview_rows`, migrations 7 and 8), so that a request for one of
 * them reads one page through the index of its order instead of summing every event and
 * waiting for the anomaly check over all of them (373 ms at 20,000 events).
 *
 * Never wrong, at worst slow: a stored overview is keyed by the range it covers and by the
 * {@link dataVersion} it was computed at. Any write to the counts or watermarks moves the
 * data version — a sync that commits windows and dies before {@link precomputeOverviews}
 * ran, or a tool that writes counts with no sync — so the stored overview no longer
 * matches and the request is answered live (as is any range not precomputed).
 */
import type { Unit } from '../api/constants.js';
import type { BucketZone } from '../api/time.js';
import { type CheckReport, checkDatabase } from '../check/index.js';
import { DATA_VERSION_SQL } from '../sync/db/data-changes.js';
import { OVERVIEW_ORDER_SORTS, overviewOrderColumn } from '../sync/db/overview-tables.js';
import type { Database, Queryable, SqlValue } from '../sync/db/types.js';
import type { OverviewPageQuery } from './overview-page.js';
import {
  compareEventNames,
  isGlobQuery,
  overviewOrder,
  STATUS_RANKS,
  statusRank,
} from './overview-page.js';
import {
  anchorOf,
  type Coverage,
  coverageOf,
  coverageSeconds,
  type EventTotals,
  eventTotals,
  listWorkspaces,
  unitCoverage,
} from './queries.js';
import { resolveRange, type TimeRange } from './range.js';

/**
 * Ranges stored per unit, in days ending at the last complete bucket: the dashboard's
 * defaults (30 days of days, 4 days of hours) and the year view.
 */
export const PRECOMPUTED_RANGE_DAYS: Readonly<Record<Unit, readonly number[]>> = {
  day: [30, 365],
  hour: [4],
};

/**
 * A token that changes whenever anything the dashboard's answers are computed from is
 * written — counts, series and their watermarks, a workspace's zone — by a sync or by any
 * other tool: the sum of `data_changes` (migration 8), which triggers bump in the writing
 * transaction. One small read, whatever the number of series. Null on a database not yet
 * migrated to schema 8 (`serve` does not migrate): then nothing is cached or precomputed.
 */
export async function dataVersion(db: Queryable): Promise<string | null> {
  try {
    const [row] = await db.query<{ v: number | string | null }>(DATA_VERSION_SQL);
    return row?.v === null || row?.v === undefined ? null : String(row.v);
  } catch (error) {
    if (/data_changes/.test(String((error as Error).message))) return null;
    throw error;
  }
}

/**
 * Computes and stores the overviews of every workspace for {@link PRECOMPUTED_RANGE_DAYS}.
 * Run after a sync (the CLI's `sync` and `demo` do); each workspace × unit × range is
 * replaced in one transaction, and so is each unit's anomaly report. A unit with a series
 * without a complete watermark is skipped (its default range and anomaly check depend on
 * the clock). Returns how many were stored.
 *
 * @example await precomputeOverviews(db); // after syncWorkspace({ db, … })
 */
export async function precomputeOverviews(
  db: Database,
  now: () => number = Date.now,
): Promise<number> {
  const version = await dataVersion(db);
  if (version === null) return 0;
  let stored = 0;
  for (const ws of await listWorkspaces(db)) {
    const zone: Required<BucketZone> = {
      utcOffsetMinutes: ws.utcOffsetMinutes,
      hourBuckets: ws.hourBuckets,
    };
    for (const unit of ['day', 'hour'] as const) {
      const summary = ws.units[unit];
      if (!summary?.completeThrough || (await clockDependent(db, ws.name, unit))) continue;
      const report = await checkDatabase(db, { unit, workspace: ws.name, now, ...zone });
      await db.transaction(async (tx) => {
        const key = [ws.name, unit];
        await tx.exec('DELETE FROM overview_findings WHERE workspace = ? AND unit = ?', key);
        await tx.exec(
          'INSERT INTO overview_findings (workspace, unit, data_version, report) VALUES (?, ?, ?, ?)',
          [...key, version, JSON.stringify(report)],
        );
      });
      const kinds = new Map(report.findings.map((f) => [f.event, f.kind]));
      const coverage = await unitCoverage(db, ws.name, unit);
      for (const days of PRECOMPUTED_RANGE_DAYS[unit]) {
        const range = resolveRange(
          { days: String(days) },
          unit,
          anchorOf(summary, unit, now()),
          zone,
        );
        const totals = await eventTotals(db, ws.name, unit, range);
        await store(
          db,
          { workspace: ws.name, unit, days, range, version },
          { totals, kinds, coverage },
        );
        stored++;
      }
    }
  }
  return stored;
}

/** The summary row of an overview: sums over every event (the change needs every previous bucket). */
export function overviewSummary(totals: readonly EventTotals[]): PrecomputedOverview['summary'] {
  let total = 0;
  let previous = 0;
  let previousComplete = true;
  for (const e of totals) {
    total += e.total;
    previous += e.previous;
    previousComplete &&= e.previousComplete;
  }
  return { total, previous, previousComplete };
}

/**
 * Whether a unit's answers depend on the clock: a series without a complete watermark is
 * judged up to the bucket before "now", which moves after the sync. Such a unit is not
 * stored (and is answered live).
 */
async function clockDependent(db: Queryable, workspace: string, unit: Unit): Promise<boolean> {
  const [row] = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM series_watermarks WHERE workspace = ? AND unit = ?
        AND app_id = '' AND segment_id = '' AND complete_through IS NULL`,
    [workspace, unit],
  );
  return Number(row?.n ?? 0) > 0;
}

/**
 * The anomaly report stored for a workspace and unit at the current data version, or null
 * (then run the check live).
 */
export async function readStoredFindings(
  db: Queryable,
  workspace: string,
  unit: Unit,
): Promise<CheckReport | null> {
  const version = await dataVersion(db);
  if (version === null) return null;
  const [row] = await db.query<{ report: string }>(
    'SELECT report FROM overview_findings WHERE workspace = ? AND unit = ? AND data_version = ?',
    [workspace, unit, version],
  );
  return row === undefined ? null : (JSON.parse(row.report) as CheckReport);
}

interface RangeKey {
  workspace: string;
  unit: Unit;
  days: number;
  range: TimeRange;
  version: string;
}

/** Every stored order: its column and its direction. */
const ORDERS = OVERVIEW_ORDER_SORTS.flatMap((sort) =>
  (['asc', 'desc'] as const).map((dir) => ({ sort, dir, column: overviewOrderColumn(sort, dir) })),
);

/** Columns of an `overview_rows` row, in insert order. */
const ROW_COLUMNS = [
  'workspace',
  'unit',
  'days',
  'position',
  'series_id',
  'event',
  'event_lower',
  'name_rank',
  'total',
  'previous',
  'previous_complete',
  'change_pct',
  'status_rank',
  ...ORDERS.map((o) => o.column),
];

/** Rows per INSERT statement (SQLite allows 32,766 parameters; 23 per row). */
const INSERT_BATCH = 500;

/** Each event's position (index into `totals`) in the overview sorted as `order`. */
function positions(
  totals: readonly EventTotals[],
  order: (a: EventTotals, b: EventTotals) => number,
): number[] {
  // A stable sort of the indices: ties keep the totals' order, as the live sort does.
  const sorted = totals.map((_, i) => i).sort((a, b) => order(totals[a]!, totals[b]!) || a - b);
  const at = new Array<number>(totals.length);
  sorted.forEach((i, k) => {
    at[i] = k;
  });
  return at;
}

/** What one stored range is computed from, at the key's data version. */
interface RangeContent {
  totals: readonly EventTotals[];
  kinds: ReadonlyMap<string, string>;
  coverage: Coverage;
}

async function store(
  db: Database,
  key: RangeKey,
  { totals, kinds, coverage }: RangeContent,
): Promise<void> {
  const byName = totals
    .map((_, i) => i)
    .sort((a, b) => compareEventNames(totals[a]!.event, totals[b]!.event));
  // Dense rank: names the collation holds equal share a rank, as the live sort ties them.
  const nameRank = new Array<number>(totals.length);
  let rank = 0;
  byName.forEach((i, k) => {
    if (k > 0 && compareEventNames(totals[byName[k - 1]!]!.event, totals[i]!.event) !== 0) rank++;
    nameRank[i] = rank;
  });
  // The live comparator, so a stored page is exactly the live one.
  const orders = ORDERS.map((o) => positions(totals, overviewOrder(o.sort, o.dir, kinds)));
  const { total, previous, previousComplete } = overviewSummary(totals);
  const where = [key.workspace, key.unit, key.days];
  const placeholders = `(${ROW_COLUMNS.map(() => '?').join(', ')})`;
  await db.transaction(async (tx) => {
    await tx.exec('DELETE FROM overview_rows WHERE workspace = ? AND unit = ? AND days = ?', where);
    await tx.exec(
      'DELETE FROM overview_ranges WHERE workspace = ? AND unit = ? AND days = ?',
      where,
    );
    for (let start = 0; start < totals.length; start += INSERT_BATCH) {
      const params: SqlValue[] = [];
      const chunk = totals.slice(start, start + INSERT_BATCH);
      chunk.forEach((e, j) => {
        const position = start + j;
        params.push(
          ...where,
          position,
          e.id,
          e.event,
          e.event.toLowerCase(),
          nameRank[position]!,
          e.total,
          e.previous,
          e.previousComplete ? 1 : 0,
          e.changePct,
          statusRank(kinds.get(e.event)),
          ...orders.map((at) => at[position]!),
        );
      });
      await tx.exec(
        `INSERT INTO overview_rows (${ROW_COLUMNS.join(', ')})
         VALUES ${chunk.map(() => placeholders).join(', ')}`,
        params,
      );
    }
    await tx.exec(
      `INSERT INTO overview_ranges (workspace, unit, days, range_from, range_to, data_version,
         event_count, total, previous, previous_complete, coverage_from, coverage_through)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        ...where,
        key.range.from,
        key.range.to,
        key.version,
        totals.length,
        total,
        previous,
        previousComplete ? 1 : 0,
        ...coverageSeconds(coverage),
      ],
    );
  });
}

/** An overview's page with its totals over every event: stored, or computed live. */
export interface PrecomputedOverview {
  eventCount: number;
  /** Stored with a precomputed range; computed by the caller for a live one. */
  coverage?: Coverage;
  summary: { total: number; previous: number; previousComplete: boolean };
  matched: number;
  page: EventTotals[];
}

interface StoredRow {
  series_id: number;
  event: string;
  total: number;
  previous: number;
  previous_complete: number;
  change_pct: number | null;
}

/**
 * The page of a stored overview of exactly `range`, or null when none was stored for it at
 * the current data version (then answer live). Sorts and pages in SQL over the indexed
 * `overview_rows`, with the same order as overviewPage (ties: biggest total, then name).
 * The search is a substring test on the lower-cased name (no index can serve a
 * substring; it reads one small row per event of this range, not their counts); a glob
 * search (see isGlobQuery) returns null and is answered live.
 */
export async function readPrecomputed(
  db: Queryable,
  workspace: string,
  unit: Unit,
  range: TimeRange,
  query: OverviewPageQuery,
): Promise<PrecomputedOverview | null> {
  // A glob is matched by core's matcher, in JS: such a search is answered live.
  if (isGlobQuery(query.q)) return null;
  const version = await dataVersion(db);
  if (version === null) return null;
  const [head] = await db.query<{
    days: number;
    event_count: number;
    total: number;
    previous: number;
    previous_complete: number;
    coverage_from: number | string | null;
    coverage_through: number | string | null;
  }>(
    `SELECT days, event_count, total, previous, previous_complete, coverage_from,
            coverage_through FROM overview_ranges
      WHERE workspace = ? AND unit = ? AND range_from = ? AND range_to = ? AND data_version = ?`,
    [workspace, unit, range.from, range.to, version],
  );
  if (head === undefined) return null;
  const filters = ['workspace = ?', 'unit = ?', 'days = ?'];
  const params: SqlValue[] = [workspace, unit, Number(head.days)];
  const q = query.q.trim().toLowerCase();
  if (q) {
    filters.push(
      db.dialect === 'postgres' ? 'strpos(event_lower, ?) > 0' : 'instr(event_lower, ?) > 0',
    );
    params.push(q);
  }
  if (query.anomaliesOnly) {
    filters.push('status_rank < ?');
    params.push(STATUS_RANKS.none);
  }
  const where = filters.join(' AND ');
  const rows = await db.query<StoredRow>(
    `SELECT series_id, event, total, previous, previous_complete, change_pct FROM overview_rows
      WHERE ${where} ORDER BY ${overviewOrderColumn(query.sort, query.dir)} LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  // Without a filter every event matches: no count of the rows.
  const [count] =
    !q && !query.anomaliesOnly
      ? [{ n: head.event_count }]
      : await db.query<{ n: number }>(
          `SELECT COUNT(*) AS n FROM overview_rows WHERE ${where}`,
          params,
        );
  return {
    eventCount: Number(head.event_count),
    coverage: coverageOf(head.coverage_from, head.coverage_through),
    summary: {
      total: Number(head.total),
      previous: Number(head.previous),
      previousComplete: Number(head.previous_complete) === 1,
    },
    matched: Number(count?.n ?? 0),
    page: rows.map((r) => ({
      id: Number(r.series_id),
      event: r.event,
      total: Number(r.total),
      previous: Number(r.previous),
      previousComplete: Number(r.previous_complete) === 1,
      changePct: r.change_pct === null ? null : Number(r.change_pct),
    })),
  };
}
