/**
 * Errors of the sync, under their own root `SyncError`: a database lock, a driver not
 * installed or a bucket-zone mismatch is not something Braze did, so none is a `BrazeError`
 * (a Braze failure inside a run is `SyncFailedError`'s `cause`). Each has a stable `code`
 * (table in README.md, "Error codes").
 *
 * ```
 * SyncError
 * ├── SyncLockedError               sync_locked
 * ├── SyncFailedError               sync_failed
 * ├── SyncOffsetMismatchError       sync_offset_mismatch
 * ├── SyncHourBucketsMismatchError  sync_hour_buckets_mismatch
 * ├── DatabaseDriverMissingError    database_driver_missing
 * └── DatabaseUnavailableError      DATABASE_UNAVAILABLE
 * ```
 *
 * `DATABASE_UNAVAILABLE` is upper case for a historical reason: it was the code before the
 * tree existed, and a code, once published, does not change.
 */

import type { Setting } from '../api/option-errors.js';
import { describeHourBuckets, formatUtcOffset, type HourBuckets } from '../api/time.js';
import { nameError } from '../core/errors.js';
import { describeSetting } from '../core/validate.js';
import type { LockHolder } from './db/types.js';
import { describeLockHolder, describeSyncInProgress, type SyncInProgress } from './in-progress.js';
import type { SyncSummary } from './types.js';

/** The stable `code` of each sync error. */
export type SyncErrorCode =
  | 'sync_error'
  | 'sync_locked'
  | 'sync_failed'
  | 'sync_offset_mismatch'
  | 'sync_hour_buckets_mismatch'
  | 'database_driver_missing'
  | 'DATABASE_UNAVAILABLE';

/** Root of the sync's errors; see the tree above. */
export class SyncError extends Error {
  /** Stable, per class: see {@link SyncErrorCode}. On the prototype, like `name`. */
  declare readonly code: SyncErrorCode;
}

/**
 * Another sync of the same workspace holds the lock; nothing was written.
 *
 * @example
 * try { await syncWorkspace(opts); } catch (e) { if (e instanceof SyncLockedError) … }
 */
export class SyncLockedError extends SyncError {
  readonly workspace: string;
  readonly holder: LockHolder;
  /** What the holder is doing, as `status` shows it; null when that could not be read. */
  readonly inProgress: SyncInProgress | null;

  constructor(workspace: string, holder: LockHolder, inProgress: SyncInProgress | null = null) {
    // Read after the refused take, the sync in progress names the same holder (and more:
    // PostgreSQL's holder is found by its session).
    const pid = inProgress?.pid ?? holder.pid;
    const host = inProgress?.host ?? holder.host;
    const since = inProgress?.since ?? holder.since;
    const who = [describeLockHolder({ pid, host }), since !== undefined ? `since ${since}` : '']
      .filter(Boolean)
      .join(' ');
    const doing = inProgress ? `: ${describeSyncInProgress(inProgress)}` : '';
    super(
      `another sync of workspace "${workspace}" is running${who ? ` (${who})` : ''}${doing}; nothing was done, try again when it has finished`,
    );
    this.workspace = workspace;
    this.holder = holder;
    this.inProgress = inProgress;
  }
}

/**
 * The run ended without bringing every series up to date. What was committed stays (the
 * next run resumes); `summary` tells what happened, `cause` is the first error.
 */
export class SyncFailedError extends SyncError {
  readonly summary: SyncSummary;

  constructor(message: string, summary: SyncSummary, cause: unknown) {
    super(message, { cause });
    this.summary = summary;
  }
}

/**
 * The run asks for a day-bucket offset other than the one the workspace's rows were
 * computed with. Mixing them would put one day at two instants; nothing was written.
 */
export class SyncOffsetMismatchError extends SyncError {
  readonly workspace: string;
  /** Minutes east of UTC the stored rows use. */
  readonly storedOffsetMinutes: number;
  /** Minutes east of UTC this run asked for. */
  readonly requestedOffsetMinutes: number;
  /** The setting that would match the stored rows. */
  readonly remedy: Setting;

  constructor(workspace: string, stored: number, requested: number) {
    super(
      `workspace "${workspace}" holds day buckets at UTC${formatUtcOffset(stored)}, this run reads them at UTC${formatUtcOffset(requested)}; ` +
        `nothing was done: sync with ${describeSetting({ option: 'bucketUtcOffsetMinutes', value: stored })}, or into another workspace or database`,
    );
    this.remedy = { option: 'bucketUtcOffsetMinutes', value: stored };
    this.workspace = workspace;
    this.storedOffsetMinutes = stored;
    this.requestedOffsetMinutes = requested;
  }
}

/**
 * The sibling of {@link SyncOffsetMismatchError} for hours: under an offset that is not
 * whole hours, the run asks for hour buckets on other edges (`hourBuckets`) than the
 * workspace's hour rows were read on. Mixing them would count each hour twice (rows at :00
 * and at :30); nothing was written.
 */
export class SyncHourBucketsMismatchError extends SyncError {
  readonly workspace: string;
  /** Minutes east of UTC of the workspace's buckets. */
  readonly utcOffsetMinutes: number;
  /** The alignment the stored hour rows use. */
  readonly storedHourBuckets: HourBuckets;
  /** The alignment this run asked for. */
  readonly requestedHourBuckets: HourBuckets;
  /** The setting that would match the stored rows. */
  readonly remedy: Setting;

  constructor(
    workspace: string,
    utcOffsetMinutes: number,
    stored: HourBuckets,
    requested: HourBuckets,
  ) {
    super(
      `workspace "${workspace}" holds hour buckets on ${describeHourBuckets(stored)} at UTC${formatUtcOffset(utcOffsetMinutes)}, this run reads them on ${describeHourBuckets(requested)}; ` +
        `nothing was done: sync with ${describeSetting({ option: 'hourBuckets', value: stored })}, or into another workspace or database`,
    );
    this.remedy = { option: 'hourBuckets', value: stored };
    this.workspace = workspace;
    this.utcOffsetMinutes = utcOffsetMinutes;
    this.storedHourBuckets = stored;
    this.requestedHourBuckets = requested;
  }
}

/**
 * The database driver for a URL is not installed: `better-sqlite3` and `pg` are optional
 * dependencies, so a user of the client alone (`npm install --omit=optional`) does not
 * compile a native module. Nothing was opened or written.
 */
export class DatabaseDriverMissingError extends SyncError {
  /** The npm package to install: `better-sqlite3` or `pg`. */
  readonly packageName: string;

  constructor(packageName: string, what: string, cause: unknown) {
    super(
      `${what} needs the npm package ${packageName}, which is not installed: run npm install ${packageName}`,
      { cause },
    );
    this.packageName = packageName;
  }
}

/**
 * The database stopped answering (or did not answer when opened) and was still unreachable
 * when the reconnection bound ran out, or the caller's signal stopped the wait
 * (`interrupted`; `withReconnect`, src/sync/db/reconnect.ts). What was committed is kept;
 * the run's journal row could not be finished (the next run marks it interrupted).
 */
export class DatabaseUnavailableError extends SyncError {
  /** The redacted database location (no password). */
  readonly location: string;
  /** Why the last attempt failed, one line: {@link connectionErrorReason} of the cause. */
  readonly reason: string;
  /** How long it was waited for, ms (0 when the bound is 0, or the wait was stopped first). */
  readonly waitedMs: number;
  /** True when the caller's signal stopped the wait, before the bound. */
  readonly interrupted: boolean;

  constructor(location: string, waitedMs: number, cause: unknown, interrupted = false) {
    const reason = connectionErrorReason(cause);
    const waited = `${Math.round(waitedMs / 1000)} s`;
    super(
      interrupted
        ? `the database ${location} stopped answering; the wait for it was interrupted after ${waited} (${reason}); what was committed is kept, run sync again when it is back`
        : `the database ${location} stopped answering and was still unreachable after ${waited} (${reason}); what was committed is kept, run sync again when it is back`,
      { cause },
    );
    this.location = location;
    this.reason = reason;
    this.waitedMs = waitedMs;
    this.interrupted = interrupted;
  }
}

/**
 * A lost connection's error as one line for a message: its first line, or, for the
 * AggregateError of a connect tried on several addresses (whose own message is empty),
 * the first address's.
 *
 * @example connectionErrorReason(new Error('connect ECONNREFUSED 127.0.0.1:5432')); // same text
 */
export function connectionErrorReason(error: unknown): string {
  if (error instanceof AggregateError && error.message === '' && error.errors.length > 0) {
    return connectionErrorReason(error.errors[0]);
  }
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}

nameError(SyncError, 'SyncError', 'sync_error');
nameError(DatabaseUnavailableError, 'DatabaseUnavailableError', 'DATABASE_UNAVAILABLE');
nameError(SyncLockedError, 'SyncLockedError', 'sync_locked');
nameError(DatabaseDriverMissingError, 'DatabaseDriverMissingError', 'database_driver_missing');
nameError(SyncOffsetMismatchError, 'SyncOffsetMismatchError', 'sync_offset_mismatch');
nameError(
  SyncHourBucketsMismatchError,
  'SyncHourBucketsMismatchError',
  'sync_hour_buckets_mismatch',
);
nameError(SyncFailedError, 'SyncFailedError', 'sync_failed');

/** @example `if (isSyncError(e)) console.error(e.code)` */
export const isSyncError = (e: unknown): e is SyncError => e instanceof SyncError;
