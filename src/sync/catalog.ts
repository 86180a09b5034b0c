/**
 * The workspace's event catalog: every name from GET /events/list (all pages, from page
 * 0), and the details from GET /events when the key may call it. Written to `events`.
 */
import { isBrazeAuthError } from '../core/errors.js';
import type { CustomEvent } from '../core/types.js';
import type { Database } from './db/types.js';
import { upsertEventDetails, upsertEventNames } from './store/events.js';
import type { SyncClient } from './types.js';

/**
 * Lists every event name (GET /events/list, all pages). Writes nothing: the sync checks
 * its selection against the names before it opens its run, then stores them with
 * {@link storeEventNames}.
 */
export async function listEventNames(
  client: SyncClient,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const names: string[] = [];
  for await (const name of client.eventNames(signal ? { signal } : {})) names.push(name);
  return names;
}

/** Records the listed names as seen at `seenAt`. */
export async function storeEventNames(
  db: Database,
  workspace: string,
  names: readonly string[],
  seenAt: Date,
): Promise<void> {
  await db.transaction((tx) => upsertEventNames(tx, workspace, names, seenAt));
}

/**
 * Longest wait (rate-limit window or retry) the optional details may cause: GET /events
 * shares the 1,000/hour listing budget, and a spent window must not hold the counts back
 * for up to an hour; the counts (data_series) have their own budget.
 */
export const DETAILS_MAX_WAIT_MS = 5_000;

/**
 * Fetches and stores event details. A key without `events.get` (403) is not an error
 * for a sync: the counts do not need details. A wait longer than `DETAILS_MAX_WAIT_MS`
 * throws rather than waits (the engine then skips the details with a note). Returns a
 * note when details were skipped.
 */
export async function syncEventDetails(
  client: SyncClient,
  db: Database,
  workspace: string,
  fetchedAt: Date,
  signal: AbortSignal | undefined,
): Promise<{ fetched: boolean; note?: string }> {
  const result = await fetchEventDetails(client, signal);
  if (!result.details) return { fetched: false, note: result.note };
  const details = result.details;
  await db.transaction((tx) => upsertEventDetails(tx, workspace, details, fetchedAt));
  return { fetched: true };
}

/**
 * Every event's details from GET /events, or a note when the key lacks `events.get`
 * (403): details are optional wherever counts are what matters (sync, connectors).
 *
 * @example
 * const { details, note } = await fetchEventDetails(client, signal);
 */
export async function fetchEventDetails(
  client: Pick<SyncClient, 'events'>,
  signal: AbortSignal | undefined,
): Promise<{ details: CustomEvent[]; note?: undefined } | { details?: undefined; note: string }> {
  const details: CustomEvent[] = [];
  try {
    const options = { maxWaitMs: DETAILS_MAX_WAIT_MS, ...(signal ? { signal } : {}) };
    for await (const event of client.events(options)) details.push(event);
  } catch (error) {
    if (isBrazeAuthError(error) && error.status === 403) {
      return { note: 'event details skipped: the API key lacks the "events.get" permission' };
    }
    throw error;
  }
  return { details };
}
