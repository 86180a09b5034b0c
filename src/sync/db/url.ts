/**
 * Where the database is: `--db` / `BRAZE_EVENTS_DB` values mapped to an adapter.
 * Pure: no IO, so the CLI can reject a bad value before any request.
 */
import { quoteInput } from '../../api/quote.js';

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
      throw new TypeError(`Invalid database URL: ${quoteInput(redactDatabaseUrl(text))}`);
    }
    return { dialect: 'postgres', url: text };
  }
  const sqlite = /^sqlite:(?:\/\/)?(.*)$/i.exec(text);
  if (sqlite) {
    const path = sqlite[1] ?? '';
    if (path === '') throw new TypeError(`Invalid database: ${quoteInput(text)} has no file path`);
    return { dialect: 'sqlite', path };
  }
  // A Windows drive letter (C:\…) is a path, any other `scheme:` is a mistake worth naming.
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(text);
  if (scheme && !/^[a-z]:[\\/]/i.test(text)) {
    throw new TypeError(
      `Invalid database: unsupported scheme ${quoteInput(`${scheme[1]}:`)} (use a file path, sqlite:PATH or postgres://…)`,
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
 * Removes the password from a postgres URL so it can be logged or shown: the one in the
 * user info, and a `password` query parameter (pg reads both). The user info ends at the
 * LAST `@` before the host, as WHATWG URL and pg read it, so a password holding an
 * unencoded `@` is hidden whole.
 *
 * @example
 * redactDatabaseUrl('postgres://u:secret@h/db'); // 'postgres://u:***@h/db'
 * redactDatabaseUrl('postgres://u:p@ss@h/db'); // 'postgres://u:***@h/db'
 * redactDatabaseUrl('postgres://u@h/db?password=secret&sslmode=require'); // 'postgres://u@h/db?password=***&sslmode=require'
 */
export function redactDatabaseUrl(value: string): string {
  const prefix = /^\s*postgres(?:ql)?:\/\//i.exec(value)?.[0];
  if (prefix === undefined) return value;
  const rest = value.slice(prefix.length);
  const at = userInfoEnd(rest);
  const colon = rest.indexOf(':');
  const withoutUserPassword =
    at === -1 || colon === -1 || colon > at ? rest : `${rest.slice(0, colon)}:***${rest.slice(at)}`;
  return prefix + redactPasswordParameter(withoutUserPassword);
}

/**
 * Hides the value of every `password` query parameter (its name compared decoded and in
 * any case) up to the next `&` or `#`; the rest of the query is kept, it helps a reader.
 */
function redactPasswordParameter(rest: string): string {
  const query = rest.indexOf('?');
  if (query === -1) return rest;
  const hash = rest.indexOf('#', query);
  const end = hash === -1 ? rest.length : hash;
  const params = rest
    .slice(query + 1, end)
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      if (eq === -1) return param;
      return decodedName(param.slice(0, eq)).toLowerCase() === 'password'
        ? `${param.slice(0, eq)}=***`
        : param;
    });
  return `${rest.slice(0, query)}?${params.join('&')}${rest.slice(end)}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * Index of the `@` that ends the user info of `rest` (the URL after `//`), or -1.
 * By the URL rules it is the last `@` before the first `/`, `?` or `#`. A password that
 * holds one of those unencoded cuts that search short, so this looks further, preferring to
 * hide too much of an ill-formed URL than to show part of a password: up to the last `@`
 * before the query when the path holds one (database names with `@` are rare), and up to
 * the last `@` anywhere when the authority is not a plain `host[:port]`.
 */
function userInfoEnd(rest: string): number {
  const queryAt = rest.search(/[?#]/);
  const beforeQuery = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const at = beforeQuery.lastIndexOf('@');
  if (at !== -1) return at;
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  return HOST_PORT_RE.test(authority) ? -1 : rest.lastIndexOf('@');
}

/** `host`, `host:port` or `[v6]:port`: an authority without user info. */
const HOST_PORT_RE = /^(?:\[[^\]]*\]|[^:@[\]]*)(?::\d*)?$/;
