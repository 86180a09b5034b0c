/**
 * Migration 7: the dashboard's precomputed overviews (src/dashboard/precompute.ts), so
 * that a default-range overview of 20,000 events reads one page through an index instead
 * of summing every event.
 *
 * `overview_ranges` holds one row per workspace × unit × standard range (`days`): the
 * range it was computed for (epoch ms), the data version it was computed at, the summary
 * row and the event count. `overview_rows` holds one row per event of that range: its
 * totals, change and anomaly kind, plus the sort keys the overview table orders by
 * (`name_rank`: the rank of the name in the dashboard's collation; `status_rank`: the
 * anomaly ordering; `position`: the final tie-break). A reader uses them only while the
 * range and data version still match; anything else is answered live.
 *
 * `overview_findings` holds the anomaly check's report (JSON) per workspace × unit at the
 * data version, for the dashboard's anomalies API and badges.
 */
import type { Dialect } from './types.js';

const ddl = (bigint: string, real: string) => `
CREATE TABLE overview_ranges (
  workspace         TEXT    NOT NULL,
  unit              TEXT    NOT NULL CHECK (unit IN ('day', 'hour')),
  days              INTEGER NOT NULL,
  range_from        ${bigint} NOT NULL,
  range_to          ${bigint} NOT NULL,
  data_version      TEXT    NOT NULL,
  event_count       INTEGER NOT NULL,
  total             ${bigint} NOT NULL,
  previous          ${bigint} NOT NULL,
  previous_complete INTEGER NOT NULL,
  PRIMARY KEY (workspace, unit, days)
);
CREATE TABLE overview_rows (
  workspace         TEXT    NOT NULL,
  unit              TEXT    NOT NULL,
  days              INTEGER NOT NULL,
  position          INTEGER NOT NULL,
  series_id         ${bigint} NOT NULL,
  event             TEXT    NOT NULL,
  event_lower       TEXT    NOT NULL,
  name_rank         INTEGER NOT NULL,
  total             ${bigint} NOT NULL,
  previous          ${bigint} NOT NULL,
  previous_complete INTEGER NOT NULL,
  change_pct        ${real},
  status_rank       INTEGER NOT NULL,
  PRIMARY KEY (workspace, unit, days, position)
);
CREATE TABLE overview_findings (
  workspace    TEXT NOT NULL,
  unit         TEXT NOT NULL CHECK (unit IN ('day', 'hour')),
  data_version TEXT NOT NULL,
  report       TEXT NOT NULL,
  PRIMARY KEY (workspace, unit)
);
CREATE INDEX overview_rows_name ON overview_rows (workspace, unit, days, name_rank);
CREATE INDEX overview_rows_total ON overview_rows (workspace, unit, days, total);
CREATE INDEX overview_rows_previous ON overview_rows (workspace, unit, days, previous);
CREATE INDEX overview_rows_change ON overview_rows (workspace, unit, days, change_pct);
CREATE INDEX overview_rows_status ON overview_rows (workspace, unit, days, status_rank, total);
`;

export const OVERVIEW_TABLES: Readonly<Record<Dialect, string>> = {
  sqlite: ddl('INTEGER', 'REAL'),
  postgres: ddl('BIGINT', 'DOUBLE PRECISION'),
};

/**
 * The overview's sort keys (src/dashboard/overview-page.ts reads them from here). Each
 * has a stored position per direction (migration 8): a new key needs a new migration.
 */
export const OVERVIEW_ORDER_SORTS = ['event', 'total', 'previous', 'change', 'status'] as const;

/** Column of a row's 0-based position in the overview sorted by `sort`, `dir`. */
export const overviewOrderColumn = (
  sort: (typeof OVERVIEW_ORDER_SORTS)[number],
  dir: 'asc' | 'desc',
): string => `ord_${sort}_${dir}`;

const ORDER_COLUMNS = OVERVIEW_ORDER_SORTS.flatMap((sort) =>
  (['asc', 'desc'] as const).map((dir) => overviewOrderColumn(sort, dir)),
);

/**
 * Migration 8, second part: each stored row's position in every order the overview table
 * offers (sort key × direction, ties as the live sort breaks them), one index each, so a
 * page is read as `ORDER BY ord_… LIMIT … OFFSET …` through its index: 200 rows, not a
 * sort of every event (sorting 20,000 rows by status then total, with a table lookup per
 * row, took 90 ms). The sort-key indexes of migration 7 go (the status one stays: the
 * anomalies-only filter counts through it). Rows stored before have no positions and a
 * data version of the old form: they are deleted (the next precompute stores them again;
 * until then requests are answered live).
 */
export const OVERVIEW_ORDER_SCHEMA = `
DELETE FROM overview_rows;
DELETE FROM overview_ranges;
DELETE FROM overview_findings;
DROP INDEX overview_rows_name;
DROP INDEX overview_rows_total;
DROP INDEX overview_rows_previous;
DROP INDEX overview_rows_change;
${ORDER_COLUMNS.map((c) => `ALTER TABLE overview_rows ADD COLUMN ${c} INTEGER;`).join('\n')}
${ORDER_COLUMNS.map((c) => `CREATE INDEX overview_rows_${c} ON overview_rows (workspace, unit, days, ${c});`).join('\n')}
`;

/**
 * Migration 10: each stored overview range also keeps the unit's coverage (the oldest and
 * newest stored bucket start of any totals series, epoch seconds; null when none), read
 * at the same data version as its rows. Computing it is one index probe per series, which
 * at 20,000 events cost a cold overview 4× the 2,000-event time; stored, a precomputed
 * answer reads it with its summary row. Rows stored before have none: they are deleted
 * (answered live until the next precompute).
 */
export const OVERVIEW_COVERAGE_SCHEMA: Readonly<Record<Dialect, string>> = {
  sqlite: coverageDdl('INTEGER'),
  postgres: coverageDdl('BIGINT'),
};

function coverageDdl(bigint: string): string {
  return `
DELETE FROM overview_rows;
DELETE FROM overview_ranges;
ALTER TABLE overview_ranges ADD COLUMN coverage_from ${bigint};
ALTER TABLE overview_ranges ADD COLUMN coverage_through ${bigint};
`;
}
