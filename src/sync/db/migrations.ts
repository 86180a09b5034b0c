/**
 * The schema, as versioned migrations for both dialects. A public contract
 * (src/sync/README.md): a documented table or column is never dropped or renamed; when
 * the storage changes (migration 3), the old tables stay readable, with their columns, as
 * views. Append a new entry to change the schema; never edit an applied one.
 */
import { COMPACT_SCHEMA } from './compact-schema.js';
import {
  COUNT_BLOCKS_ONE_SERIES_PATH,
  COUNT_BLOCKS_SCHEMA,
  COUNT_BLOCKS_SERIES_BY_KEY,
  COUNT_BLOCKS_TRUNCATE,
} from './count-blocks.js';
import { DATA_CHANGES_ONCE_PER_TRANSACTION, DATA_CHANGES_SCHEMA } from './data-changes.js';
import {
  OVERVIEW_COVERAGE_SCHEMA,
  OVERVIEW_ORDER_SCHEMA,
  OVERVIEW_TABLES,
} from './overview-tables.js';
import type { Dialect } from './types.js';

export interface Migration {
  version: number;
  name: string;
  sql: Readonly<Record<Dialect, string>>;
}

// SQLITE_V1 and POSTGRES_V1 are deliberate dialect mirrors (the same tables; column types,
// timestamps and identity differ), and applied migrations are never edited.
const SQLITE_V1 = `
CREATE TABLE IF NOT EXISTS event_counts (
  workspace    TEXT    NOT NULL,
  event        TEXT    NOT NULL,
  unit         TEXT    NOT NULL CHECK (unit IN ('day', 'hour')),
  app_id       TEXT    NOT NULL DEFAULT '',
  segment_id   TEXT    NOT NULL DEFAULT '',
  time         TEXT    NOT NULL,
  bucket_start TEXT    NOT NULL,
  count        INTEGER NOT NULL,
  fetched_at   TEXT    NOT NULL,
  PRIMARY KEY (workspace, event, unit, app_id, segment_id, bucket_start)
);
CREATE TABLE IF NOT EXISTS events (
  workspace                    TEXT NOT NULL,
  name                         TEXT NOT NULL,
  first_seen_at                TEXT NOT NULL,
  last_seen_at                 TEXT NOT NULL,
  description                  TEXT,
  status                       TEXT,
  tag_names                    TEXT,
  included_in_analytics_report INTEGER,
  details_fetched_at           TEXT,
  PRIMARY KEY (workspace, name)
);
CREATE TABLE IF NOT EXISTS series_watermarks (
  workspace        TEXT NOT NULL,
  event            TEXT NOT NULL,
  unit             TEXT NOT NULL CHECK (unit IN ('day', 'hour')),
  app_id           TEXT NOT NULL DEFAULT '',
  segment_id       TEXT NOT NULL DEFAULT '',
  synced_through   TEXT NOT NULL,
  complete_through TEXT,
  updated_at       TEXT NOT NULL,
  PRIMARY KEY (workspace, event, unit, app_id, segment_id)
);
CREATE TABLE IF NOT EXISTS sync_runs (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace     TEXT    NOT NULL,
  started_at    TEXT    NOT NULL,
  finished_at   TEXT,
  status        TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  units         TEXT    NOT NULL,
  requests      INTEGER NOT NULL DEFAULT 0,
  retries       INTEGER NOT NULL DEFAULT 0,
  rate_limited  INTEGER NOT NULL DEFAULT 0,
  rows_inserted INTEGER NOT NULL DEFAULT 0,
  rows_updated  INTEGER NOT NULL DEFAULT 0,
  error         TEXT
);
CREATE INDEX IF NOT EXISTS sync_runs_workspace_started ON sync_runs (workspace, started_at);
-- SQLite has no session locks: one row per held lock, taken over when its holder is gone.
CREATE TABLE IF NOT EXISTS sync_locks (
  name         TEXT    PRIMARY KEY,
  token        TEXT    NOT NULL,
  pid          INTEGER NOT NULL,
  host         TEXT    NOT NULL,
  acquired_at  TEXT    NOT NULL,
  heartbeat_at TEXT    NOT NULL
);
`;

// The PostgreSQL mirror of SQLITE_V1 (a deliberate dialect mirror: see there).
const POSTGRES_V1 = `
CREATE TABLE IF NOT EXISTS event_counts (
  workspace    TEXT        NOT NULL,
  event        TEXT        NOT NULL,
  unit         TEXT        NOT NULL CHECK (unit IN ('day', 'hour')),
  app_id       TEXT        NOT NULL DEFAULT '',
  segment_id   TEXT        NOT NULL DEFAULT '',
  time         TEXT        NOT NULL,
  bucket_start TIMESTAMPTZ NOT NULL,
  count        BIGINT      NOT NULL,
  fetched_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (workspace, event, unit, app_id, segment_id, bucket_start)
);
CREATE TABLE IF NOT EXISTS events (
  workspace                    TEXT        NOT NULL,
  name                         TEXT        NOT NULL,
  first_seen_at                TIMESTAMPTZ NOT NULL,
  last_seen_at                 TIMESTAMPTZ NOT NULL,
  description                  TEXT,
  status                       TEXT,
  tag_names                    TEXT,
  included_in_analytics_report BOOLEAN,
  details_fetched_at           TIMESTAMPTZ,
  PRIMARY KEY (workspace, name)
);
CREATE TABLE IF NOT EXISTS series_watermarks (
  workspace        TEXT        NOT NULL,
  event            TEXT        NOT NULL,
  unit             TEXT        NOT NULL CHECK (unit IN ('day', 'hour')),
  app_id           TEXT        NOT NULL DEFAULT '',
  segment_id       TEXT        NOT NULL DEFAULT '',
  synced_through   TIMESTAMPTZ NOT NULL,
  complete_through TIMESTAMPTZ,
  updated_at       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (workspace, event, unit, app_id, segment_id)
);
CREATE TABLE IF NOT EXISTS sync_runs (
  id            BIGINT      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace     TEXT        NOT NULL,
  started_at    TIMESTAMPTZ NOT NULL,
  finished_at   TIMESTAMPTZ,
  status        TEXT        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  units         TEXT        NOT NULL,
  requests      INTEGER     NOT NULL DEFAULT 0,
  retries       INTEGER     NOT NULL DEFAULT 0,
  rate_limited  INTEGER     NOT NULL DEFAULT 0,
  rows_inserted BIGINT      NOT NULL DEFAULT 0,
  rows_updated  BIGINT      NOT NULL DEFAULT 0,
  error         TEXT
);
CREATE INDEX IF NOT EXISTS sync_runs_workspace_started ON sync_runs (workspace, started_at);
`;

/** The day-bucket offset each workspace's rows were computed with (src/sync/store/settings.ts). */
const SQLITE_V2 = `
CREATE TABLE IF NOT EXISTS workspace_settings (
  workspace                 TEXT    PRIMARY KEY,
  bucket_utc_offset_minutes INTEGER NOT NULL,
  updated_at                TEXT    NOT NULL
);
`;

const POSTGRES_V2 = `
CREATE TABLE IF NOT EXISTS workspace_settings (
  workspace                 TEXT        PRIMARY KEY,
  bucket_utc_offset_minutes INTEGER     NOT NULL,
  updated_at                TIMESTAMPTZ NOT NULL
);
`;

/**
 * The hour alignment each workspace's hour rows were read with (`local` or `utc`; see
 * docs/BRAZE_API.md). NULL on a row written before the column existed: those syncs could
 * only read local hours (src/sync/store/settings.ts).
 */
const SQLITE_V4 = `
ALTER TABLE workspace_settings ADD COLUMN hour_buckets TEXT CHECK (hour_buckets IN ('local', 'utc'));
`;

const POSTGRES_V4 = `
ALTER TABLE workspace_settings ADD COLUMN IF NOT EXISTS hour_buckets TEXT CHECK (hour_buckets IN ('local', 'utc'));
`;

/**
 * A running run's heartbeat: written every `RUN_HEARTBEAT_MS` while the run is alive, also
 * while it waits for a rate-limit window or a retry, so a waiting run reads as alive, not
 * hung (issue 15).
 */
const SQLITE_V6 = `ALTER TABLE sync_runs ADD COLUMN heartbeat_at TEXT;`;
const POSTGRES_V6 = `ALTER TABLE sync_runs ADD COLUMN IF NOT EXISTS heartbeat_at TIMESTAMPTZ;`;

/**
 * Each unit's newest complete watermark in one index lookup (src/dashboard/queries.ts,
 * listWorkspaceZones), as migration 5's `series_by_unit` gives the newest `synced_through`.
 */
const SERIES_COMPLETE_INDEX = `
CREATE INDEX series_complete ON series (workspace, unit, app_id, segment_id, complete_through);
`;

/**
 * PostgreSQL leaves room on each new page of the tables a window rewrites, so that a
 * rewritten row's new version can go on the same page without a new primary-key entry (a
 * HOT update): 15% of `counts` (a revised recent bucket is the common change) and 30% of
 * `count_blocks` (a window rewrites every block it touches). Pages written before stay
 * full until a VACUUM FULL or CLUSTER rewrites them. SQLite's tables are their b-trees:
 * nothing to do.
 */
const ROOM_FOR_UPDATES: Readonly<Record<Dialect, string>> = {
  sqlite: '-- Nothing: WITHOUT ROWID tables have no separate heap.',
  postgres: `ALTER TABLE counts SET (fillfactor = 85);
ALTER TABLE count_blocks SET (fillfactor = 70);`,
};

function migration11(): Record<Dialect, string> {
  const parts = [
    COUNT_BLOCKS_ONE_SERIES_PATH,
    DATA_CHANGES_ONCE_PER_TRANSACTION,
    ROOM_FOR_UPDATES,
    COUNT_BLOCKS_TRUNCATE,
  ];
  return {
    sqlite: parts.map((p) => p.sqlite).join('\n'),
    postgres: parts.map((p) => p.postgres).join('\n'),
  };
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: { sqlite: SQLITE_V1, postgres: POSTGRES_V1 } },
  {
    version: 2,
    name: 'workspace bucket offset',
    sql: { sqlite: SQLITE_V2, postgres: POSTGRES_V2 },
  },
  { version: 3, name: 'compact counts: series table, integer keys', sql: COMPACT_SCHEMA },
  {
    version: 4,
    name: 'workspace hour alignment',
    sql: { sqlite: SQLITE_V4, postgres: POSTGRES_V4 },
  },
  { version: 5, name: 'count blocks: per-series rollups of counts', sql: COUNT_BLOCKS_SCHEMA },
  { version: 6, name: 'run heartbeat', sql: { sqlite: SQLITE_V6, postgres: POSTGRES_V6 } },
  { version: 7, name: 'precomputed dashboard overviews', sql: OVERVIEW_TABLES },
  {
    version: 8,
    name: 'data change counter, stored overview orders, newest complete watermark index',
    sql: {
      sqlite: DATA_CHANGES_SCHEMA.sqlite + OVERVIEW_ORDER_SCHEMA + SERIES_COMPLETE_INDEX,
      postgres: DATA_CHANGES_SCHEMA.postgres + OVERVIEW_ORDER_SCHEMA + SERIES_COMPLETE_INDEX,
    },
  },
  {
    version: 9,
    name: 'count blocks: triggers read the written series by key',
    sql: COUNT_BLOCKS_SERIES_BY_KEY,
  },
  { version: 10, name: 'stored overview coverage', sql: OVERVIEW_COVERAGE_SCHEMA },
  {
    version: 11,
    name: 'lighter window writes: one-series rollup path, one data version bump per transaction, room for updates; TRUNCATE counts empties count_blocks',
    sql: migration11(),
  },
];

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** DDL of the bookkeeping table, run before any migration. */
export const SCHEMA_MIGRATIONS_DDL: Readonly<Record<Dialect, string>> = {
  sqlite:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  postgres:
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)',
};
