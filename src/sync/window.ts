/**
 * One planned window, end to end: request it, normalize the buckets, and commit rows,
 * watermark and the window's part of the run's counters together.
 */
import {
  bucketsBetween,
  DEFAULT_HOUR_BUCKETS,
  describeBucketEdges,
  type HourBuckets,
  isBucketStart,
  parseBucketTime,
} from '../api/time.js';
import { dayShiftProblem } from '../core/data-series.js';
import { BrazeResponseShapeError } from '../core/errors.js';
import type { Database } from './db/types.js';
import type { StoredBucket } from './diff.js';
import type { PlannedWindow } from './planner.js';
import type { SeriesKey } from './series.js';
import { type WindowResult, writeWindow } from './store/counts.js';
import type { RequestCounters } from './store/runs.js';
import type { SyncClient } from './types.js';

export interface WindowJob {
  client: SyncClient;
  db: Database;
  workspace: string;
  key: SeriesKey;
  window: PlannedWindow;
  now: () => number;
  /** Minutes east of UTC of Braze's bucket zone (as given to the client). */
  utcOffsetMinutes: number;
  /** Hour alignment of the zone. Default: the client's (`client.bucketZone`), else `local`. */
  hourBuckets?: HourBuckets;
  signal: AbortSignal | undefined;
  /**
   * The sync run that records the window with its rows (see `WindowWrite.run`):
   * `requests()` is asked once the answer is in, so it counts this window's request.
   */
  run?: { id: number; requests: () => RequestCounters };
}

/**
 * Fetches and stores one window.
 *
 * @example
 * const r = await syncWindow({ client, db, workspace, key, window, now: Date.now, signal });
 */
export async function syncWindow(job: WindowJob): Promise<WindowResult> {
  const { db, workspace, key } = job;
  // The time the request was sent, not answered: a bucket that ended while a slow
  // answer was on its way may hold a partial count, so it must not count as complete.
  const fetchedAt = new Date(job.now());
  const buckets = await fetchWindowBuckets(job);
  return writeWindow(db, {
    workspace,
    key,
    buckets,
    fetchedAt,
    utcOffsetMinutes: job.utcOffsetMinutes,
    ...(job.run ? { run: { id: job.run.id, requests: job.run.requests() } } : {}),
  });
}

/** What {@link fetchWindowBuckets} needs: the window's part of a {@link WindowJob}. */
export type WindowFetch = Pick<
  WindowJob,
  'client' | 'key' | 'window' | 'utcOffsetMinutes' | 'hourBuckets' | 'signal'
>;

/**
 * Requests one planned window and returns exactly its buckets, oldest first, each with its
 * UTC start. Throws `BrazeResponseShapeError` when the answer has a hole, a duplicate, an
 * unreadable `time` or a bucket off the zone's bucket edges (Braze on other hour edges than
 * `hourBuckets` says), so nothing partial or shifted is ever stored or emitted. Shared by the sync and the
 * connectors (Airbyte, Singer), which emit what the sync stores.
 *
 * @example
 * const buckets = await fetchWindowBuckets({ client, key, window, utcOffsetMinutes: 0, signal });
 */
export async function fetchWindowBuckets(job: WindowFetch): Promise<StoredBucket[]> {
  const { client, key, window } = job;
  const { data } = await client.getEventSeries({
    event: key.event,
    unit: key.unit,
    length: window.length,
    endingAt: window.endingAt,
    ...(key.appId ? { appId: key.appId } : {}),
    ...(key.segmentId ? { segmentId: key.segmentId } : {}),
    ...(job.signal ? { signal: job.signal } : {}),
  });
  const from = window.start.getTime();
  const to = window.end.getTime();
  const zone = {
    utcOffsetMinutes: job.utcOffsetMinutes,
    hourBuckets: job.hourBuckets ?? client.bucketZone?.hourBuckets ?? DEFAULT_HOUR_BUCKETS,
  };
  const buckets: StoredBucket[] = [];
  const answered: number[] = [];
  for (const b of data) {
    const start = bucketStart(b.time, key.unit, job.utcOffsetMinutes);
    answered.push(start);
    // A lenient client passes the answer as it came: the edges are checked here too.
    if (!isBucketStart(start, key.unit, zone)) {
      throw new BrazeResponseShapeError({
        method: 'GET',
        url: '/events/data_series',
        status: 200,
        problem: `data[].time ${JSON.stringify(b.time)} is not on ${describeBucketEdges(key.unit, zone)}`,
        bodyExcerpt: '',
      });
    }
    // Only the window's own buckets: the stored range stays exactly what was planned.
    if (start < from || start >= to) continue;
    buckets.push({ time: b.time, bucketStart: new Date(start).toISOString(), count: b.count });
  }
  // Never store a window with a hole (a lenient client passes Braze's answer as it came):
  // failing here keeps the watermark before the hole, so the next run asks again.
  const starts = new Set(buckets.map((b) => b.bucketStart));
  const expected = bucketsBetween(from, to, key.unit);
  if (starts.size !== buckets.length || starts.size !== expected) {
    const { hint, remedy } = dayShiftProblem(answered, from, to, key.unit, job.utcOffsetMinutes);
    throw new BrazeResponseShapeError({
      method: 'GET',
      url: '/events/data_series',
      status: 200,
      problem: `expected ${expected} distinct buckets from ${window.start.toISOString()}, got ${buckets.length} (${starts.size} distinct)${hint}`,
      bodyExcerpt: '',
      ...(remedy ? { remedy } : {}),
    });
  }
  return buckets;
}

function bucketStart(time: string, unit: SeriesKey['unit'], utcOffsetMinutes: number): number {
  try {
    return parseBucketTime(time, unit, { utcOffsetMinutes }).getTime();
  } catch {
    throw new BrazeResponseShapeError({
      method: 'GET',
      url: '/events/data_series',
      status: 200,
      problem: `data[].time ${JSON.stringify(String(time).slice(0, 64))} is not an ISO 8601 time`,
      bodyExcerpt: '',
    });
  }
}
