// Public surface of the sync layer. Re-exports only.

export {
  type EventFilter,
  type SelectedEvents,
  selectEvents,
} from '../core/selection.js';
export {
  DATABASE_ENV,
  type Database,
  type DatabaseLock,
  type DatabaseTarget,
  DEFAULT_DATABASE_PATH,
  DEFAULT_DB_RECONNECT_TIMEOUT_MS,
  type Dialect,
  type ExecResult,
  isConnectionError,
  type LockHolder,
  MIGRATIONS,
  type Migration,
  type OpenDatabaseOptions,
  openDatabase,
  type PostgresOptions,
  parseDatabaseUrl,
  pgTimestampToIso,
  type Queryable,
  redactDatabaseUrl,
  resolveDatabaseUrl,
  runMigrations,
  SCHEMA_VERSION,
  type SqlValue,
  toIso,
} from './db/index.js';
export { type BucketDiff, diffBuckets, type StoredBucket } from './diff.js';
export { MAX_CONSECUTIVE_SERIES_FAILURES, syncWorkspace } from './engine.js';
export {
  DatabaseDriverMissingError,
  DatabaseUnavailableError,
  isSyncError,
  SyncError,
  type SyncErrorCode,
  SyncFailedError,
  SyncHourBucketsMismatchError,
  SyncLockedError,
  SyncOffsetMismatchError,
} from './errors.js';
export {
  describeSyncInProgress,
  readSyncInProgress,
  type SyncInProgress,
} from './in-progress.js';
export { MAX_SYNC_CONCURRENCY, validateSyncOptions } from './options.js';
export {
  advanceSeriesState,
  DEFAULT_BACKFILL,
  DEFAULT_LOOKBACK,
  MAX_LOOKBACK,
  type PlannedWindow,
  type PlanSeriesSyncInput,
  planSeriesSync,
  type SeriesState,
} from './planner.js';
export { formatStatus, formatSyncSummary } from './report.js';
export { expandSeries, type SeriesKey, seriesId } from './series.js';
export {
  DEFAULT_STATUS_LAGGING,
  DEFAULT_STATUS_RUNS,
  type RunRecord,
  readStatus,
  readSyncState,
  type SyncState,
  type SyncStateOptions,
  type UnitWatermarks,
  type WatermarkRecord,
  type WorkspaceStatus,
} from './status.js';
export {
  type BudgetLeft,
  DEFAULT_SYNC_CONCURRENCY,
  type SeriesFailure,
  type SyncClient,
  type SyncOptions,
  type SyncProgress,
  type SyncSummary,
} from './types.js';
export { fetchWindowBuckets, type WindowFetch } from './window.js';
