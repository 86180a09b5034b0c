/**
 * PostgreSQL adapter over pg 8: a small pool, `?` placeholders rewritten to `$n`,
 * timestamptz read back as ISO-8601 UTC strings and BIGINT/NUMERIC as numbers, so callers
 * see the same values as with SQLite. Locks are session advisory locks on a dedicated
 * connection: the server drops them when the process dies, kill -9 included.
 */
import pg from 'pg';
import { DatabaseUnavailableError } from '../errors.js';
import {
  ADVISORY_LOCK_CLASS,
  advisoryLockKey,
  lockHolderApplicationName,
  readAdvisoryLockHolder,
} from './advisory-lock.js';
import { runMigrations } from './migrate.js';
import { toPostgresPlaceholders } from './placeholders.js';
import { DEFAULT_DB_RECONNECT_TIMEOUT_MS, withReconnect } from './reconnect.js';
import { pgTimestampToIso } from './timestamps.js';
import type { Database, ExecResult, Queryable, SqlValue } from './types.js';
import { redactDatabaseUrl } from './url.js';

/** The `application_name` of this tool's sessions (a lock's session says its holder). */
const APPLICATION_NAME = 'braze-events';

/** Connections in the pool (sync workers plus the lock connection). */
export const POSTGRES_POOL_SIZE = 10;

/**
 * How long opening one connection may take before it counts as a lost connection, unless
 * `connectTimeoutMs` says otherwise.
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 30_000;

const OID = { int8: 20, numeric: 1700, timestamp: 1114, timestamptz: 1184 } as const;

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      if (oid === OID.timestamptz) return pgTimestampToIso;
      // Timestamps without zone are never written by this tool; read them as UTC.
      if (oid === OID.timestamp) return (text: string) => pgTimestampToIso(`${text}+00`);
      // Counts stay far below 2^53; numbers keep both dialects' rows identical.
      if (oid === OID.int8 || oid === OID.numeric) return (text: string) => Number(text);
    }
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format.
    return pg.types.getTypeParser(oid, format as any);
  },
};

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
}

/**
 * Parameterized statements are prepared once per connection under a name derived from
 * their text: a window's upsert is parsed and planned once, not per window (planning was
 * a third of its server time). Their `?` placeholders are rewritten once per text too:
 * rewriting the upsert's 1,300 characters took 30–200 µs of the client's time per window.
 * Texts are a bounded set written in this codebase.
 */
const statements = new Map<string, { name: string; text: string }>();
function statement(sql: string, values: unknown[]): pg.QueryConfig {
  let known = statements.get(sql);
  if (known === undefined) {
    known = { name: `be_${statements.size}`, text: toPostgresPlaceholders(sql) };
    if (statements.size < 5_000) statements.set(sql, known);
    else return { text: known.text, values };
  }
  return { name: known.name, text: known.text, values };
}

function queryable(run: (sql: string, params: unknown[]) => Promise<pg.QueryResult>): Queryable {
  const handle: Queryable = {
    dialect: 'postgres',
    async query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
      const result = await run(sql, bind(params));
      return result.rows as T[];
    },
    async exec(sql: string, params?: readonly SqlValue[]): Promise<ExecResult> {
      // No params: simple protocol, so a script of several statements works.
      const result = await run(sql, bind(params));
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { changes: last?.rowCount ?? 0 };
    },
    lockHolder: (name) => readAdvisoryLockHolder(handle, name),
    heldLockNames: async () => [],
  };
  return handle;
}

/** Options of {@link openPostgres} (and of `openDatabase` for a postgres URL). */
export interface PostgresOptions {
  /**
   * How long a statement or transaction keeps being retried on new connections after the
   * server stopped answering (restart, failover, killed connection) before
   * DatabaseUnavailableError. Default {@link DEFAULT_DB_RECONNECT_TIMEOUT_MS}; 0 disables.
   */
  reconnectTimeoutMs?: number;
  /**
   * Also wait, within `reconnectTimeoutMs`, for a server that does not answer when the
   * database is opened (a job started in a maintenance window or during a failover).
   * Only a server away is waited for: a database or role that does not exist, a refused
   * password, fail at once. Default false: opening fails at once (DatabaseUnavailableError
   * after the bound when true).
   */
  waitOnOpen?: boolean;
  /**
   * Stops every wait for the server at once when aborted (e.g. on Ctrl-C): nothing in
   * flight can commit while it is away. The statement waiting throws
   * DatabaseUnavailableError with `interrupted: true`; a first attempt still runs.
   */
  signal?: AbortSignal;
  /** Told each wait for the server, e.g. to say it on stderr. */
  onReconnectWait?: (attempt: number, ms: number, error: unknown) => void;
  /**
   * Told when the server answers again after a wait, with the ms waited; after a wait that
   * ran out (DatabaseUnavailableError), by the next statement that succeeds.
   */
  onReconnected?: (waitedMs: number) => void;
  /**
   * How long opening one connection may take (ms, > 0) before it counts as a lost
   * connection: a host gone from the network answers nothing, not even a refusal. Default
   * {@link POSTGRES_CONNECT_TIMEOUT_MS}; the dashboard uses its few seconds.
   */
  connectTimeoutMs?: number;
}

/** A checked-out client must have an 'error' listener: without one a dropped connection crashes the process. */
function guard(client: pg.PoolClient, onError: (error: Error) => void = () => {}): () => void {
  client.on('error', onError);
  return () => client.removeListener('error', onError);
}

/**
 * Connects to the PostgreSQL database at `url`.
 *
 * @example
 * const db = await openPostgres('postgres://braze@localhost/analytics');
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POSTGRES_POOL_SIZE,
    types: typeParsers,
    options: '-c TimeZone=UTC',
    application_name: APPLICATION_NAME,
    // A server that drops off the network (no refusal, no reset) must not hang a connect
    // or a query forever: the reconnect loop's bound only counts between attempts.
    connectionTimeoutMillis: options.connectTimeoutMs ?? POSTGRES_CONNECT_TIMEOUT_MS,
    keepAlive: true,
    // Queries are written without waiting for the answer to the one before: a
    // transaction's BEGIN goes out with its first statement (see transactionOnce). Every
    // query still ends with its own Sync, so an error fails only that query. (A sync
    // window needs no transaction at all: it is one statement, src/sync/store/counts.ts.)
    pipeline: true,
  });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', () => {});

  const location = redactDatabaseUrl(url);
  /** Advisory locks held; a lock whose connection dropped is re-taken before a retry. */
  const held = new Set<HeldLock>();
  /**
   * Set when a wait ran out (DatabaseUnavailableError) and nothing has succeeded since: a
   * long-lived reader (the dashboard) goes on after giving up, and hears that the server is
   * back from the next statement that succeeds, even at its first attempt.
   */
  let outageSince: number | undefined;
  const reconnected = (waitedMs: number) => {
    const since = outageSince;
    outageSince = undefined;
    options.onReconnected?.(since === undefined ? waitedMs : Date.now() - since);
  };
  const retrying = async <T>(work: () => Promise<T>): Promise<T> => {
    let result: T;
    try {
      result = await withReconnect(work, {
        location,
        timeoutMs: options.reconnectTimeoutMs ?? DEFAULT_DB_RECONNECT_TIMEOUT_MS,
        beforeRetry: async () => {
          for (const lock of held) if (lock.lost) await lock.retake();
        },
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.onReconnectWait ? { onWait: options.onReconnectWait } : {}),
        onReconnected: reconnected,
      });
    } catch (error) {
      if (error instanceof DatabaseUnavailableError) outageSince ??= Date.now() - error.waitedMs;
      throw error;
    }
    if (outageSince !== undefined) reconnected(0);
    return result;
  };

  // Fail now, with a clear error, rather than at the first query.
  const connect = () => pool.connect();
  try {
    const probe = await (options.waitOnOpen ? retrying(connect) : connect());
    probe.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }

  const viaPool = queryable((sql, params) =>
    retrying(() => (params.length === 0 ? pool.query(sql) : pool.query(statement(sql, params)))),
  );

  async function transactionOnce<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    const unguard = guard(client);
    let broken: Error | undefined;
    // Not awaited before the first statement: a short transaction (BEGIN, a statement or
    // two, COMMIT) would wait a third of its round trips for BEGIN's answer. BEGIN cannot
    // fail on a live connection, and on a dead one the statements behind it fail too.
    const begun = client.query('BEGIN');
    begun.catch(() => {}); // awaited below; this only keeps an early failure handled
    try {
      const result = await fn(
        queryable((sql, params) =>
          params.length === 0 ? client.query(sql) : client.query(statement(sql, params)),
        ),
      );
      await begun;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      unguard();
      client.release(broken);
    }
  }

  /**
   * Takes the advisory lock on a dedicated connection; false when someone else holds it.
   * The taking session names its process in its `application_name` (advisory-lock.ts), in
   * the same statement, so that its `query_start` is when the lock was taken.
   */
  async function takeLock(key: number): Promise<pg.PoolClient | false> {
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>(
        `WITH taken AS MATERIALIZED (SELECT pg_try_advisory_lock($1, $2) AS ok)
         SELECT ok, CASE WHEN ok THEN set_config('application_name', $3, false) END FROM taken`,
        [ADVISORY_LOCK_CLASS, key, lockHolderApplicationName()],
      );
      if (rows[0]?.ok) return client;
      client.release();
      return false;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
  }

  /** Without the reconnect loop: the caller (tryLock) runs in it already. */
  const direct = queryable((sql, params) => pool.query(statement(sql, params)));

  function holdLock(name: string, key: number, first: pg.PoolClient): HeldLock {
    let client = first;
    let unguard: () => void;
    /** The retake in progress: writers failing together share it (a second session asking
     * for the lock would find it held by the first one's new session and give up). */
    let retaking: Promise<void> | undefined;
    const watch = () => {
      const watched = client;
      // The server dropped the session, and the advisory lock with it. Only the current
      // session counts: the one a retake replaced ends too, when it is destroyed.
      const onLost = () => {
        if (watched === client) lock.lost = true;
      };
      unguard = guard(watched, onLost);
      watched.once('end', onLost);
    };
    const retakeOnce = async () => {
      const next = await takeLock(key);
      if (next === false) {
        throw new Error(
          `lost the lock "${name}" while the database was away and another process holds it now; nothing more is written`,
        );
      }
      const previous = client;
      unguard();
      client = next;
      lock.lost = false;
      watch();
      previous.release(true);
    };
    const lock: HeldLock = {
      lost: false,
      retake() {
        retaking ??= retakeOnce().finally(() => {
          retaking = undefined;
        });
        return retaking;
      },
      async release() {
        if (!held.delete(lock)) return;
        unguard();
        try {
          if (lock.lost) throw new Error('connection lost');
          // Back in the pool, the session no longer names a holder.
          await client.query(
            "SELECT pg_advisory_unlock($1, $2), set_config('application_name', $3, false)",
            [ADVISORY_LOCK_CLASS, key, APPLICATION_NAME],
          );
          client.release();
        } catch (error) {
          // Destroying the connection releases the lock too.
          client.release(error as Error);
        }
      },
    };
    watch();
    held.add(lock);
    return lock;
  }

  const db: Database = {
    dialect: 'postgres',
    location,
    query: viaPool.query,
    exec: viaPool.exec,
    lockHolder: viaPool.lockHolder,
    heldLockNames: viaPool.heldLockNames,
    transaction: (fn) => retrying(() => transactionOnce(fn)),
    tryLock: (name) =>
      retrying(async () => {
        const key = advisoryLockKey(name);
        const client = await takeLock(key);
        // Released since the take failed: nobody to name.
        if (client === false) return { holder: (await direct.lockHolder(name)) ?? {} };
        const lock = holdLock(name, key, client);
        return { release: () => lock.release() };
      }),
    migrate: () => runMigrations(db),
    async close() {
      for (const lock of [...held]) await lock.release();
      await pool.end();
    },
  };
  return db;
}

interface HeldLock {
  lost: boolean;
  retake(): Promise<void>;
  release(): Promise<void>;
}
