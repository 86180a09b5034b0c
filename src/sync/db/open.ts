/**
 * `openDatabase(url)`: the one entry point to storage. Adapters load lazily so a SQLite
 * user never loads pg and the reverse.
 */
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
  const db =
    target.dialect === 'sqlite'
      ? await (await import('./sqlite.js')).openSqlite(target.path)
      : await (await import('./postgres.js')).openPostgres(target.url, options);
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
