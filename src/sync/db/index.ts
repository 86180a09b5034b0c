export { runMigrations } from './migrate.js';
export { MIGRATIONS, type Migration, SCHEMA_VERSION } from './migrations.js';
export { type OpenDatabaseOptions, openDatabase } from './open.js';
export type { PostgresOptions } from './postgres.js';
export { DEFAULT_DB_RECONNECT_TIMEOUT_MS, isConnectionError } from './reconnect.js';
export { pgTimestampToIso, toIso } from './timestamps.js';
export type {
  Database,
  DatabaseLock,
  Dialect,
  ExecResult,
  LockHolder,
  Queryable,
  SqlValue,
} from './types.js';
export {
  DATABASE_ENV,
  type DatabaseTarget,
  DEFAULT_DATABASE_PATH,
  parseDatabaseUrl,
  redactDatabaseUrl,
  resolveDatabaseUrl,
} from './url.js';
