/**
 * Migration 5: `count_blocks`, per-series rollups of `counts`, so that a range's total is
 * read from a few block rows plus the rows at its edges instead of every bucket (the
 * dashboard's overview sums 20,000 events × a year).
 *
 * A block holds the buckets of one series whose `bucket_start` (epoch seconds) falls in
 * `[block_start, block_start + width)`, with their `total` and how many they are
 * (`buckets`). Width: {@link BLOCK_SECONDS} (16 days for day buckets, 1 day for hour
 * buckets). Blocks are keyed by bucket starts, not by calendar: a bucket belongs to
 * exactly one block whatever the workspace's day-bucket offset, so any range of whole
 * buckets is a sum of whole blocks plus whole rows (see {@link splitRange}).
 *
 * Also an index of `series` by unit with its watermarks, for the dashboard's list of
 * workspaces and units.
 *
 * The database maintains the blocks itself, with triggers on `counts` (SQLite: per row;
 * PostgreSQL: per statement, from its transition tables, so one window's upsert updates
 * its blocks with one more statement). They run inside the writing transaction, whoever
 * writes (the sync, the `event_counts` view's triggers, another loader): a crash leaves
 * rows and blocks of the same commit, and no writer can forget them.
 */
import type { Unit } from '../../api/constants.js';
import { bucketSpanMs } from '../../api/time.js';
import type { Dialect } from './types.js';

/** Width of a block per unit, in seconds. */
export const BLOCK_SECONDS: Readonly<Record<Unit, number>> = {
  day: bucketSpanMs('day', 16) / 1000,
  hour: bucketSpanMs('day', 1) / 1000,
};

/** SQL expression: start of the block of `row`'s bucket (`row` has series_id, bucket_start). */
function blockOf(row: string, series: string): string {
  return `${row}.bucket_start - ${row}.bucket_start % (CASE ${series}.unit WHEN 'hour' THEN ${BLOCK_SECONDS.hour} ELSE ${BLOCK_SECONDS.day} END)`;
}

const TABLE = (withoutRowid: string) => `
CREATE TABLE count_blocks (
  series_id   INTEGER NOT NULL,
  block_start BIGINT  NOT NULL,
  total       BIGINT  NOT NULL,
  buckets     INTEGER NOT NULL,
  PRIMARY KEY (series_id, block_start)
)${withoutRowid};
INSERT INTO count_blocks (series_id, block_start, total, buckets)
SELECT c.series_id, ${blockOf('c', 's')}, SUM(c.count), COUNT(*)
  FROM counts c JOIN series s ON s.id = c.series_id
 GROUP BY c.series_id, ${blockOf('c', 's')};
-- The dashboard lists units and their watermarks on every request: from this index, not
-- from the series rows (20,000 events: a few ms instead of tens).
CREATE INDEX series_by_unit
  ON series (workspace, unit, app_id, segment_id, synced_through, complete_through, updated_at);
`;

/** SQLite: add / remove one row's count in its block (a block left empty is deleted). */
const sqliteAdd = (row: 'NEW' | 'OLD', sign: '+' | '-') =>
  sign === '+'
    ? `INSERT INTO count_blocks (series_id, block_start, total, buckets)
  SELECT NEW.series_id, ${blockOf('NEW', 's')}, NEW.count, 1 FROM series s WHERE s.id = NEW.series_id
  ON CONFLICT (series_id, block_start) DO UPDATE SET
    total = total + excluded.total, buckets = buckets + 1;`
    : `UPDATE count_blocks SET total = total - ${row}.count, buckets = buckets - 1
   WHERE series_id = ${row}.series_id
     AND block_start = (SELECT ${blockOf(row, 's')} FROM series s WHERE s.id = ${row}.series_id);
  DELETE FROM count_blocks
   WHERE series_id = ${row}.series_id AND buckets = 0
     AND block_start = (SELECT ${blockOf(row, 's')} FROM series s WHERE s.id = ${row}.series_id);`;

const SQLITE = `${TABLE(' WITHOUT ROWID')}
CREATE TRIGGER count_blocks_insert AFTER INSERT ON counts BEGIN
  ${sqliteAdd('NEW', '+')}
END;
CREATE TRIGGER count_blocks_update AFTER UPDATE OF series_id, bucket_start, count ON counts
  WHEN OLD.series_id IS NOT NEW.series_id OR OLD.bucket_start IS NOT NEW.bucket_start
    OR OLD.count IS NOT NEW.count BEGIN
  ${sqliteAdd('OLD', '-')}
  ${sqliteAdd('NEW', '+')}
END;
CREATE TRIGGER count_blocks_delete AFTER DELETE ON counts BEGIN
  ${sqliteAdd('OLD', '-')}
END;
`;

/** Variables of {@link oneSeriesPath}. */
const ONE_SERIES_VARS = '  lo INTEGER;\n  hi INTEGER;\n  width BIGINT;\n';

/**
 * Migration 11's start of a trigger function: `lo`/`hi` are the least and greatest series
 * id of the query `ids`; none, and the statement changed no row; one, and `apply` writes
 * its blocks with `lo` and its block `width`, and the function ends. A series id without
 * a `series` row has nothing rolled up, as the general path's join drops it.
 */
const oneSeriesPath = (
  ids: string,
  apply: string,
) => `  SELECT min(series_id), max(series_id) INTO lo, hi FROM (${ids}) AS ids;
  IF lo IS NULL THEN RETURN NULL; END IF;
  IF lo = hi THEN
    SELECT CASE unit WHEN 'hour' THEN ${BLOCK_SECONDS.hour} ELSE ${BLOCK_SECONDS.day} END INTO width
      FROM series WHERE id = lo;
    IF width IS NULL THEN RETURN NULL; END IF;
    ${apply}
    RETURN NULL;
  END IF;`;

/**
 * PostgreSQL: one statement per writing statement, from its transition tables (`d` is a
 * query of signed rows: series_id, bucket_start, count, n). Keys are sorted so concurrent
 * writers lock block rows in one order. `first` is a transition table that is empty when
 * the statement changed no row (an upsert fires both its INSERT and UPDATE triggers).
 */
const pgApply = (
  name: string,
  first: 'new_rows' | 'old_rows',
  d: string,
  series: string,
  create: string,
  options: string,
  oneSeriesIds?: string,
) => `
${create} FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql${options} AS $$
DECLARE
${oneSeriesIds ? ONE_SERIES_VARS : ''}  empty_ids INTEGER[];
  empty_starts BIGINT[];
BEGIN
${
  oneSeriesIds
    ? oneSeriesPath(
        oneSeriesIds,
        `WITH d AS (${d}),
    up AS (
      INSERT INTO count_blocks AS b (series_id, block_start, total, buckets)
      SELECT lo, d.bucket_start - d.bucket_start % width, SUM(d.count), SUM(d.n) FROM d
       GROUP BY 2 HAVING SUM(d.count) <> 0 OR SUM(d.n) <> 0 ORDER BY 2
      ON CONFLICT (series_id, block_start) DO UPDATE SET
        total = b.total + excluded.total, buckets = b.buckets + excluded.buckets
      RETURNING b.buckets, b.block_start
    )
    SELECT array_agg(block_start) INTO empty_starts FROM up WHERE buckets = 0;
    IF empty_starts IS NOT NULL THEN
      DELETE FROM count_blocks b WHERE b.series_id = lo AND b.block_start = ANY (empty_starts);
    END IF;`,
      )
    : `  IF NOT EXISTS (SELECT 1 FROM ${first}) THEN RETURN NULL; END IF;`
}
  WITH d AS (${d}),
  delta AS (
    SELECT d.series_id, ${blockOf('d', 's')} AS block_start, SUM(d.count) AS total, SUM(d.n) AS buckets
      FROM d JOIN ${series} s ON s.id = d.series_id
     GROUP BY 1, 2
    HAVING SUM(d.count) <> 0 OR SUM(d.n) <> 0
     ORDER BY 1, 2
  ), up AS (
    INSERT INTO count_blocks AS b (series_id, block_start, total, buckets)
    SELECT series_id, block_start, total, buckets FROM delta
    ON CONFLICT (series_id, block_start) DO UPDATE SET
      total = b.total + excluded.total, buckets = b.buckets + excluded.buckets
    RETURNING b.series_id, b.block_start, b.buckets
  )
  SELECT array_agg(series_id), array_agg(block_start) INTO empty_ids, empty_starts
    FROM up WHERE buckets = 0;
  -- A block left without rows goes (a later statement: one statement cannot touch a row twice).
  IF empty_ids IS NOT NULL THEN
    DELETE FROM count_blocks b USING unnest(empty_ids, empty_starts) AS z(series_id, block_start)
     WHERE b.series_id = z.series_id AND b.block_start = z.block_start;
  END IF;
  RETURN NULL;
END $$;`;

/**
 * The PostgreSQL trigger functions. `series(ids)` is the SQL of the `series` rows (`id`,
 * `unit`) whose ids the query `ids` returns; `create` is `CREATE` or `CREATE OR REPLACE`;
 * `options` goes after `LANGUAGE plpgsql` (e.g. ` SET …`).
 */
const pgFunctions = (
  series: (ids: string) => string,
  create: string,
  options = '',
  oneSeries = false,
) => `
-- Inserts only add to blocks (none is left empty): one upsert, the cheapest path, since
-- every new bucket a sync writes takes it.
${create} FUNCTION count_blocks_insert() RETURNS trigger LANGUAGE plpgsql${options} AS $$
${oneSeries ? `DECLARE\n${ONE_SERIES_VARS}` : ''}BEGIN
${
  oneSeries
    ? oneSeriesPath(
        'SELECT series_id FROM new_rows',
        `INSERT INTO count_blocks AS b (series_id, block_start, total, buckets)
    SELECT lo, n.bucket_start - n.bucket_start % width, SUM(n.count), COUNT(*) FROM new_rows n
     GROUP BY 2 ORDER BY 2
    ON CONFLICT (series_id, block_start) DO UPDATE SET
      total = b.total + excluded.total, buckets = b.buckets + excluded.buckets;`,
      )
    : `  -- An upsert fires this trigger and the UPDATE one, one of them often with no rows.
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN RETURN NULL; END IF;`
}
  INSERT INTO count_blocks AS b (series_id, block_start, total, buckets)
  SELECT n.series_id, ${blockOf('n', 's')}, SUM(n.count), COUNT(*)
    FROM new_rows n JOIN ${series('SELECT DISTINCT series_id FROM new_rows')} s ON s.id = n.series_id
   GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (series_id, block_start) DO UPDATE SET
    total = b.total + excluded.total, buckets = b.buckets + excluded.buckets;
  RETURN NULL;
END $$;
${pgApply(
  'count_blocks_update',
  'old_rows',
  `SELECT series_id, bucket_start, count, 1 AS n FROM new_rows
     UNION ALL SELECT series_id, bucket_start, -count, -1 FROM old_rows`,
  series('SELECT series_id FROM new_rows UNION SELECT series_id FROM old_rows'),
  create,
  options,
  oneSeries ? 'SELECT series_id FROM new_rows UNION ALL SELECT series_id FROM old_rows' : undefined,
)}
${pgApply(
  'count_blocks_delete',
  'old_rows',
  'SELECT series_id, bucket_start, -count AS count, -1 AS n FROM old_rows',
  series('SELECT DISTINCT series_id FROM old_rows'),
  create,
  options,
  oneSeries ? 'SELECT series_id FROM old_rows' : undefined,
)}`;

const POSTGRES = `${TABLE('')}${pgFunctions(() => 'series', 'CREATE')}
CREATE TRIGGER count_blocks_insert AFTER INSERT ON counts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION count_blocks_insert();
CREATE TRIGGER count_blocks_update AFTER UPDATE ON counts
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION count_blocks_update();
CREATE TRIGGER count_blocks_delete AFTER DELETE ON counts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION count_blocks_delete();
`;

/** Migration 5's SQL per dialect. */
export const COUNT_BLOCKS_SCHEMA: Readonly<Record<Dialect, string>> = {
  sqlite: SQLITE,
  postgres: POSTGRES,
};

/**
 * Migration 9: the same PostgreSQL trigger functions, reading the unit of only the series
 * a statement wrote, by primary key. Migration 5's functions joined the transition table
 * to all of `series`; their plans are cached with no idea how many rows a transition
 * table holds, so the join was a hash join over a sequential scan of every series: a
 * window's upsert paid for every series of the database (at 1,000 series about a third of
 * the rollup's cost, growing with the series), where an index lookup per written series
 * is enough. A trigger's plans are made once per session, at its first call: a sync into
 * a new database makes them when `series` holds a row or two, and a plan made then scans
 * the table, for every window, until the next ANALYZE replans it (measured: a sequential
 * scan per window on a fresh database, an index scan once analyzed). Sequential scans are
 * therefore off inside these functions (`SET enable_seqscan = off`: their other tables are
 * transition tables and index lookups). Same rollups, same results; SQLite's per-row
 * triggers already look a series up by key, so nothing changes there.
 */
export const COUNT_BLOCKS_SERIES_BY_KEY: Readonly<Record<Dialect, string>> = {
  sqlite: '-- Nothing: the SQLite triggers already read one series by its key.',
  postgres: pgFunctions(
    (ids) => `(SELECT id, unit FROM series WHERE id = ANY (ARRAY(${ids})))`,
    'CREATE OR REPLACE',
    ' SET enable_seqscan = off',
  ),
};

/**
 * Migration 11: the PostgreSQL trigger functions once more, with a path for a statement
 * that wrote rows of one series only (every sync window, every row written through the
 * views): the series' block width is read once, by key, and its rows are grouped by block
 * alone; statements over several series keep migration 9's path. The one-series check is
 * a min and a max over the transition tables. Measured on a 100-row window, server side:
 * the update trigger took 0.10 ms and now 0.035 ms (a changed window ~1 ms in all).
 */
export const COUNT_BLOCKS_ONE_SERIES_PATH: Readonly<Record<Dialect, string>> = {
  sqlite: '-- Nothing: the SQLite triggers already work one row, so one series, at a time.',
  postgres: pgFunctions(
    (ids) => `(SELECT id, unit FROM series WHERE id = ANY (ARRAY(${ids})))`,
    'CREATE OR REPLACE',
    ' SET enable_seqscan = off',
    true,
  ),
};

/**
 * Migration 11 too: a `TRUNCATE counts` empties `count_blocks` (PostgreSQL; a TRUNCATE fires
 * no row or transition-table trigger, so the blocks stayed). SQLite has no TRUNCATE: its
 * `DELETE FROM counts` fires the row triggers.
 */
export const COUNT_BLOCKS_TRUNCATE: Readonly<Record<Dialect, string>> = {
  sqlite: '-- Nothing: SQLite has no TRUNCATE.',
  postgres: `
CREATE FUNCTION count_blocks_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE count_blocks;
  RETURN NULL;
END $$;
CREATE TRIGGER count_blocks_truncate AFTER TRUNCATE ON counts
  FOR EACH STATEMENT EXECUTE FUNCTION count_blocks_truncate();`,
};

/** A half-open interval of bucket starts, epoch seconds. */
export interface SecondsInterval {
  lo: number;
  hi: number;
}

/**
 * How to sum `[lo, hi)` (epoch seconds): the blocks whose start lies in `blocks` are
 * wholly inside it; the rows whose bucket start lies in one of `rows` are the edges.
 * Every bucket start in `[lo, hi)` is in exactly one of them.
 *
 * @example
 * splitRange(0, 86_400 * 40, 86_400 * 16); // blocks [0, 32 d), rows [32 d, 40 d)
 */
export function splitRange(
  lo: number,
  hi: number,
  width: number,
): { blocks: SecondsInterval | null; rows: SecondsInterval[] } {
  const first = Math.ceil(lo / width) * width;
  const end = Math.floor(hi / width) * width;
  if (first >= end) return { blocks: null, rows: hi > lo ? [{ lo, hi }] : [] };
  const rows: SecondsInterval[] = [];
  if (lo < first) rows.push({ lo, hi: first });
  if (end < hi) rows.push({ lo: end, hi });
  return { blocks: { lo: first, hi: end }, rows };
}
