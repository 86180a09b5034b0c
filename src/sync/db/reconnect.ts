/**
 * A PostgreSQL server that goes away for a moment (a restart, a failover, an idle
 * connection killed) must not end a sync: the statement or transaction in flight is run
 * again on a new connection, with backoff, until the server answers, a bound passes, or the
 * caller's signal stops the wait (Ctrl-C: nothing in flight can commit while the server is
 * away, so waiting on would only delay the exit). Running a transaction again is safe
 * because every write of the sync is an upsert and a failed transaction left nothing. Pure
 * decisions here; the adapter does the IO.
 */
import { backoffDelay } from '../../core/retry.js';
import { defaultSleep, type Sleep } from '../../core/sleep.js';
import { DatabaseUnavailableError } from '../errors.js';

/** How long a sync waits for a database that stopped answering before it gives up. */
export const DEFAULT_DB_RECONNECT_TIMEOUT_MS = 60_000;

/** Backoff between reconnection attempts: 100 ms doubling, at most 2 s. */
const RECONNECT_BACKOFF = { baseMs: 100, floorMs: 50, maxMs: 2_000 } as const;

// Socket errors, and the SQLSTATEs of a server shutting down or not accepting connections
// yet (class 08 connection exception, 57P01–57P03): https://www.postgresql.org/docs/current/errcodes-appendix.html
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

// pg reports a socket closed under it with these messages and no code.
const CONNECTION_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether `error` says the connection to the server is gone (so the work can be run again
 * on a new one), as opposed to an error of the statement itself.
 *
 * @example isConnectionError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })); // true
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return CONNECTION_MESSAGES.test(error.message);
}

export interface ReconnectOptions {
  /** Redacted database location, for the error message. */
  location: string;
  /** Give up this long after the first failure. Default {@link DEFAULT_DB_RECONNECT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Called before each new attempt (re-takes locks held by lost connections). */
  beforeRetry?: () => Promise<void>;
  /** Told each wait, for a "waiting for the database" line. */
  onWait?: (attempt: number, ms: number, error: unknown) => void;
  /** Told when the work succeeded after waiting, with the ms since its first failure. */
  onReconnected?: (waitedMs: number) => void;
  /**
   * Stops the waiting (not the work: a first attempt always runs, the server may be up):
   * once aborted, a lost connection is a DatabaseUnavailableError at once, `interrupted`.
   */
  signal?: AbortSignal;
  sleep?: Sleep;
  now?: () => number;
}

/**
 * Runs `work`; when it fails because the connection is gone, waits (backoff) and runs it
 * again, until it succeeds, fails otherwise, or `timeoutMs` have passed since the first
 * failure, or `signal` aborts (then DatabaseUnavailableError).
 *
 * @example
 * await withReconnect(() => pool.query('SELECT 1'), { location: 'postgres://db/x' });
 */
export async function withReconnect<T>(
  work: () => Promise<T>,
  options: ReconnectOptions,
): Promise<T> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_DB_RECONNECT_TIMEOUT_MS;
  let firstFailure: number | undefined;
  for (let attempt = 0; ; attempt += 1) {
    let result: T;
    try {
      if (attempt > 0) await options.beforeRetry?.();
      result = await work();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      firstFailure ??= now();
      const since = firstFailure;
      const gone = (interrupted: boolean) =>
        new DatabaseUnavailableError(options.location, now() - since, error, interrupted);
      if (signal?.aborted) throw gone(true);
      const waited = now() - since;
      if (waited >= timeoutMs) throw gone(false);
      const ms = Math.min(backoffDelay(attempt, RECONNECT_BACKOFF), timeoutMs - waited);
      options.onWait?.(attempt, ms, error);
      try {
        await sleep(ms, signal);
      } catch (sleepError) {
        if (signal?.aborted) throw gone(true);
        throw sleepError;
      }
      continue;
    }
    if (firstFailure !== undefined) options.onReconnected?.(now() - firstFailure);
    return result;
  }
}
