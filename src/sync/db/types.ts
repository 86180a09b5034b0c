/**
 * The small database interface the sync engine, `status`, `check` and the dashboard share.
 * Both adapters (SQLite through better-sqlite3, PostgreSQL through pg) behave the same:
 * `?` placeholders, timestamps read back as ISO-8601 UTC strings
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`), BIGINT/NUMERIC read back as JS numbers.
 */

/** Which SQL engine a {@link Database} talks to. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * A value that can be bound to a `?` placeholder. Dates are bound as ISO-8601 UTC strings.
 * Arrays are PostgreSQL only (bound as arrays, for `unnest(?::bigint[])`).
 */
export type SqlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Date
  | readonly (string | number | null)[];

/** Result of a statement that returns no rows. */
export interface ExecResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

/** What can run SQL (and read who holds a lock): a database, or the handle a transaction callback receives. */
export interface Queryable {
  readonly dialect: Dialect;
  /**
   * Runs one statement and returns its rows. `?` placeholders in both dialects.
   *
   * @example
   * const rows = await db.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE workspace = ?', ['prod']);
   */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Runs SQL that returns no rows. Without params it may hold several statements.
   *
   * @example
   * await db.exec('DELETE FROM sync_runs WHERE workspace = ?', ['old']);
   */
  exec(sql: string, params?: readonly SqlValue[]): Promise<ExecResult>;
  /**
   * Who holds the lock `name` (see {@link Database.tryLock}), or null when nobody does.
   * Reads only: never takes, renews or clears a lock. A SQLite lock row whose process is
   * gone or whose heartbeat is stale is nobody, as for `tryLock`.
   *
   * @example
   * await db.lockHolder('sync:prod'); // { pid: 4242, host: 'cron-1', since: '2026-11-30T03:00:01.120Z' }
   */
  lockHolder(name: string): Promise<LockHolder | null>;
  /**
   * The names starting with `prefix` of the locks held now, sorted. Always empty on
   * PostgreSQL: its advisory locks keep only a hash of their name.
   */
  heldLockNames(prefix: string): Promise<string[]>;
}

/** A held, exclusive, cross-process lock (see {@link Database.tryLock}). */
export interface DatabaseLock {
  /** Releases the lock; safe to call twice. */
  release(): Promise<void>;
}

/** Who holds a lock another caller could not take, as far as the database knows. */
export interface LockHolder {
  pid?: number;
  host?: string;
  since?: string;
}

/** An open database. Obtain one with `openDatabase(url)`. */
export interface Database extends Queryable {
  /** The redacted location (file path, or postgres URL without password). */
  readonly location: string;
  /**
   * Runs `fn` in one transaction (SQLite: BEGIN IMMEDIATE) and commits, or rolls back and
   * rethrows. Queries inside must go through the `tx` handle.
   *
   * @example
   * await db.transaction(async (tx) => {
   *   await tx.exec('UPDATE series_watermarks SET updated_at = ? WHERE workspace = ?', [now, ws]);
   * });
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Takes an exclusive lock named `name` across processes without waiting, or returns
   * `{ holder }` when someone else holds it. A holder that died (even by SIGKILL) does
   * not keep the lock: PostgreSQL releases advisory locks with the session, SQLite's lock
   * row is taken over when its process is gone or its heartbeat is stale.
   */
  tryLock(name: string): Promise<DatabaseLock | { holder: LockHolder }>;
  /** Applies pending schema migrations (idempotent, never destructive). Returns versions applied. */
  migrate(): Promise<number[]>;
  close(): Promise<void>;
}
