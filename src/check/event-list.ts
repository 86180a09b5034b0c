/**
 * Which events a workspace has for one unit, as a SQL subquery to join against
 * event_counts. Joining from a list of names lets every lookup use the primary key
 * (workspace, event, unit, app_id, segment_id, bucket_start) with a range on bucket_start;
 * a plain `WHERE bucket_start >= ?` over all events would scan the whole workspace
 * (730,000 rows for 2,000 events × 365 days).
 */
import type { Unit } from '../api/constants.js';
import { parseIsoInstant } from '../api/time.js';
import type { Queryable, SqlValue } from '../sync/db/types.js';

/** A subquery yielding one column, `event`, and its parameters. */
export interface EventListSql {
  sql: string;
  params: SqlValue[];
}

/**
 * The events with a total series (app_id = '' and segment_id = '') of `unit`: from the
 * sync watermarks (a small table) when there are any, else from the counts themselves
 * (data loaded by another tool; slower on big tables but correct).
 *
 * @example
 * const list = await eventListSql(db, 'prod', 'day');
 * await db.query(`SELECT c.event, SUM(c.count) FROM ${list.sql} e JOIN event_counts c ON …`, [...list.params, …]);
 */
export async function eventListSql(
  db: Queryable,
  workspace: string,
  unit: Unit,
): Promise<EventListSql> {
  const marked = await db.query(
    `SELECT 1 AS one FROM series_watermarks
      WHERE workspace = ? AND unit = ? AND app_id = '' AND segment_id = '' LIMIT 1`,
    [workspace, unit],
  );
  const table = marked.length > 0 ? 'series_watermarks' : 'event_counts';
  return {
    sql: `(SELECT DISTINCT event FROM ${table}
            WHERE workspace = ? AND unit = ? AND app_id = '' AND segment_id = '')`,
    params: [workspace, unit],
  };
}

/**
 * SQL aggregate packing an event's buckets into one text value, `YYYY-MM-DDTHH:MM=count`
 * (the UTC start, to the minute: a day at +05:30 starts at 18:30 UTC, at +05:45 at 18:15)
 * comma-separated (order not guaranteed). Returning one row per event instead of one per
 * bucket is what keeps 2,000 events × 60 days fast: the per-row cost of a driver, not the
 * index scan, dominates. `filter` (optional) is a SQL condition on alias `c`; its `?`
 * parameters come first in the statement wherever this expression is placed.
 */
export function packedBucketsSql(db: Queryable, filter = 'TRUE'): string {
  return db.dialect === 'postgres'
    ? `string_agg(CASE WHEN ${filter} THEN to_char(c.bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') || '=' || c.count END, ',')`
    : `group_concat(CASE WHEN ${filter} THEN substr(c.bucket_start, 1, 16) || '=' || c.count END)`;
}

const minuteStarts = new Map<string, number>();

/**
 * Unpacks what {@link packedBucketsSql} produced into `[bucketStartMs, count]` pairs.
 *
 * @example
 * unpackBuckets('2026-03-02T00:00=12,2026-03-02T18:30=7'); // [[1772409600000, 12], [1772476200000, 7]]
 */
export function unpackBuckets(packed: string | null | undefined): [number, number][] {
  if (!packed) return [];
  const out: [number, number][] = [];
  for (const item of packed.split(',')) {
    const eq = item.indexOf('=');
    const key = item.slice(0, eq);
    let ms = minuteStarts.get(key);
    if (ms === undefined) {
      ms = parseIsoInstant(`${key}Z`) ?? Number.NaN;
      // Bounded: a process sees a few thousand distinct bucket starts at most per range.
      if (minuteStarts.size > 100_000) minuteStarts.clear();
      minuteStarts.set(key, ms);
    }
    out.push([ms, Number(item.slice(eq + 1))]);
  }
  return out;
}
