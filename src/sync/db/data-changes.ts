/**
 * Migration 8, first part: `data_changes`, a counter of writes to the tables the
 * dashboard's answers are computed from (`counts`, `series`, `workspace_settings`), kept
 * by triggers inside the writing transaction, whoever writes (the sync, the views'
 * triggers, another loader). The dashboard reads its sum as the data version
 * (src/dashboard/precompute.ts): a precomputed overview or a cached answer is used only
 * while the sum is the one it was computed at, so counts written without a sync are
 * answered at once, and reading the version costs the same at 20 or 20,000 events.
 *
 * SQLite has only row triggers: one row, bumped per written row (one writer at a time, so
 * no contention). PostgreSQL bumps per statement (since migration 11 once per
 * transaction: {@link DATA_CHANGES_ONCE_PER_TRANSACTION}), on one of
 * {@link PG_CHANGE_SHARDS} rows chosen by the transaction id: a bump holds its row's lock
 * until commit, so with a single row the sync's concurrent windows would commit one after
 * the other; concurrent transactions have nearby ids and so different rows. The sum only
 * grows and commits become visible in order, so an equal sum means the same data.
 *
 * These triggers are separate from the `count_blocks` ones (migration 5) on purpose: each
 * can change without the other.
 */
import type { Dialect } from './types.js';

/** Rows of `data_changes` in PostgreSQL (SQLite: one). */
export const PG_CHANGE_SHARDS = 64;

/** The tables whose writes move the data version. */
const WATCHED = ['counts', 'series', 'workspace_settings'] as const;

const SQLITE = `
CREATE TABLE data_changes (
  shard   INTEGER PRIMARY KEY,
  changes INTEGER NOT NULL
);
INSERT INTO data_changes (shard, changes) VALUES (0, 0);
${WATCHED.flatMap((table) =>
  ['INSERT', 'UPDATE', 'DELETE'].map(
    (op) => `CREATE TRIGGER data_changes_${table}_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN
  UPDATE data_changes SET changes = changes + 1 WHERE shard = 0;
END;`,
  ),
).join('\n')}
`;

const POSTGRES = `
CREATE TABLE data_changes (
  shard   INTEGER PRIMARY KEY,
  changes BIGINT  NOT NULL
);
INSERT INTO data_changes (shard, changes)
SELECT s, 0 FROM generate_series(0, ${PG_CHANGE_SHARDS - 1}) AS s;
CREATE FUNCTION data_changes_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_changes SET changes = changes + 1 WHERE shard = txid_current() % ${PG_CHANGE_SHARDS};
  RETURN NULL;
END $$;
${WATCHED.map(
  (
    table,
  ) => `CREATE TRIGGER data_changes_${table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
  FOR EACH STATEMENT EXECUTE FUNCTION data_changes_bump();`,
).join('\n')}
`;

/**
 * Migration 11, PostgreSQL: at most one bump per transaction. A sync window's write fired
 * four bumps (the series and the counts upserts each fire their INSERT and their UPDATE
 * statement triggers), each an UPDATE of a `data_changes` row: one is enough, since the
 * version only has to differ once the transaction's writes are visible, and they become
 * visible together. A transaction-local setting remembers the bump; it is undone with a
 * rolled-back savepoint, as the bump is, so the next write bumps again. It holds the
 * transaction's id, not a flag: a value set for a whole session or database (`ALTER
 * DATABASE … SET`, a connection option) can then never switch the bumps off. SQLite's row
 * triggers stay as they are (one writer, no contention, and its window writes are not the
 * slow side).
 */
export const DATA_CHANGES_ONCE_PER_TRANSACTION: Readonly<Record<Dialect, string>> = {
  sqlite: '-- Nothing: SQLite keeps its row triggers.',
  postgres: `
CREATE OR REPLACE FUNCTION data_changes_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('braze_events.data_changed', true) = txid_current()::text THEN RETURN NULL; END IF;
  PERFORM set_config('braze_events.data_changed', txid_current()::text, true);
  UPDATE data_changes SET changes = changes + 1 WHERE shard = txid_current() % ${PG_CHANGE_SHARDS};
  RETURN NULL;
END $$;`,
};

/** The change counter's SQL per dialect. */
export const DATA_CHANGES_SCHEMA: Readonly<Record<Dialect, string>> = {
  sqlite: SQLITE,
  postgres: POSTGRES,
};

/** SQL of the current data version: one number that grows with every watched write. */
export const DATA_VERSION_SQL = 'SELECT SUM(changes) AS v FROM data_changes';
