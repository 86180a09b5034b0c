/**
 * Writes the `events` table: every name the listing returned (first/last seen) and, when
 * the key may call GET /events, the details.
 */
import type { CustomEvent } from '../../core/types.js';
import { insertRows } from '../db/insert-rows.js';
import type { Queryable } from '../db/types.js';

/**
 * Records that these names were listed at `seenAt`.
 *
 * @example
 * await db.transaction((tx) => upsertEventNames(tx, 'prod', names, new Date()));
 */
export async function upsertEventNames(
  tx: Queryable,
  workspace: string,
  names: readonly string[],
  seenAt: Date,
): Promise<void> {
  const seen = seenAt.toISOString();
  await insertRows(
    tx,
    'INSERT INTO events (workspace, name, first_seen_at, last_seen_at)',
    names.map((name) => [workspace, name, seen, seen]),
    'ON CONFLICT (workspace, name) DO UPDATE SET last_seen_at = excluded.last_seen_at',
  );
}

/**
 * Stores the details GET /events returned (`tag_names` as JSON text).
 *
 * @example
 * await db.transaction((tx) => upsertEventDetails(tx, 'prod', details, new Date()));
 */
export async function upsertEventDetails(
  tx: Queryable,
  workspace: string,
  events: readonly CustomEvent[],
  fetchedAt: Date,
): Promise<void> {
  const at = fetchedAt.toISOString();
  await insertRows(
    tx,
    `INSERT INTO events (workspace, name, first_seen_at, last_seen_at, description, status, tag_names,
       included_in_analytics_report, details_fetched_at)`,
    events.map((e) => [
      workspace,
      e.name,
      at,
      at,
      e.description,
      e.status,
      JSON.stringify(e.tagNames),
      e.includedInAnalyticsReport,
      at,
    ]),
    `ON CONFLICT (workspace, name) DO UPDATE SET last_seen_at = excluded.last_seen_at,
       description = excluded.description, status = excluded.status, tag_names = excluded.tag_names,
       included_in_analytics_report = excluded.included_in_analytics_report,
       details_fetched_at = excluded.details_fetched_at`,
  );
}
