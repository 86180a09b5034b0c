/**
 * Where the database is: `--db` / `BRAZE_EVENTS_DB` values mapped to an adapter.
 * Pure: no IO, so the CLI can reject a bad value before any request.
 */

/** Database used when neither `--db` nor `BRAZE_EVENTS_DB` is set. */
export const DEFAULT_DATABASE_PATH = './braze-events.db';

/** Environment variable holding the default database URL or path. */
export const DATABASE_ENV = 'BRAZE_EVENTS_DB';

/** A parsed database location. */
export type DatabaseTarget =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; url: string };

/**
 * Parses a database location: a file path, `sqlite:PATH` (also `sqlite://PATH`, and
 * `sqlite::memory:` for tests), or a `postgres://` / `postgresql://` URL.
 *
 * @throws TypeError when the value is empty or names an unsupported scheme.
 * @example
 * parseDatabaseUrl('sqlite:data/braze.db'); // { dialect: 'sqlite', path: 'data/braze.db' }
 * parseDatabaseUrl('postgres://u@db/braze'); // { dialect: 'postgres', url: 'postgres://u@db/braze' }
 */
export function parseDatabaseUrl(value: string): DatabaseTarget {
  const text = value.trim();
  if (text === '') throw new TypeError('Invalid database: the value is empty');
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new TypeError(`Invalid database URL: ${redactDatabaseUrl(text)}`);
    }
    return { dialect: 'postgres', url: text };
  }
  const sqlite = /^sqlite:(?:\/\/)?(.*)$/i.exec(text);
  if (sqlite) {
    const path = sqlite[1] ?? '';
    if (path === '') throw new TypeError(`Invalid database: "${text}" has no file path`);
    return { dialect: 'sqlite', path };
  }
  // A Windows drive letter (C:\…) is a path, any other `scheme:` is a mistake worth naming.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(text);
  if (scheme && !/^[a-z]:[\\/]/i.test(text)) {
    throw new TypeError(
      `Invalid database: unsupported scheme "${scheme[1]}:" (use a file path, sqlite:PATH or postgres://…)`,
    );
  }
  return { dialect: 'sqlite', path: text };
}

/**
 * Picks the database location: the flag, else `BRAZE_EVENTS_DB`, else the default file.
 *
 * @example
 * resolveDatabaseUrl(undefined, process.env); // './braze-events.db' unless BRAZE_EVENTS_DB is set
 */
export function resolveDatabaseUrl(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>> = {},
): string {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env[DATABASE_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv;
  return DEFAULT_DATABASE_PATH;
}

/**
 * Removes the password from a postgres URL so it can be logged or shown.
 *
 * @example
 * redactDatabaseUrl('postgres://u:secret@h/db'); // 'postgres://u:***@h/db'
 */
export function redactDatabaseUrl(value: string): string {
  return value.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
