/**
 * Runs the detectors over a synced database: every event's total series (app_id = '' and
 * segment_id = '') of one unit, per workspace. Reads only the rows the baseline needs.
 */

import type { Unit } from '../api/constants.js';
import { BrazeOptionRangeError } from '../api/option-errors.js';
import { quoteInput } from '../api/quote.js';
import {
  type BucketZone,
  DEFAULT_HOUR_BUCKETS,
  describeHourBuckets,
  formatUtcOffset,
  type HourBuckets,
  instantMs,
  lastCompleteBucket,
  sameBucketEdges,
} from '../api/time.js';
import { nameMatcher } from '../core/name-match.js';
import { EventSelectionError } from '../core/selection.js';
import { describeSetting, validateUnit } from '../core/validate.js';
import type { Queryable } from '../sync/db/types.js';
import { readBucketZone } from '../sync/store/settings.js';
import {
  ANOMALY_KINDS,
  type AnomalyKind,
  evaluateSeries,
  historyWindowMs,
  type SeriesEvaluation,
} from './detect.js';
import { eventListSql, packedBucketsSql, unpackBuckets } from './event-list.js';
import {
  DEFAULT_CHECK_UNIT,
  type DetectOptions,
  type ResolvedDetectOptions,
  resolveDetectOptions,
} from './options.js';
import type { IncompleteSync } from './sync-health.js';

/** What the check reads through: the sync layer's database (or a transaction handle). */
export type QueryableDatabase = Queryable;

export interface CheckOptions extends DetectOptions {
  /** Unit of the series to check. Default `day`. */
  unit?: Unit;
  /**
   * Only this workspace (the sync profile name). Default: every workspace in the database.
   * One the database does not hold is a RangeError naming those it does.
   */
  workspace?: string;
  /** Only events whose name matches one of these globs (syntax: `nameMatcher`). Default: all. */
  match?: string | readonly string[];
  /**
   * Clock used when a series has no watermark saying which bucket is complete: the last
   * complete bucket is then the one before the bucket `now()` falls in. Default Date.now.
   */
  now?: () => number;
  /**
   * Minutes east of UTC of the workspace's buckets, for that fallback. Default: the offset
   * its syncs recorded (`workspace_settings`), else 0.
   */
  utcOffsetMinutes?: number;
  /**
   * Hour alignment under an offset that is not whole hours, for that fallback. Default: the
   * one the workspace's syncs recorded (`workspace_settings`), else `local`. One that
   * contradicts the recorded alignment (other hour edges) is a RangeError naming both,
   * thrown before any series is read: the stored hours are where they were synced.
   */
  hourBuckets?: HourBuckets;
}

/** An anomalous series. */
export interface Finding extends SeriesEvaluation {
  workspace: string;
  /** Minutes east of UTC of the workspace's buckets: its days start at 00:00 there. */
  utcOffsetMinutes: number;
  event: string;
  kind: AnomalyKind;
}

/** Result of `checkDatabase`. */
export interface CheckReport {
  unit: Unit;
  options: ResolvedDetectOptions;
  /** Workspaces looked at. */
  workspaces: string[];
  /** Number of series judged. */
  checkedSeries: number;
  /** Anomalies, most severe kind first, then by event name. */
  findings: Finding[];
  /**
   * Workspaces whose last sync run did not succeed, so counts may be missing
   * (`readIncompleteSyncs`). `check` sets it (`[]` when all is well); `checkDatabase` leaves
   * it out, so that a report stored at a data version does not go stale with the journal.
   */
  incompleteSyncs?: IncompleteSync[];
}

interface WatermarkRow {
  event: string;
  complete_through: string | null;
}

/**
 * Checks every event's last complete bucket in the database.
 *
 * @example
 * const db = await openDatabase('sqlite:braze-events.db');
 * const report = await checkDatabase(db, { unit: 'day', dropFraction: 0.5 });
 * for (const f of report.findings) console.log(f.event, f.kind, f.changePct);
 * @throws RangeError when `workspace` is not in the database (the message names those that are)
 * @throws EventSelectionError (a RangeError) when `match` selects none of the stored events
 */
export async function checkDatabase(
  db: QueryableDatabase,
  options: CheckOptions = {},
): Promise<CheckReport> {
  const detect = resolveDetectOptions(options);
  const unit = validateUnit('unit', options.unit, DEFAULT_CHECK_UNIT);
  const now = options.now ?? Date.now;
  const isMatch = nameMatcher(options.match ?? []);
  const stored = await listWorkspaceNames(db);
  // A misspelt workspace would check nothing and report "no anomalies" every night.
  if (options.workspace !== undefined && !stored.includes(options.workspace)) {
    const known = stored.length > 0 ? stored.map((w) => quoteInput(w)).join(', ') : 'none';
    throw new BrazeOptionRangeError(
      'workspace',
      options.workspace,
      `workspace ${quoteInput(options.workspace)}: not in the database (workspaces: ${known})`,
    );
  }
  const workspaces = options.workspace !== undefined ? [options.workspace] : stored;

  // Every workspace's zone first: a contradicting option is refused before any series is read.
  const zones = new Map<string, Required<BucketZone>>();
  for (const workspace of workspaces) {
    zones.set(workspace, checkZone(workspace, await readBucketZone(db, workspace), options));
  }
  const findings: Finding[] = [];
  let checkedSeries = 0;
  const globs = [options.match ?? []].flat();
  let listed = 0;
  let matched = false;
  for (const workspace of workspaces) {
    // The bucket before the current one, cut in the workspace's own zone.
    const zone = zones.get(workspace)!;
    const fallbackAt = lastCompleteBucket(unit, now(), zone);
    const watermarks = await db.query<WatermarkRow>(
      `SELECT event, complete_through FROM series_watermarks
       WHERE workspace = ? AND unit = ? AND app_id = '' AND segment_id = ''`,
      [workspace, unit],
    );
    const atOf = new Map(
      watermarks.map((w) => [
        w.event,
        w.complete_through === null ? fallbackAt : instantMs(w.complete_through),
      ]),
    );
    const ats = [...atOf.values(), fallbackAt];
    const to = Math.max(...ats);
    const from = Math.min(...ats) - historyWindowMs(detect.baseline);
    const list = await eventListSql(db, workspace, unit);
    if (globs.length > 0) {
      // Against every stored event, not only those with counts in the window.
      const names = await db.query<{ event: string }>(`SELECT e.event FROM ${list.sql} e`, [
        ...list.params,
      ]);
      listed += names.length;
      matched ||= names.some((n) => isMatch(n.event));
    }
    const rows = await db.query<{ event: string; packed: string | null }>(
      `SELECT e.event, ${packedBucketsSql(db)} AS packed FROM ${list.sql} e
         JOIN counts c ON c.series_id = e.id AND c.bucket_start >= ? AND c.bucket_start <= ?
        GROUP BY e.event`,
      [...list.params, toSeconds(from), toSeconds(to)],
    );
    for (const row of rows) {
      if (!isMatch(row.event)) continue;
      checkedSeries++;
      const at = atOf.get(row.event) ?? fallbackAt;
      const series = unpackBuckets(row.packed).map(([bucketStart, count]) => ({
        bucketStart,
        count,
      }));
      const evaluation = evaluateSeries(series, { ...detect, unit, at });
      if (evaluation.kind !== null) {
        findings.push({
          ...evaluation,
          workspace,
          utcOffsetMinutes: zone.utcOffsetMinutes,
          event: row.event,
          kind: evaluation.kind,
        });
      }
    }
  }
  // A glob that selects nothing would report "no anomalies" every night, as sync and
  // export refuse it too.
  if (globs.length > 0 && !matched) throw new EventSelectionError('match', globs, listed);
  findings.sort(
    (a, b) =>
      ANOMALY_KINDS.indexOf(a.kind) - ANOMALY_KINDS.indexOf(b.kind) ||
      a.workspace.localeCompare(b.workspace) ||
      a.event.localeCompare(b.event),
  );
  return { unit, options: detect, workspaces, checkedSeries, findings };
}

/**
 * The zone a workspace is checked in: the one its syncs recorded, with `options` filling
 * what nothing recorded. `utcOffsetMinutes` overrides the offset; `hourBuckets` must agree
 * with the recorded alignment wherever the two give different hours.
 */
function checkZone(
  workspace: string,
  recorded: Required<BucketZone> | undefined,
  options: CheckOptions,
): Required<BucketZone> {
  const utcOffsetMinutes = options.utcOffsetMinutes ?? recorded?.utcOffsetMinutes ?? 0;
  const asked = options.hourBuckets;
  if (recorded !== undefined && asked !== undefined) {
    const zone = { utcOffsetMinutes, hourBuckets: asked };
    if (!sameBucketEdges('hour', zone, { utcOffsetMinutes, hourBuckets: recorded.hourBuckets })) {
      const remedy = { option: 'hourBuckets', value: recorded.hourBuckets };
      throw new BrazeOptionRangeError(
        'hourBuckets',
        asked,
        `hourBuckets ${asked} contradicts workspace "${workspace}", whose hours were synced on ${describeHourBuckets(recorded.hourBuckets)} at UTC${formatUtcOffset(utcOffsetMinutes)}: ` +
          `the check reads the recorded alignment, so leave it out (or pass ${describeSetting(remedy)})`,
        remedy,
      );
    }
  }
  return {
    utcOffsetMinutes,
    hourBuckets: recorded?.hourBuckets ?? asked ?? DEFAULT_HOUR_BUCKETS,
  };
}

/** Epoch seconds, as `counts.bucket_start` holds them. */
const toSeconds = (ms: number) => Math.floor(ms / 1000);

/** Workspace names, from the small watermark table when a sync wrote one. */
async function listWorkspaceNames(db: QueryableDatabase): Promise<string[]> {
  const rows = await db.query<{ workspace: string }>(
    'SELECT DISTINCT workspace FROM series ORDER BY workspace',
  );
  return rows.map((r) => r.workspace);
}
