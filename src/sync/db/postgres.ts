/**
 * PostgreSQL adapter over pg 8: a small pool, `?` placeholders rewritten to `$n`,
 * timestamptz read back as ISO-8601 UTC strings and BIGINT/NUMERIC as numbers, so callers
 * see the same values as with SQLite. Locks are session advisory locks on a dedicated
 * connection: the server drops them when the process dies, kill -9 included.
 */
import pg from 'pg';
import { runMigrations } from './migrate.js';
import { toPostgresPlaceholders } from './placeholders.js';
import { pgTimestampToIso } from './timestamps.js';
import type {
  Database,
  DatabaseLock,
  ExecResult,
  LockHolder,
  Queryable,
  SqlValue,
} from './types.js';
import { redactDatabaseUrl } from './url.js';

/** Connections in the pool (sync workers plus the lock connection). */
export const POSTGRES_POOL_SIZE = 10;

/** First key of every advisory lock this tool takes ("brsv"), the second is a name hash. */
const LOCK_CLASS = 0x62727376;

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

/** 32-bit FNV-1a of `text`, as a signed int4 for pg_try_advisory_lock(int, int). */
function lockKey(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * Parameterized statements are prepared once per connection under a name derived from
 * their text: a window's upsert is parsed and planned once, not per window (planning was
 * a third of its server time). Texts are a bounded set written in this codebase.
 */
const statementNames = new Map<string, string>();
function statement(sql: string, values: unknown[]): pg.QueryConfig {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `be_${statementNames.size}`;
    if (statementNames.size < 5_000) statementNames.set(sql, name);
    else return { text: sql, values };
  }
  return { name, text: sql, values };
}

function queryable(run: (sql: string, params: unknown[]) => Promise<pg.QueryResult>): Queryable {
  return {
    dialect: 'postgres',
    async query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
      const result = await run(toPostgresPlaceholders(sql), bind(params));
      return result.rows as T[];
    },
    async exec(sql: string, params?: readonly SqlValue[]): Promise<ExecResult> {
      // No params: simple protocol, so a script of several statements works.
      const result =
        !params || params.length === 0
          ? await run(sql, [])
          : await run(toPostgresPlaceholders(sql), bind(params));
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { changes: last?.rowCount ?? 0 };
    },
  };
}

/**
 * Connects to the PostgreSQL database at `url`.
 *
 * @example
 * const db = await openPostgres('postgres://braze@localhost/analytics');
 */
export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POSTGRES_POOL_SIZE,
    types: typeParsers,
    options: '-c TimeZone=UTC',
    application_name: 'braze-events',
  });
  // An idle connection dropped by the server must not crash the process.
  pool.on('error', () => {});
  // Fail now, with a clear error, rather than at the first query.
  const probe = await pool.connect();
  probe.release();

  const viaPool = queryable((sql, params) =>
    params.length === 0 ? pool.query(sql) : pool.query(statement(sql, params)),
  );

  const db: Database = {
    dialect: 'postgres',
    location: redactDatabaseUrl(url),
    query: viaPool.query,
    exec: viaPool.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn(
          queryable((sql, params) =>
            params.length === 0 ? client.query(sql) : client.query(statement(sql, params)),
          ),
        );
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
        client.release(broken);
      }
    },
    async tryLock(name: string): Promise<DatabaseLock | { holder: LockHolder }> {
      const client = await pool.connect();
      const key = lockKey(name);
      try {
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1, $2) AS ok',
          [LOCK_CLASS, key],
        );
        if (!rows[0]?.ok) {
          const holder = await client.query<{ pid: number; since: string }>(
            `SELECT a.pid, a.backend_start AS since FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.classid::int4 = $1 AND l.objid::int4 = $2 AND l.granted LIMIT 1`,
            [LOCK_CLASS, key],
          );
          client.release();
          const row = holder.rows[0];
          return { holder: row ? { since: row.since } : {} };
        }
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          try {
            await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, key]);
            client.release();
          } catch (error) {
            // Destroying the connection releases the lock too.
            client.release(error as Error);
          }
        },
      };
    },
    migrate: () => runMigrations(db),
    async close() {
      await pool.end();
    },
  };
  return db;
}
