/**
 * PostgreSQL's locks (`Database.tryLock`) are session advisory locks, keyed by this tool's
 * class and a hash of the lock's name. Who holds one is read from pg_locks and
 * pg_stat_activity: the holding session names its process in its `application_name`
 * (visible to every role, unlike `query_start`), as SQLite's lock row does in its columns.
 * Kept apart from postgres.ts: no pg driver needed to read or test it.
 */
import { hostname } from 'node:os';
import type { LockHolder, Queryable } from './types.js';

/** First key of every advisory lock this tool takes ("brsv"), the second is a name hash. */
export const ADVISORY_LOCK_CLASS = 0x62727376;

/** 32-bit FNV-1a of `name`, as a signed int4 for pg_try_advisory_lock(int, int). */
export function advisoryLockKey(name: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(name)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * The `application_name` of a PostgreSQL session while it holds a lock. PostgreSQL keeps
 * 63 bytes of it (a long host name is cut) and shows non-ASCII characters as `?`.
 */
export function lockHolderApplicationName(): string {
  return `braze-events lock pid=${process.pid} host=${hostname()}`;
}

const HOLDER_NAME = /^braze-events lock pid=(\d+) host=(.*)$/;

/**
 * The holder of advisory lock `name` in the current database (advisory locks are per
 * database, pg_locks lists the whole cluster's). `since` is when it was taken: the lock's
 * session runs nothing else while it holds it, so its last statement is the take.
 */
const ADVISORY_HOLDER_SQL = `SELECT a.application_name, a.query_start AS since
  FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
 WHERE l.locktype = 'advisory' AND l.granted
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND l.classid::int4 = ? AND l.objid::int4 = ?
 LIMIT 1`;

/**
 * Who holds advisory lock `name` in `db`'s database, or null: see `Queryable.lockHolder`.
 *
 * @example
 * await readAdvisoryLockHolder(db, 'sync:prod'); // { pid: 4242, host: 'cron-1', since: '…' }
 */
export async function readAdvisoryLockHolder(
  db: Queryable,
  name: string,
): Promise<LockHolder | null> {
  const [row] = await db.query<{ application_name: string | null; since: string | null }>(
    ADVISORY_HOLDER_SQL,
    [ADVISORY_LOCK_CLASS, advisoryLockKey(name)],
  );
  if (!row) return null;
  const named = HOLDER_NAME.exec(row.application_name ?? '');
  return {
    ...(named ? { pid: Number(named[1]), host: named[2]! } : {}),
    // Null when the session belongs to another role without pg_read_all_stats.
    ...(row.since ? { since: row.since } : {}),
  };
}
