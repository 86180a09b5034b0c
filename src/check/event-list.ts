/**
 * Which events a workspace has for one unit, as a SQL subquery to join against the
 * `counts` table (src/sync/db/compact-schema.ts). Joining from the series' ids lets every
 * lookup use the primary key (series_id, bucket_start) with a range on bucket_start;
 * a plain `WHERE bucket_start >= ?` over all events would scan the whole workspace
 * (730,000 rows for 2,000 events × 365 days).
 */
import type { Unit } from '../api/constants.js';
import type { Queryable, SqlValue } from '../sync/db/types.js';

/** A subquery yielding two columns, `id` (of the series) and `event`, and its parameters. */
export interface EventListSql {
  sql: string;
  params: SqlValue[];
}

/**
 * The events with a total series (app_id = '' and segment_id = '') of `unit`, from the
 * `series` table (one row per series, synced or loaded by another tool).
 *
 * @example
 * const list = await eventListSql(db, 'prod', 'day');
 * await db.query(`SELECT e.event, SUM(c.count) FROM ${list.sql} e JOIN counts c ON c.series_id = e.id …`, [...list.params, …]);
 */
export async function eventListSql(
  _db: Queryable,
  workspace: string,
  unit: Unit,
): Promise<EventListSql> {
  return {
    sql: `(SELECT id, event FROM series
            WHERE workspace = ? AND unit = ? AND app_id = '' AND segment_id = '')`,
    params: [workspace, unit],
  };
}

/**
 * SQL aggregate packing an event's buckets (alias `c`, the `counts` table) into one text
 * value, `bucketStartSeconds=count` comma-separated (order not guaranteed). Returning one
 * row per event instead of one per bucket is what keeps 2,000 events × 60 days fast: the
 * per-row cost of a driver, not the index scan, dominates. `filter` (optional) is a SQL
 * condition on alias `c`; its `?` parameters come first in the statement wherever this
 * expression is placed.
 */
export function packedBucketsSql(db: Queryable, filter = 'TRUE'): string {
  return db.dialect === 'postgres'
    ? `string_agg(CASE WHEN ${filter} THEN c.bucket_start || '=' || c.count END, ',')`
    : `group_concat(CASE WHEN ${filter} THEN c.bucket_start || '=' || c.count END)`;
}

/**
 * Unpacks what {@link packedBucketsSql} produced into `[bucketStartMs, count]` pairs.
 *
 * @example
 * unpackBuckets('1772409600=12,1772496000=7'); // [[1772409600000, 12], [1772496000000, 7]]
 */
export function unpackBuckets(packed: string | null | undefined): [number, number][] {
  if (!packed) return [];
  const out: [number, number][] = [];
  for (const item of packed.split(',')) {
    const eq = item.indexOf('=');
    out.push([Number(item.slice(0, eq)) * 1000, Number(item.slice(eq + 1))]);
  }
  return out;
}
