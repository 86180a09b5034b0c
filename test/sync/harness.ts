/**
 * Shared pieces of the sync tests: a fixed clock, a client for the emulator with instant
 * (recorded) sleeps, and the comparison of stored rows with the emulator's ground truth.
 */
import assert from 'node:assert/strict';
import type { Unit } from '../../src/api/constants.js';
import { UNIT_MS } from '../../src/api/constants.js';
import type { HourBuckets } from '../../src/api/time.js';
import { createBrazeClient } from '../../src/core/client.js';
import type { BrazeClient } from '../../src/core/types.js';
import type { Emulator } from '../../src/emulator/index.js';
import { EMULATOR_DEFAULT_KEY } from '../../src/emulator/index.js';
import { BLOCK_SECONDS } from '../../src/sync/db/count-blocks.js';
import type { Database } from '../../src/sync/db/index.js';
import { SyncFailedError, type SyncSummary, syncWorkspace } from '../../src/sync/index.js';
import type { SyncOptions } from '../../src/sync/types.js';
import { createVirtualClock, fixedClock } from '../helpers/clock.js';
import { NOW } from '../helpers/now.js';

export { NOW };
/** The emulator's and the sync's `now` in the sync tests: the suite's fixed NOW. */
export const clock = fixedClock(NOW);

/**
 * A client on the emulator whose waits (backoff, pacing) take no real time: its clock
 * starts at NOW and advances by exactly what it sleeps.
 */
export function testClient(
  emulator: Pick<Emulator, 'url'>,
  options: {
    apiKey?: string;
    maxRetries?: number;
    bucketUtcOffsetMinutes?: number;
    hourBuckets?: HourBuckets;
    seriesCompleteness?: 'strict' | 'lenient';
    /** Sends the requests (default: the client's own transport). */
    fetch?: (input: string, init: RequestInit) => Promise<Response>;
    /** Per request, real time. Default 10 s. */
    timeoutMs?: number;
  } = {},
): BrazeClient {
  const time = createVirtualClock(NOW);
  return createBrazeClient({
    apiKey: options.apiKey ?? EMULATOR_DEFAULT_KEY,
    endpoint: emulator.url,
    now: time.now,
    sleep: time.sleep,
    maxRetries: options.maxRetries ?? 8,
    timeoutMs: options.timeoutMs ?? 10_000,
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    bucketUtcOffsetMinutes: options.bucketUtcOffsetMinutes ?? 0,
    ...(options.hourBuckets !== undefined ? { hourBuckets: options.hourBuckets } : {}),
    ...(options.seriesCompleteness !== undefined
      ? { seriesCompleteness: options.seriesCompleteness }
      : {}),
  });
}

interface Row {
  event: string;
  unit: Unit;
  app_id: string;
  segment_id: string;
  time: string;
  bucket_start: string;
  count: number;
}

/** Every stored row of a workspace, grouped by series. */
export async function storedSeries(db: Database, workspace: string): Promise<Map<string, Row[]>> {
  const rows = await db.query<Row>(
    `SELECT event, unit, app_id, segment_id, time, bucket_start, count FROM event_counts
     WHERE workspace = ? ORDER BY event, unit, app_id, segment_id, bucket_start`,
    [workspace],
  );
  const out = new Map<string, Row[]>();
  for (const r of rows) {
    const k = JSON.stringify([r.event, r.unit, r.app_id, r.segment_id]);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return out;
}

/** Ground truth of [from, now) from the emulator, in requests of at most 100 buckets. */
export function truth(
  emulator: Emulator,
  q: { event: string; unit: Unit; appId?: string; segmentId?: string },
  from: number,
): { time: string; count: number }[] {
  const size = UNIT_MS[q.unit];
  const lastStart = Math.ceil(NOW / size) * size - size;
  const out: { time: string; count: number }[] = [];
  let start = from;
  while (start <= lastStart) {
    const length = Math.min(100, (lastStart - start) / size + 1);
    const end = start + length * size;
    out.push(
      ...emulator.groundTruth({
        event: q.event,
        unit: q.unit,
        length,
        endingAt: Math.min(end, NOW),
        ...(q.appId ? { appId: q.appId } : {}),
        ...(q.segmentId ? { segmentId: q.segmentId } : {}),
      }),
    );
    start = end;
  }
  return out;
}

/**
 * Asserts that the database holds exactly the ground truth for each expected series, from
 * `from[unit]` to now: every bucket once, no gap, no extra, every count equal.
 */
export async function assertGroundTruth(
  db: Database,
  emulator: Emulator,
  workspace: string,
  expected: {
    events: readonly string[];
    units: readonly Unit[];
    appIds?: string[];
    segmentIds?: string[];
  },
  from: Partial<Record<Unit, number>>,
): Promise<void> {
  const stored = await storedSeries(db, workspace);
  const apps = expected.appIds?.length ? expected.appIds : [''];
  const segments = expected.segmentIds?.length ? expected.segmentIds : [''];
  let series = 0;
  for (const event of expected.events) {
    for (const unit of expected.units) {
      for (const appId of apps) {
        for (const segmentId of segments) {
          series += 1;
          const k = JSON.stringify([event, unit, appId, segmentId]);
          const rows = stored.get(k) ?? [];
          const want = truth(emulator, { event, unit, appId, segmentId }, from[unit]!);
          assert.deepEqual(
            rows.map((r) => ({ time: r.time, count: r.count })),
            want,
            `series ${k} differs from the ground truth`,
          );
          for (const r of rows) assert.equal(Date.parse(r.bucket_start) % UNIT_MS[unit], 0);
        }
      }
    }
  }
  assert.equal(stored.size, series, 'no series beyond the expected ones');
  await assertBlocksAgree(db);
}

/**
 * The rollups (`count_blocks`, maintained by the database's triggers) equal the blocks
 * recomputed here from `counts`, every series of every workspace: what a crash, a retry
 * or a restatement must never leave otherwise.
 */
export async function assertBlocksAgree(db: Database): Promise<void> {
  const rows = await db.query<{
    series_id: number;
    bucket_start: number;
    count: number;
    unit: Unit;
  }>(
    'SELECT c.series_id, c.bucket_start, c.count, s.unit FROM counts c JOIN series s ON s.id = c.series_id',
  );
  const want = new Map<string, { total: number; buckets: number }>();
  for (const r of rows) {
    const start = Number(r.bucket_start);
    const key = `${r.series_id}/${start - (start % BLOCK_SECONDS[r.unit])}`;
    const block = want.get(key) ?? { total: 0, buckets: 0 };
    block.total += Number(r.count);
    block.buckets += 1;
    want.set(key, block);
  }
  const blocks = await db.query<{
    series_id: number;
    block_start: number;
    total: number;
    buckets: number;
  }>('SELECT series_id, block_start, total, buckets FROM count_blocks');
  const have = new Map(
    blocks.map((b) => [
      `${b.series_id}/${Number(b.block_start)}`,
      { total: Number(b.total), buckets: Number(b.buckets) },
    ]),
  );
  const sorted = (m: Map<string, unknown>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
  assert.deepEqual(sorted(have), sorted(want), 'count_blocks disagree with counts');
}

/** Start of the bucket `n` buckets before the current one. */
export function bucketsAgo(unit: Unit, n: number): number {
  const size = UNIT_MS[unit];
  return Math.floor(NOW / size) * size - n * size;
}

/**
 * A real sync stopped by its signal (as Ctrl-C does) once `windows` windows are written:
 * an `interrupted` run in `sync_runs` with part of the series stored. Returns its summary.
 */
export async function syncUntilInterrupted(
  options: Omit<SyncOptions, 'signal' | 'onProgress'>,
  windows: number,
): Promise<SyncSummary> {
  const controller = new AbortController();
  const error = await syncWorkspace({
    ...options,
    signal: controller.signal,
    onProgress: (p) => {
      if (p.windowsDone >= windows) controller.abort(new Error('stopped by the test'));
    },
  }).then(
    () => assert.fail('the sync was not interrupted'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof SyncFailedError, String(error));
  assert.equal(error.summary.status, 'interrupted');
  return error.summary;
}
