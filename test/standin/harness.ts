/**
 * Driving the product against the stand-in: start one per test, run the built CLI at it,
 * read what `sync` stored, and compare rows with the stand-in's ground truth.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import Database from 'better-sqlite3';
import { cleanEnv, type RunResult, runCli } from '../helpers/cli.js';
import {
  type LoggedRequest,
  parseEndingAt,
  type Standin,
  type StandinOptions,
  type StandinUnit,
  standinCount,
  startStandin,
} from './server.js';

const started: Standin[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(started.map((s) => s.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A stand-in closed after the test file. */
export async function standin(options: StandinOptions = {}): Promise<Standin> {
  const s = await startStandin(options);
  started.push(s);
  return s;
}

/** A temporary directory removed after the test file (the CLI's cwd and its database). */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'braze-standin-'));
  dirs.push(d);
  return d;
}

export interface CliRun extends RunResult {
  /** Wall time of the run, ms. */
  ms: number;
  /** Whether the run was stopped at `timeoutMs` (it may then still exit 1, "interrupted"). */
  timedOut: boolean;
}

/**
 * Runs `node dist/cli/bin.js ARGS --endpoint <stand-in>` (ARGS as an array, or a string
 * split on spaces) with the stand-in's key in
 * BRAZE_API_KEY (http:// is allowed to loopback, see SECURITY.md) and nothing else
 * configured; a run still going after `timeoutMs` (default 60 s) is stopped.
 */
export async function cli(
  s: Standin,
  args: readonly string[] | string,
  options: { key?: string; cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const t = Date.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const argv = typeof args === 'string' ? args.split(' ') : args;
  const r = await runCli([...argv, '--endpoint', s.url], {
    env: cleanEnv({ BRAZE_API_KEY: options.key ?? s.apiKey, ...options.env }),
    cwd: options.cwd ?? tempDir(),
    timeoutMs,
  });
  const ms = Date.now() - t;
  return { ...r, ms, timedOut: ms >= timeoutMs };
}

/** The requests to one path. */
export function requestsTo(s: Standin, path: string): LoggedRequest[] {
  return s.log.filter((r) => r.path === path);
}

/** The UTC instant at which a bucket whose `time` the stand-in wrote starts. */
export function bucketStartOf(s: Standin, unit: StandinUnit, time: string): number {
  // A date is local midnight at the stand-in's day offset, a datetime its instant.
  const start = parseEndingAt(time, s.dayOffsetMinutes);
  assert.ok(
    !Number.isNaN(start),
    `${unit} time ${JSON.stringify(time)} is not one the stand-in writes`,
  );
  return start;
}

export interface Row {
  event: string;
  unit: StandinUnit;
  time: string;
  count: number;
}

/** Rows of the CLI's CSV (`event,unit,time,count`); event names here hold no comma. */
export function parseCsv(text: string): Row[] {
  const lines = text.split('\n').filter((l) => l !== '');
  assert.equal(lines[0], 'event,unit,time,count');
  return lines.slice(1).map((l) => {
    const [event, unit, time, count] = l.split(',');
    return { event: event!, unit: unit as StandinUnit, time: time!, count: Number(count) };
  });
}

/**
 * Asserts that one event's rows are exactly the ground truth over a contiguous run of
 * buckets, in order, each `time` written as the stand-in writes it, ending at a bucket
 * whose start lies in `[lastFrom, lastTo]` (the current bucket at the start or the end of
 * the run). Returns the number of rows.
 */
export function assertTruth(
  s: Standin,
  rows: readonly Row[],
  event: string,
  unit: StandinUnit,
  last: { from: number; to: number },
): number {
  const mine = rows.filter((r) => r.event === event && r.unit === unit);
  assert.ok(mine.length > 0, `no ${unit} rows for ${event}`);
  const step = unit === 'day' ? 86_400_000 : 3_600_000;
  const first = bucketStartOf(s, unit, mine[0]!.time);
  const expected = mine.map((_, i) => {
    const start = first + i * step;
    return {
      event,
      unit,
      time: s.timeOf(unit, start),
      count: standinCount(event, unit, start),
    };
  });
  assert.deepEqual(
    mine.map((r) => ({ event: r.event, unit: r.unit, time: r.time, count: r.count })),
    expected,
  );
  const lastStart = first + (mine.length - 1) * step;
  assert.ok(
    lastStart >= s.bucketFloor(unit, last.from) && lastStart <= s.bucketFloor(unit, last.to),
    `${event} ${unit}: last bucket ${new Date(lastStart).toISOString()} is not the current one`,
  );
  return mine.length;
}

/** The rows `sync` stored in a SQLite database, ordered by event, unit and bucket. */
export function storedRows(dbPath: string): Array<Row & { bucketStart: string }> {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (
      db
        .prepare(
          `SELECT event, unit, time, count, bucket_start AS bucketStart FROM event_counts
           WHERE app_id = '' AND segment_id = '' ORDER BY event, unit, bucket_start`,
        )
        .all() as Array<Row & { bucketStart: string }>
    ).map((r) => ({ ...r, count: Number(r.count) }));
  } finally {
    db.close();
  }
}

/** Asserts that every stored row's `bucket_start` is where the stand-in started that bucket. */
export function assertBucketStarts(
  s: Standin,
  rows: ReadonlyArray<Row & { bucketStart: string }>,
): void {
  for (const r of rows) {
    assert.equal(
      r.bucketStart,
      new Date(bucketStartOf(s, r.unit, r.time)).toISOString(),
      `${r.event} ${r.unit} ${r.time}`,
    );
  }
}

/** Asserts that no request carried an `ending_at` later than its arrival. */
export function assertNoFutureEndingAt(s: Standin): void {
  const sent = requestsTo(s, '/events/data_series');
  assert.ok(sent.length > 0, 'no data_series request reached the stand-in');
  for (const r of sent) {
    if (r.query.ending_at === undefined) continue;
    const at = parseEndingAt(r.query.ending_at, s.dayOffsetMinutes);
    assert.ok(
      at <= r.atMs,
      `ending_at=${r.query.ending_at} lies ${at - r.atMs} ms after the request arrived`,
    );
  }
}

/** Asserts the key is in no output, and not in the database file when one is given. */
export function assertKeyNowhere(key: string, runs: readonly RunResult[], dbPath?: string): void {
  for (const r of runs) {
    assert.ok(!r.stdout.includes(key), `key in stdout: ${r.stdout.slice(0, 300)}`);
    assert.ok(!r.stderr.includes(key), `key in stderr: ${r.stderr.slice(0, 300)}`);
  }
  if (dbPath !== undefined) assert.ok(!readFileSync(dbPath).includes(key), 'key in the database');
}

/**
 * Waits until at least `marginMs` remain before the top of the hour, so that a product
 * that waits for the hourly window's end cannot pass a test bounded by `marginMs`.
 */
export async function awayFromTopOfHour(marginMs: number): Promise<void> {
  const left = 3_600_000 - (Date.now() % 3_600_000);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 1000));
}
