/**
 * Migration 3: the compact schema. Version 1 stored every count as a row repeating the
 * workspace, event name, unit, app and segment ids and three timestamps as text, and its
 * primary key was a second copy of all that (~200 bytes per count). Now:
 *
 * - `series`: one row per (workspace, event, unit, app_id, segment_id), with an integer
 *   `id`, the offset its `time` text is derived at, and its watermarks;
 * - `counts`: `(series_id, bucket_start)` → `count`, `fetched_at`, and `time` only where
 *   it cannot be derived (src/sync/db/bucket-time-text.ts). `bucket_start` is epoch
 *   seconds, `fetched_at` epoch milliseconds. In SQLite the table is `WITHOUT ROWID`: the
 *   primary key's b-tree is the table. PostgreSQL has no index-organized tables: the heap
 *   holds the row and the primary-key index the key once more (integers only).
 * - `event_counts` and `series_watermarks` become views with exactly their old columns
 *   and values, and stay writable through INSTEAD OF triggers (INSERT fails on a
 *   duplicate key as the tables did; UPDATE and DELETE by key), so queries and loaders
 *   written against version 1 keep working.
 *
 * The data is copied in the migration's one transaction: a crash leaves version 2 intact.
 */
import {
  POSTGRES_CANONICAL_TIME_FUNCTION,
  sqliteCanonicalTime,
  sqliteIsoToMs,
  sqliteMsToIso,
  sqliteSecondsToIso,
} from './bucket-time-text.js';
import type { Dialect } from './types.js';

const KEY = ['workspace', 'event', 'unit', 'app_id', 'segment_id'] as const;

/** `series` columns equal to `row`'s key columns (a missing app/segment id is ''). */
function keyMatch(series: string, row: string): string {
  return KEY.map((c) =>
    c === 'app_id' || c === 'segment_id'
      ? `${series}.${c} = COALESCE(${row}.${c}, '')`
      : `${series}.${c} = ${row}.${c}`,
  ).join(' AND ');
}

/** One `series` row per key of version 2's tables, with its watermarks; the same SQL in both dialects. */
const COPY_SERIES = `INSERT INTO series (workspace, event, unit, app_id, segment_id, time_offset_minutes,
                    synced_through, complete_through, updated_at)
SELECT k.workspace, k.event, k.unit, k.app_id, k.segment_id,
       COALESCE(o.bucket_utc_offset_minutes, 0), w.synced_through, w.complete_through, w.updated_at
  FROM (SELECT workspace, event, unit, app_id, segment_id FROM series_watermarks
        UNION SELECT workspace, event, unit, app_id, segment_id FROM event_counts) k
  LEFT JOIN series_watermarks w ON ${keyMatch('w', 'k')}
  LEFT JOIN workspace_settings o ON o.workspace = k.workspace
 ORDER BY k.workspace, k.event, k.unit, k.app_id, k.segment_id;`;

// The SQLite and PostgreSQL scripts below are deliberate dialect mirrors (column types,
// identity, timestamp conversions, trigger syntax differ); what is the same SQL is shared.
const SQLITE = `
CREATE TABLE series (
  id                  INTEGER PRIMARY KEY,
  workspace           TEXT    NOT NULL,
  event               TEXT    NOT NULL,
  unit                TEXT    NOT NULL CHECK (unit IN ('day', 'hour')),
  app_id              TEXT    NOT NULL DEFAULT '',
  segment_id          TEXT    NOT NULL DEFAULT '',
  time_offset_minutes INTEGER NOT NULL DEFAULT 0,
  synced_through      TEXT,
  complete_through    TEXT,
  updated_at          TEXT,
  UNIQUE (workspace, event, unit, app_id, segment_id)
);
${COPY_SERIES}

CREATE TABLE counts (
  series_id    INTEGER NOT NULL,
  bucket_start INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  fetched_at   INTEGER NOT NULL,
  time         TEXT,
  PRIMARY KEY (series_id, bucket_start)
) WITHOUT ROWID;
INSERT INTO counts (series_id, bucket_start, count, fetched_at, time)
SELECT s.id, unixepoch(c.bucket_start), c.count, ${sqliteIsoToMs('c.fetched_at')},
       NULLIF(c.time, ${sqliteCanonicalTime('unixepoch(c.bucket_start)', 's.unit', 's.time_offset_minutes')})
  FROM event_counts c JOIN series s ON ${keyMatch('s', 'c')}
 ORDER BY 1, 2;

DROP TABLE event_counts;
DROP TABLE series_watermarks;

CREATE VIEW event_counts AS
SELECT s.workspace, s.event, s.unit, s.app_id, s.segment_id,
       COALESCE(c.time, ${sqliteCanonicalTime('c.bucket_start', 's.unit', 's.time_offset_minutes')}) AS time,
       ${sqliteSecondsToIso('c.bucket_start')} AS bucket_start,
       c.count AS count,
       ${sqliteMsToIso('c.fetched_at')} AS fetched_at
  FROM counts c JOIN series s ON s.id = c.series_id;

CREATE VIEW series_watermarks AS
SELECT workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at
  FROM series WHERE synced_through IS NOT NULL;

CREATE TRIGGER event_counts_insert INSTEAD OF INSERT ON event_counts BEGIN
  INSERT INTO series (workspace, event, unit, app_id, segment_id)
  VALUES (NEW.workspace, NEW.event, NEW.unit, COALESCE(NEW.app_id, ''), COALESCE(NEW.segment_id, ''))
  ON CONFLICT DO NOTHING;
  INSERT INTO counts (series_id, bucket_start, count, fetched_at, time)
  SELECT s.id, unixepoch(NEW.bucket_start), NEW.count, ${sqliteIsoToMs('NEW.fetched_at')},
         NULLIF(NEW.time, ${sqliteCanonicalTime('unixepoch(NEW.bucket_start)', 's.unit', 's.time_offset_minutes')})
    FROM series s WHERE ${keyMatch('s', 'NEW')};
END;
CREATE TRIGGER event_counts_update INSTEAD OF UPDATE ON event_counts BEGIN
  UPDATE counts SET
    bucket_start = unixepoch(NEW.bucket_start),
    count = NEW.count,
    fetched_at = ${sqliteIsoToMs('NEW.fetched_at')},
    time = (SELECT NULLIF(NEW.time, ${sqliteCanonicalTime('unixepoch(NEW.bucket_start)', 's.unit', 's.time_offset_minutes')})
              FROM series s WHERE s.id = counts.series_id)
  WHERE series_id = (SELECT s.id FROM series s WHERE ${keyMatch('s', 'OLD')})
    AND bucket_start = unixepoch(OLD.bucket_start);
END;
CREATE TRIGGER event_counts_delete INSTEAD OF DELETE ON event_counts BEGIN
  DELETE FROM counts
   WHERE series_id = (SELECT s.id FROM series s WHERE ${keyMatch('s', 'OLD')})
     AND bucket_start = unixepoch(OLD.bucket_start);
END;

CREATE TRIGGER series_watermarks_insert INSTEAD OF INSERT ON series_watermarks BEGIN
  SELECT RAISE(ABORT, 'NOT NULL constraint failed: series_watermarks.synced_through')
   WHERE NEW.synced_through IS NULL;
  SELECT RAISE(ABORT, 'UNIQUE constraint failed: series_watermarks')
    FROM series s WHERE ${keyMatch('s', 'NEW')} AND s.synced_through IS NOT NULL;
  INSERT INTO series (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at)
  VALUES (NEW.workspace, NEW.event, NEW.unit, COALESCE(NEW.app_id, ''), COALESCE(NEW.segment_id, ''),
          NEW.synced_through, NEW.complete_through, NEW.updated_at)
  ON CONFLICT (workspace, event, unit, app_id, segment_id) DO UPDATE SET
    synced_through = excluded.synced_through, complete_through = excluded.complete_through,
    updated_at = excluded.updated_at;
END;
CREATE TRIGGER series_watermarks_update INSTEAD OF UPDATE ON series_watermarks BEGIN
  UPDATE series SET synced_through = NEW.synced_through, complete_through = NEW.complete_through,
                    updated_at = NEW.updated_at
   WHERE ${keyMatch('series', 'OLD')};
END;
CREATE TRIGGER series_watermarks_delete INSTEAD OF DELETE ON series_watermarks BEGIN
  UPDATE series SET synced_through = NULL, complete_through = NULL, updated_at = NULL
   WHERE ${keyMatch('series', 'OLD')};
END;
`;

/** Epoch seconds / milliseconds of a timestamptz expression, exactly (numeric). */
const pgSeconds = (ts: string) => `extract(epoch FROM ${ts})::bigint`;
const pgMs = (ts: string) => `round(extract(epoch FROM ${ts}) * 1000)::bigint`;

// The PostgreSQL mirror of SQLITE above (a deliberate dialect mirror: see there).
const POSTGRES = `
${POSTGRES_CANONICAL_TIME_FUNCTION}
CREATE TABLE series (
  id                  INTEGER     GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  workspace           TEXT        NOT NULL,
  event               TEXT        NOT NULL,
  unit                TEXT        NOT NULL CHECK (unit IN ('day', 'hour')),
  app_id              TEXT        NOT NULL DEFAULT '',
  segment_id          TEXT        NOT NULL DEFAULT '',
  time_offset_minutes INTEGER     NOT NULL DEFAULT 0,
  synced_through      TIMESTAMPTZ,
  complete_through    TIMESTAMPTZ,
  updated_at          TIMESTAMPTZ,
  UNIQUE (workspace, event, unit, app_id, segment_id)
);
${COPY_SERIES}

-- Widest columns first: no alignment padding inside the row.
CREATE TABLE counts (
  bucket_start BIGINT  NOT NULL,
  fetched_at   BIGINT  NOT NULL,
  count        BIGINT  NOT NULL,
  series_id    INTEGER NOT NULL,
  time         TEXT,
  PRIMARY KEY (series_id, bucket_start)
);
INSERT INTO counts (series_id, bucket_start, count, fetched_at, time)
SELECT s.id, ${pgSeconds('c.bucket_start')}, c.count, ${pgMs('c.fetched_at')},
       NULLIF(c.time, braze_bucket_time(${pgSeconds('c.bucket_start')}, s.unit, s.time_offset_minutes))
  FROM event_counts c JOIN series s ON ${keyMatch('s', 'c')}
 ORDER BY 1, 2;

DROP TABLE event_counts;
DROP TABLE series_watermarks;

CREATE VIEW event_counts AS
SELECT s.workspace, s.event, s.unit, s.app_id, s.segment_id,
       COALESCE(c.time, braze_bucket_time(c.bucket_start, s.unit, s.time_offset_minutes)) AS time,
       to_timestamp(c.bucket_start) AS bucket_start,
       c.count AS count,
       timestamptz 'epoch' + c.fetched_at * interval '1 millisecond' AS fetched_at
  FROM counts c JOIN series s ON s.id = c.series_id;

CREATE VIEW series_watermarks AS
SELECT workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at
  FROM series WHERE synced_through IS NOT NULL;

CREATE FUNCTION event_counts_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  sid INTEGER;
  s_unit TEXT;
  s_offset INTEGER;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO series (workspace, event, unit, app_id, segment_id)
    VALUES (NEW.workspace, NEW.event, NEW.unit, COALESCE(NEW.app_id, ''), COALESCE(NEW.segment_id, ''))
    ON CONFLICT DO NOTHING;
    SELECT s.id, s.unit, s.time_offset_minutes INTO sid, s_unit, s_offset FROM series s WHERE ${keyMatch('s', 'NEW')};
    INSERT INTO counts (series_id, bucket_start, count, fetched_at, time)
    VALUES (sid, ${pgSeconds('NEW.bucket_start')}, NEW.count, ${pgMs('NEW.fetched_at')},
            NULLIF(NEW.time, braze_bucket_time(${pgSeconds('NEW.bucket_start')}, s_unit, s_offset)));
    RETURN NEW;
  END IF;
  SELECT s.id, s.unit, s.time_offset_minutes INTO sid, s_unit, s_offset FROM series s WHERE ${keyMatch('s', 'OLD')};
  IF TG_OP = 'UPDATE' THEN
    UPDATE counts SET bucket_start = ${pgSeconds('NEW.bucket_start')}, count = NEW.count,
                      fetched_at = ${pgMs('NEW.fetched_at')},
                      time = NULLIF(NEW.time, braze_bucket_time(${pgSeconds('NEW.bucket_start')}, s_unit, s_offset))
     WHERE series_id = sid AND bucket_start = ${pgSeconds('OLD.bucket_start')};
    RETURN NEW;
  END IF;
  DELETE FROM counts WHERE series_id = sid AND bucket_start = ${pgSeconds('OLD.bucket_start')};
  RETURN OLD;
END $$;
CREATE TRIGGER event_counts_write INSTEAD OF INSERT OR UPDATE OR DELETE ON event_counts
  FOR EACH ROW EXECUTE FUNCTION event_counts_write();

CREATE FUNCTION series_watermarks_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.synced_through IS NULL THEN
      RAISE not_null_violation USING MESSAGE = 'null value in column "synced_through" of relation "series_watermarks"';
    END IF;
    INSERT INTO series (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at)
    VALUES (NEW.workspace, NEW.event, NEW.unit, COALESCE(NEW.app_id, ''), COALESCE(NEW.segment_id, ''),
            NEW.synced_through, NEW.complete_through, NEW.updated_at)
    ON CONFLICT (workspace, event, unit, app_id, segment_id) DO UPDATE SET
      synced_through = excluded.synced_through, complete_through = excluded.complete_through,
      updated_at = excluded.updated_at
    WHERE series.synced_through IS NULL;
    IF NOT FOUND THEN
      RAISE unique_violation USING MESSAGE = 'duplicate key value violates unique constraint of "series_watermarks"';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    UPDATE series SET synced_through = NEW.synced_through, complete_through = NEW.complete_through,
                      updated_at = NEW.updated_at
     WHERE ${keyMatch('series', 'OLD')};
    RETURN NEW;
  END IF;
  UPDATE series SET synced_through = NULL, complete_through = NULL, updated_at = NULL
   WHERE ${keyMatch('series', 'OLD')};
  RETURN OLD;
END $$;
CREATE TRIGGER series_watermarks_write INSTEAD OF INSERT OR UPDATE OR DELETE ON series_watermarks
  FOR EACH ROW EXECUTE FUNCTION series_watermarks_write();
`;

/** Migration 3's SQL per dialect. */
export const COMPACT_SCHEMA: Readonly<Record<Dialect, string>> = {
  sqlite: SQLITE,
  postgres: POSTGRES,
};
