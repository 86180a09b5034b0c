/**
 * SQLite adapter over better-sqlite3 12: WAL (readers never block the writer, a crash
 * never tears a committed transaction), a busy timeout so a second process waits instead
 * of failing at once, and BEGIN IMMEDIATE transactions so two writers never deadlock.
 */
import BetterSqlite3 from 'better-sqlite3';
import { runMigrations } from './migrate.js';
import { Mutex } from './mutex.js';
import { readSqliteLockHolder, readSqliteLockNames, trySqliteLock } from './sqlite-lock.js';
import type { Database, ExecResult, Queryable, SqlValue } from './types.js';

/** How long a write waits for another connection's write lock before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 30_000;

/**
 * better-sqlite3 waits for a lock synchronously, which would freeze the event loop, and
 * with two connections in one process deadlock (the holder's commit can never run). So
 * SQLite's own busy timeout stays short and the wait for the write lock happens here,
 * asynchronously.
 */
const SYNC_BUSY_TIMEOUT_MS = 50;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** Runs `fn`, retrying with backoff while the database is locked by someone else. */
async function whileBusy<T>(fn: () => T | Promise<T>): Promise<T> {
  const deadline = Date.now() + SQLITE_BUSY_TIMEOUT_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fn();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5 * 2 ** attempt, 100)));
    }
  }
}

type Bindable = string | number | bigint | null;

function bind(params: readonly SqlValue[] | undefined): Bindable[] {
  if (!params) return [];
  return params.map((p) => {
    if (p instanceof Date) return p.toISOString();
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (p === undefined) return null;
    if (Array.isArray(p)) throw new TypeError('SQLite cannot bind an array parameter');
    return p as Bindable;
  });
}

/**
 * Opens (creating if missing) the SQLite file at `path`.
 *
 * @example
 * const db = await openSqlite('./braze-events.db');
 */
export async function openSqlite(path: string): Promise<Database> {
  const raw = new BetterSqlite3(path);
  raw.pragma(`busy_timeout = ${SYNC_BUSY_TIMEOUT_MS}`);
  if (path !== ':memory:') raw.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the
  // last commits, never corrupt the file.
  raw.pragma('synchronous = NORMAL');
  const mutex = new Mutex();
  const statements = new Map<string, BetterSqlite3.Statement>();

  const prepare = (sql: string): BetterSqlite3.Statement => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = raw.prepare(sql);
      if (statements.size > 500) statements.clear();
      statements.set(sql, stmt);
    }
    return stmt;
  };

  const direct: Queryable = {
    dialect: 'sqlite',
    async query<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
      const stmt = prepare(sql);
      if (stmt.reader) return stmt.all(...bind(params)) as T[];
      stmt.run(...bind(params));
      return [];
    },
    async exec(sql: string, params?: readonly SqlValue[]): Promise<ExecResult> {
      if (!params || params.length === 0) {
        let stmt: BetterSqlite3.Statement | undefined;
        try {
          stmt = prepare(sql);
        } catch (error) {
          // Several statements (a migration): exec them as a script.
          if (!(error instanceof RangeError)) throw error;
          raw.exec(sql);
          return { changes: 0 };
        }
        return { changes: stmt.run().changes };
      }
      return { changes: prepare(sql).run(...bind(params)).changes };
    },
    lockHolder: (name) => readSqliteLockHolder(direct, name, Date.now()),
    heldLockNames: (prefix) => readSqliteLockNames(direct, prefix, Date.now()),
  };

  let closed = false;
  const db: Database = {
    dialect: 'sqlite',
    location: path,
    query: (sql, params) => mutex.run(() => whileBusy(() => direct.query(sql, params))),
    exec: (sql, params) => mutex.run(() => whileBusy(() => direct.exec(sql, params))),
    lockHolder: (name) => mutex.run(() => whileBusy(() => direct.lockHolder(name))),
    heldLockNames: (prefix) => mutex.run(() => whileBusy(() => direct.heldLockNames(prefix))),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return mutex.run(async () => {
        await whileBusy(() => raw.exec('BEGIN IMMEDIATE'));
        try {
          const result = await fn(direct);
          await whileBusy(() => raw.exec('COMMIT'));
          return result;
        } catch (error) {
          if (raw.inTransaction) raw.exec('ROLLBACK');
          throw error;
        }
      });
    },
    tryLock: (name) => trySqliteLock(db, name),
    migrate: () => runMigrations(db),
    async close() {
      if (closed) return;
      closed = true;
      await mutex.run(() => raw.close());
    },
  };
  return db;
}
