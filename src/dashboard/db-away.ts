/**
 * How the dashboard answers while its database server is away (stopped, restarting,
 * unreachable): 503 with a Retry-After and a message for the person at the page or the
 * script polling the API, soon, rather than the sync's one-minute wait and its "run sync
 * again". Each request tries the database again, so answers come back as soon as the
 * server does, without restarting `serve`. Any other database error keeps its 500.
 */
import type { PostgresOptions } from '../sync/db/postgres.js';
import { isConnectionError } from '../sync/db/reconnect.js';
import { connectionErrorReason, DatabaseUnavailableError } from '../sync/errors.js';

/**
 * How long one dashboard request keeps retrying a PostgreSQL server that stopped answering
 * before it answers 503: long enough to ride out a quick restart, short enough that nobody
 * stares at a spinner. The sync's own bound (60 s) is for a batch job. `serve
 * --db-reconnect-timeout` sets it.
 */
export const DEFAULT_DASHBOARD_DB_RECONNECT_TIMEOUT_MS = 3_000;

/** The `Retry-After` (seconds) of a 503 while the database is away. */
export const DATABASE_AWAY_RETRY_AFTER_SECONDS = 5;

/** The shortest connect timeout the dashboard sets (a bound of 0 is not "no timeout"). */
const MIN_CONNECT_TIMEOUT_MS = 1_000;

/**
 * How the dashboard opens a PostgreSQL database (`serve` and `startDashboard` with a URL):
 * a request retries a lost server for `reconnectTimeoutMs`, and one connection attempt
 * may take as long (at least 1 s), not the pool's 30 s, so a host gone silent is not
 * waited for longer than one that refuses.
 *
 * @example
 * await openDatabase(url, dashboardDatabaseOptions(5_000));
 */
export function dashboardDatabaseOptions(
  reconnectTimeoutMs = DEFAULT_DASHBOARD_DB_RECONNECT_TIMEOUT_MS,
): Required<Pick<PostgresOptions, 'reconnectTimeoutMs' | 'connectTimeoutMs'>> {
  return {
    reconnectTimeoutMs,
    connectTimeoutMs: Math.max(reconnectTimeoutMs, MIN_CONNECT_TIMEOUT_MS),
  };
}

/**
 * The message of a 503 when `error` says the database server is away (the reconnection
 * bound ran out, or a connection error reached the dashboard unwrapped), else undefined.
 * `location` is the database's redacted location (`Database.location`), when known.
 *
 * @example
 * databaseAwayMessage(err, 'postgres://u:***@db/analytics');
 * // 'the database at postgres://u:***@db/analytics (password hidden) is not answering
 * //  (connect ECONNREFUSED 10.0.0.5:5432); the dashboard retries on the next request'
 */
export function databaseAwayMessage(error: unknown, location?: string): string | undefined {
  let reason: string;
  if (error instanceof DatabaseUnavailableError) {
    reason = error.reason;
    location ??= error.location;
  } else if (isConnectionError(error)) reason = connectionErrorReason(error);
  else return undefined;
  const where =
    location === undefined
      ? 'the database'
      : // redactDatabaseUrl writes *** where the password was.
        `the database at ${location}${/:\*\*\*@/.test(location) ? ' (password hidden)' : ''}`;
  return `${where} is not answering (${reason}); the dashboard retries on the next request`;
}
