/**
 * `--db` for every command: resolved (flag, `BRAZE_EVENTS_DB`, default file), parsed, and
 * opened with any failure as one line naming the flag and value. One exit-code rule: a
 * location the user gave that cannot be used (not a database, a missing folder, nothing
 * there to read) is a usage error (exit 2); a database server that is down is a runtime
 * failure (exit 1). Passwords in postgres URLs are never shown.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { OpenDatabaseOptions } from '../sync/db/open.js';
import type { Database } from '../sync/db/types.js';
import { connectionErrorReason } from '../sync/errors.js';
import { UsageError } from './errors.js';
import { createCliLogger } from './output.js';

/** A resolved `--db`: the URL, and how to name it in a message (`--db PATH`). */
export interface DbFlag {
  url: string;
  /** `--db VALUE` or `BRAZE_EVENTS_DB=VALUE`, password redacted. */
  label: string;
}

/** Connection errors that mean the server is down or unreachable (exit 1). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Resolves and parses `--db`; a malformed value is a UsageError naming it.
 *
 * @example
 * const { url, label } = await resolveDbFlag(flags.db);
 */
export async function resolveDbFlag(flag: string | undefined): Promise<DbFlag> {
  const { parseDatabaseUrl, redactDatabaseUrl, resolveDatabaseUrl } = await import(
    '../sync/db/url.js'
  );
  const url = resolveDatabaseUrl(flag, process.env);
  const fromEnv = (flag === undefined || flag === '') && process.env.BRAZE_EVENTS_DB?.trim();
  const label = `${fromEnv ? 'BRAZE_EVENTS_DB=' : '--db '}${redactDatabaseUrl(url)}`;
  try {
    parseDatabaseUrl(url);
  } catch (err) {
    throw new UsageError(`${label}: ${(err as Error).message}`);
  }
  return { url, label };
}

/**
 * Opens `--db`. `mustExist`: a SQLite file that is not there is a UsageError instead of a
 * new empty database (commands that only read). Every open error names the flag.
 *
 * @example
 * const db = await openDbFlag(flags.db, { mustExist: true });
 */
export async function openDbFlag(
  flag: string | undefined,
  options: OpenDatabaseOptions & { mustExist?: boolean } = {},
): Promise<Database> {
  const { url, label } = await resolveDbFlag(flag);
  const { parseDatabaseUrl } = await import('../sync/db/url.js');
  const target = parseDatabaseUrl(url);
  const { mustExist, ...open } = options;
  if (target.dialect === 'sqlite' && target.path !== ':memory:') {
    const folder = dirname(resolve(target.path));
    if (!existsSync(folder)) throw new UsageError(`${label}: folder ${folder} does not exist`);
    if (mustExist && !existsSync(target.path)) {
      throw new UsageError(
        `${label}: no database there: run "braze-events sync" first, or pass --db / set BRAZE_EVENTS_DB`,
      );
    }
  }
  const { openDatabase, DEFAULT_DB_RECONNECT_TIMEOUT_MS } = await import('../sync/db/index.js');
  // Every command that opens its database here (sync, serve, check, status) says when it
  // rides out a lost server: a silent minute looks hung.
  const timeoutS = (open.reconnectTimeoutMs ?? DEFAULT_DB_RECONNECT_TIMEOUT_MS) / 1000;
  if (open.onReconnectWait === undefined) {
    const log = createCliLogger();
    open.onReconnectWait = reconnectNotice((m) => log.warn(m), timeoutS);
  }
  try {
    return await openDatabase(url, open);
  } catch (err) {
    throw describeOpenError(err, label);
  }
}

/**
 * The `onReconnectWait` of a CLI command: one line per outage (the statements in flight
 * all notice it at once), naming the reason and the bound.
 */
export function reconnectNotice(
  warn: (message: string) => void,
  timeoutS: number,
): (attempt: number, ms: number, error: unknown) => void {
  let saidAt = Number.NEGATIVE_INFINITY;
  return (attempt, _ms, error) => {
    if (attempt > 0 || Date.now() - saidAt < timeoutS * 1000) return;
    saidAt = Date.now();
    warn(
      `the database stopped answering (${connectionErrorReason(error)}); reconnecting for up to ${timeoutS} s`,
    );
  };
}

/** An open error as the one line the user reads, with its exit code's class. */
function describeOpenError(err: unknown, label: string): unknown {
  const { code, name } = (err ?? {}) as { code?: unknown; name?: unknown };
  if (name === 'DatabaseDriverMissingError') return err;
  if (code === 'SQLITE_NOTADB') return new UsageError(`${label}: not a SQLite database`);
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    return new UsageError(`${label}: cannot be used (${code})`);
  }
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    return new Error(`${label}: server not reachable (${code})`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`${label}: ${message}`, { cause: err });
}
