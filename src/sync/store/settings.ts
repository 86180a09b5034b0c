/**
 * The day-bucket offset of a workspace's rows. `bucket_start` is Braze's `time` read at an
 * offset (Braze does not document its zone), so rows computed at two offsets would put
 * one day at two instants: the first run records its offset, later runs must match it.
 */
import { isUtcOffsetMinutes, parseIsoInstant } from '../../api/time.js';
import type { Queryable } from '../db/types.js';
import { SyncOffsetMismatchError } from '../errors.js';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The offset of a workspace synced before offsets were recorded, read off a stored day
 * row: its date at midnight UTC minus its stored start. `undefined` without day rows (an
 * hour's `time` carries its own offset, so hour rows say nothing about the setting).
 */
async function inferredOffset(db: Queryable, workspace: string): Promise<number | undefined> {
  const [row] = await db.query<{ time: string; bucket_start: string }>(
    `SELECT time, bucket_start FROM event_counts WHERE workspace = ? AND unit = 'day' LIMIT 1`,
    [workspace],
  );
  if (!row || !DATE_ONLY.test(row.time)) return undefined;
  const minutes = (parseIsoInstant(row.time, 0)! - Date.parse(row.bucket_start)) / 60_000;
  return isUtcOffsetMinutes(minutes) ? minutes : undefined;
}

/**
 * The offset a workspace's rows were read at, in minutes east of UTC: the one its syncs
 * recorded, else the one its day rows show; `undefined` when nothing says (no sync yet).
 * What the check and the dashboard cut days with.
 *
 * @example
 * await readBucketOffset(db, 'prod'); // 330 for a workspace synced at +05:30
 */
export async function readBucketOffset(
  db: Queryable,
  workspace: string,
): Promise<number | undefined> {
  const [row] = await db.query<{ bucket_utc_offset_minutes: number }>(
    'SELECT bucket_utc_offset_minutes FROM workspace_settings WHERE workspace = ?',
    [workspace],
  );
  return row === undefined ? inferredOffset(db, workspace) : Number(row.bucket_utc_offset_minutes);
}

/**
 * Records `offset` for the workspace, or throws SyncOffsetMismatchError when rows it
 * already holds were read at another one. An offset recorded by runs that stored nothing
 * (a first run that failed on its key, say) is simply replaced. Call while holding the
 * workspace's lock.
 *
 * @example
 * await checkBucketOffset(db, 'prod', -300, new Date());
 */
export async function checkBucketOffset(
  db: Queryable,
  workspace: string,
  offset: number,
  at: Date,
): Promise<void> {
  const [row] = await db.query<{ bucket_utc_offset_minutes: number }>(
    'SELECT bucket_utc_offset_minutes FROM workspace_settings WHERE workspace = ?',
    [workspace],
  );
  const recorded = row === undefined ? undefined : Number(row.bucket_utc_offset_minutes);
  if (recorded === offset) return;
  const stored = recorded ?? (await inferredOffset(db, workspace));
  if (stored !== undefined && stored !== offset && (await holdsRows(db, workspace))) {
    throw new SyncOffsetMismatchError(workspace, stored, offset);
  }
  await db.exec(
    `INSERT INTO workspace_settings (workspace, bucket_utc_offset_minutes, updated_at)
     VALUES (?, ?, ?)
     ON CONFLICT (workspace) DO UPDATE SET
       bucket_utc_offset_minutes = excluded.bucket_utc_offset_minutes,
       updated_at = excluded.updated_at`,
    [workspace, offset, at.toISOString()],
  );
}

async function holdsRows(db: Queryable, workspace: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 AS one FROM event_counts WHERE workspace = ? LIMIT 1', [
    workspace,
  ]);
  return rows.length > 0;
}
