/**
 * Cross-process lock for SQLite: a row in `sync_locks` with the holder's pid, host and a
 * heartbeat. A row whose process is gone (kill -9 included) or whose heartbeat is stale is
 * taken over, so a crashed sync never blocks the next cron run.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { instantMs } from '../../api/time.js';
import type { Database, DatabaseLock, LockHolder, Queryable } from './types.js';

/** How often a holder refreshes its heartbeat. */
export const LOCK_HEARTBEAT_MS = 5_000;
/** A heartbeat older than this means the holder is gone (hung, or on another host). */
export const LOCK_STALE_MS = 60_000;

interface LockRow {
  token: string;
  pid: number;
  host: string;
  acquired_at: string;
  heartbeat_at: string;
}

/** Whether the process that wrote `row` still holds its lock. */
function holderAlive(row: LockRow, now: number): boolean {
  if (now - instantMs(row.heartbeat_at) > LOCK_STALE_MS) return false;
  if (row.host !== hostname()) return true;
  if (row.pid === process.pid) return true;
  try {
    process.kill(row.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds lock `name` (`now`: epoch ms), or null; reads only. See `Queryable.lockHolder`. */
export async function readSqliteLockHolder(
  db: Queryable,
  name: string,
  now: number,
): Promise<LockHolder | null> {
  const [row] = await db.query<LockRow>(
    'SELECT token, pid, host, acquired_at, heartbeat_at FROM sync_locks WHERE name = ?',
    [name],
  );
  if (!row || !holderAlive(row, now)) return null;
  return { pid: row.pid, host: row.host, since: row.acquired_at };
}

/** The names starting with `prefix` of the locks held at `now` (epoch ms); reads only. */
export async function readSqliteLockNames(
  db: Queryable,
  prefix: string,
  now: number,
): Promise<string[]> {
  // substr, not LIKE: a name may hold % or _.
  const rows = await db.query<LockRow & { name: string }>(
    'SELECT name, token, pid, host, acquired_at, heartbeat_at FROM sync_locks WHERE substr(name, 1, ?) = ? ORDER BY name',
    [prefix.length, prefix],
  );
  return rows.filter((row) => holderAlive(row, now)).map((row) => row.name);
}

/** See {@link Database.tryLock}. */
export async function trySqliteLock(
  db: Database,
  name: string,
): Promise<DatabaseLock | { holder: LockHolder }> {
  const token = randomUUID();
  const host = hostname();
  const holder = await db.transaction(async (tx) => {
    const alive = await readSqliteLockHolder(tx, name, Date.now());
    if (alive) return alive;
    const now = new Date().toISOString();
    await tx.exec(
      `INSERT INTO sync_locks (name, token, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
         acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
      [name, token, process.pid, host, now, now],
    );
    return undefined;
  });
  if (holder) return { holder };

  const timer = setInterval(() => {
    db.exec('UPDATE sync_locks SET heartbeat_at = ? WHERE name = ? AND token = ?', [
      new Date().toISOString(),
      name,
      token,
    ]).catch(() => {
      // A missed heartbeat only matters after LOCK_STALE_MS; the next tick retries.
    });
  }, LOCK_HEARTBEAT_MS);
  timer.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await db.exec('DELETE FROM sync_locks WHERE name = ? AND token = ?', [name, token]);
    },
  };
}
