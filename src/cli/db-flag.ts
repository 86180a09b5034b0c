/**
 * `--db` for every command: resolved (flag, `BRAZE_EVENTS_DB`, default file), parsed, and
 * opened with any failure as one line naming the flag and value. One exit-code rule: a
 * location the user gave that cannot be used (not a database, a missing folder, nothing
 * there to read, a PostgreSQL database or role that does not exist, a refused password) is
 * a usage error (exit 2); a database server that is down is a runtime failure (exit 1).
 * Passwords in postgres URLs are never shown.
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

/**
 * SQLSTATEs of a connection the server refused for what `--db` says (exit 2): the database
 * does not exist (3D000), the role does not exist or pg_hba.conf has no entry for it
 * (28000), the password is wrong (28P01). https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const REFUSED_AS_CONFIGURED = new Set(['3D000', '28000', '28P01']);

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
  // rides out a lost server, and when it is back: a silent minute looks hung.
  const timeoutS = (open.reconnectTimeoutMs ?? DEFAULT_DB_RECONNECT_TIMEOUT_MS) / 1000;
  const log = createCliLogger();
  const notice = reconnectNotice((m) => log.warn(m), timeoutS);
  try {
    const db = await openDatabase(url, { ...notice.options, ...open });
    notice.opened();
    return db;
  } catch (err) {
    throw describeOpenError(err, label);
  }
}

/** The notice of one database's waits: see {@link reconnectNotice}. */
export interface ReconnectNotice {
  /** The `onReconnectWait` and `onReconnected` options of `openDatabase`. */
  readonly options: {
    onReconnectWait: (attempt: number, ms: number, error: unknown) => void;
    onReconnected: (waitedMs: number) => void;
  };
  /** Call once the database opened: later waits are a server that stopped answering. */
  opened(): void;
}

/**
 * What a CLI command says while it waits for its database: one line when an outage starts
 * (the statements in flight all notice it at once), naming the reason and the bound, and
 * one when the server answers again, with how long it was away. Before the database opened,
 * the wait is for a server not answering yet (a maintenance window, a failover).
 *
 * @example
 * const notice = reconnectNotice((m) => log.warn(m), 60);
 * const db = await openDatabase(url, notice.options);
 * notice.opened();
 */
export function reconnectNotice(
  warn: (message: string) => void,
  timeoutS: number,
  now: () => number = Date.now,
): ReconnectNotice {
  let opened = false;
  let outageSince: number | undefined;
  return {
    options: {
      onReconnectWait(_attempt, _ms, error) {
        if (outageSince !== undefined) return;
        outageSince = now();
        const reason = connectionErrorReason(error);
        warn(
          opened
            ? `the database stopped answering (${reason}); reconnecting for up to ${timeoutS} s`
            : `the database is not answering (${reason}); waiting for it for up to ${timeoutS} s`,
        );
      },
      onReconnected() {
        if (outageSince === undefined) return;
        const away = ((now() - outageSince) / 1000).toFixed(1);
        outageSince = undefined;
        warn(
          opened
            ? `the database answers again after ${away} s`
            : `the database answers after ${away} s`,
        );
      },
    },
    opened() {
      opened = true;
    },
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
  // pg's messages name the database or the role, never the password.
  if (typeof code === 'string' && REFUSED_AS_CONFIGURED.has(code)) {
    return new UsageError(`${label}: ${messageOf(err)}`);
  }
  // Waited for (openDatabase's waitOnOpen) until the bound: the last attempt's reason.
  if (code === 'DATABASE_UNAVAILABLE') {
    const { cause, waitedMs } = err as { cause?: unknown; waitedMs?: number };
    const still = `, still after ${Math.round((waitedMs ?? 0) / 1000)} s of waiting`;
    return new Error(`${label}: ${unreachable(cause)}${still}`, { cause: err });
  }
  return new Error(`${label}: ${unreachable(err)}`, { cause: err });
}

/** `server not reachable (ECONNREFUSED)` for a server away, else the error's own message. */
function unreachable(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) return `server not reachable (${code})`;
  return messageOf(err);
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
