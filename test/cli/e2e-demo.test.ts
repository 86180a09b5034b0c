/**
 * End to end: `braze-events demo` (what `npm start` runs), without credentials (it starts
 * the built-in emulator itself) and with credentials (against a given endpoint). The demo
 * syncs into a real SQLite file, so the test reads that file back.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/index.js';
import { assertNoKeyLeaked, cleanEnv, ensureBuilt, runCli, TEST_KEY } from '../helpers/cli.js';
import { runningClock } from '../helpers/clock.js';
import { NOW_DAY } from '../helpers/now.js';

/** The demo's own clock (its built-in emulator runs inside the CLI): at NOW, so "today" is fixed. */
const clock = runningClock();

let dir: string;
let emulator: Emulator;

before(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'braze-events-demo-'));
  emulator = await startEmulator({ port: 0, events: 40, keys: [{ key: TEST_KEY }] });
});
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
  assertNoKeyLeaked();
});

async function countRows(dbPath: string, workspace: string) {
  const db = await openDatabase(dbPath);
  try {
    const [row] = await db.query<{ events: number; rows: number; newest: string }>(
      `SELECT COUNT(DISTINCT event) AS events, COUNT(*) AS rows, MAX(time) AS newest
         FROM event_counts WHERE workspace = ? AND unit = 'day'`,
      [workspace],
    );
    const runs = await db.query<{ status: string }>(
      'SELECT status FROM sync_runs WHERE workspace = ? ORDER BY id',
      [workspace],
    );
    return { ...row!, runs: runs.map((r) => r.status) };
  } finally {
    await db.close();
  }
}

describe('braze-events demo', () => {
  test('no credentials: built-in emulator, says so, syncs, summarises, checks', async () => {
    const r = await runCli(['demo'], { env: cleanEnv(), cwd: dir, now: clock });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^No Braze credentials found: using DEMO DATA from the built-in emulator at http:\/\/127\.0\.0\.1:\d+\./,
    );
    // Its own line, not one with an escaped "\n" in it.
    assert.match(
      r.stderr,
      /\.\nTo use your own workspace: export BRAZE_API_KEY=.*BRAZE_REST_ENDPOINT=/,
    );
    assert.doesNotMatch(r.stderr, /\\n/);
    assert.match(r.stderr, /sync succeeded: workspace "demo", 612 of 612 events/);
    assert.match(r.stdout, /workspace "demo" \(DEMO DATA from the built-in emulator\)/);
    assert.match(r.stdout, /All custom events per day:\n/);
    assert.match(r.stdout, /Top events:\n {2}EVENT +TOTAL +7D vs PREV +DAILY\n/);
    assert.match(r.stdout, /Anomaly check \(last complete day/);
    assert.match(r.stdout, /braze-events serve +# open the dashboard/);
    assert.doesNotMatch(r.stdout + r.stderr, /\u001b\[/, 'no ANSI codes off a TTY');

    // The default database in the working folder: the last 100 days of every event, today included.
    const stored = await countRows(join(dir, 'braze-events.db'), 'demo');
    assert.equal(stored.events, 612);
    assert.equal(stored.rows, 612 * 100);
    assert.equal(stored.newest, NOW_DAY);
    assert.deepEqual(stored.runs, ['succeeded']);

    // A second run is incremental: one data_series request per event.
    const again = await runCli(['demo'], { env: cleanEnv(), cwd: dir, now: clock });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /requests (\d+),/);
    const requests = Number(/requests (\d+),/.exec(again.stderr)![1]);
    assert.ok(requests <= 612 + 3 + 13, `second run made ${requests} requests`);
    assert.deepEqual((await countRows(join(dir, 'braze-events.db'), 'demo')).runs, [
      'succeeded',
      'succeeded',
    ]);
  });

  test('with credentials: the same job against the configured endpoint', async () => {
    const db = join(dir, 'mine.db');
    const r = await runCli(['demo', '--db', db, '--days', '7'], {
      env: cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url }),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stderr.startsWith(`Using Braze at ${emulator.url} (workspace "default").`),
      r.stderr,
    );
    assert.doesNotMatch(r.stderr + r.stdout, /DEMO DATA/);
    assert.match(
      r.stdout,
      new RegExp(`workspace "default" at ${emulator.url.replace(/\./g, '\\.')}`),
    );
    const stored = await countRows(db, 'default');
    assert.equal(stored.events, emulator.eventNames().length);
    const series = emulator
      .requests()
      .filter((q) => q.path === '/events/data_series' && q.status === 200);
    assert.equal(series.length, emulator.eventNames().length, 'one request per event');
  });

  test('bad flags are usage errors and touch nothing', async () => {
    const r = await runCli(['demo', '--days', '1'], { env: cleanEnv(), cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--days must be an integer from 2 to 100/);
    const bad = await runCli(['demo', '--db', 'mysql://nope'], { env: cleanEnv(), cwd: dir });
    assert.equal(bad.code, 2, bad.stderr);
    assert.equal(bad.stdout, '');
  });
});
