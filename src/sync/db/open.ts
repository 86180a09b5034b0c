/**
 * `openDatabase(url)`: the one entry point to storage. Adapters load lazily so a SQLite
 * user never loads pg and the reverse, and so neither driver (both optional dependencies)
 * is needed until a database is opened.
 */
import { DatabaseDriverMissingError } from '../errors.js';
import type { PostgresOptions } from './postgres.js';
import type { Database } from './types.js';
import { parseDatabaseUrl } from './url.js';

export interface OpenDatabaseOptions extends PostgresOptions {
  /** Apply pending migrations right after opening. Default false. */
  migrate?: boolean;
}

/**
 * Opens a database from a file path, `sqlite:PATH`, or a `postgres://` URL.
 *
 * @example
 * const db = await openDatabase('postgres://localhost/analytics', { migrate: true });
 * const rows = await db.query('SELECT event, count FROM event_counts WHERE workspace = ?', ['default']);
 * await db.close();
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  const target = parseDatabaseUrl(url);
  let db: Database;
  if (target.dialect === 'sqlite') {
    const { openSqlite } = await loadAdapter(
      () => import('./sqlite.js'),
      'better-sqlite3',
      'SQLite',
    );
    db = await openSqlite(target.path);
  } else {
    const { openPostgres } = await loadAdapter(() => import('./postgres.js'), 'pg', 'PostgreSQL');
    db = await openPostgres(target.url, options);
  }
  if (options.migrate) {
    try {
      await db.migrate();
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}

/** Imports an adapter; its driver package missing becomes a DatabaseDriverMissingError. */
async function loadAdapter<T>(load: () => Promise<T>, packageName: string, what: string) {
  try {
    return await load();
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    if (
      code === 'ERR_MODULE_NOT_FOUND' &&
      typeof message === 'string' &&
      message.includes(`'${packageName}'`)
    ) {
      throw new DatabaseDriverMissingError(packageName, what, error);
    }
    throw error;
  }
}
