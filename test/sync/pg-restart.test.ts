/**
 * PostgreSQL that goes away in the middle of `braze-events sync` (the CLI, spawned): a
 * restart is ridden out (reconnect, the window in flight written again) and the run ends
 * with exit 0 and exactly the ground truth; a server that stays down past
 * --db-reconnect-timeout ends it with one line and exit 1, no stack trace.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/index.js';
import { startCli } from '../helpers/cli.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';

const KEY = 'pg-restart-secret-key-5d1e';
const DAY = 86_400_000;
const SINCE_DAYS = 250;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `sync` against the emulator; `during` runs once the emulator has answered
 * `afterRequests` data_series requests (so some windows are committed, others not).
 */
async function syncWhile(
  emulator: Emulator,
  dbUrl: string,
  dir: string,
  extra: string[],
  afterRequests: number,
  during: () => Promise<void>,
): Promise<Run> {
  const since = new Date(Date.now() - SINCE_DAYS * DAY).toISOString().slice(0, 10);
  const running = startCli(['sync', '--db', dbUrl, '--since', since, '-c', '2', ...extra], {
    source: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: tmpdir(),
      NO_COLOR: '1',
      BRAZE_API_KEY: KEY,
      BRAZE_REST_ENDPOINT: emulator.url,
      BRAZE_EVENTS_CONFIG: join(dir, 'none.json'),
    },
  });
  let fired: Promise<void> | undefined;
  const poll = setInterval(() => {
    const seen = emulator.requests().filter((r) => r.path === '/events/data_series').length;
    if (fired === undefined && seen >= afterRequests) {
      clearInterval(poll);
      fired = during();
    }
  }, 20);
  const { code, stdout, stderr } = await running.done.finally(() => clearInterval(poll));
  assert.ok(fired, 'the database went away during the sync, not after it');
  await fired;
  return { code, stdout, stderr };
}

describe('PostgreSQL restarted during braze-events sync (CLI)', () => {
  let pg: TestPostgres;
  let emulator: Emulator;
  let dir: string;
  before(async () => {
    pg = await startTestPostgres();
    dir = await mkdtemp(join(tmpdir(), 'braze-events-pg-restart-'));
    emulator = await startEmulator({ seed: 16, events: 40, port: 0, keys: [{ key: KEY }] });
    // Slow answers, so the sync is still writing when the server goes away.
    emulator.addFault({ kind: 'delay', route: 'dataSeries', probability: 1, delayMs: 40 });
  });
  after(async () => {
    await emulator.close();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a restart mid-sync: reconnects, finishes with exit 0, stores exactly the ground truth', async () => {
    const url = await pg.createDatabase('restart');
    emulator.clearRequests();
    const started = Date.now();
    const run = await syncWhile(emulator, url, dir, [], 30, () => pg.restart(1_000));
    assert.equal(run.code, 0, run.stderr);

    assert.match(run.stderr, /the database stopped answering .*reconnecting for up to 60 s/);
    assert.doesNotMatch(run.stderr, /^\s+at /m);

    // Every day from --since on is stored once; every day that had ended when the test
    // began holds exactly Braze's count (today's grows while the test runs).
    const today = Math.floor(started / DAY) * DAY;
    const first = today - SINCE_DAYS * DAY;
    const db = await openDatabase(url);
    try {
      const rows = await db.query<{ event: string; bucket_start: string; count: number }>(
        `SELECT event, bucket_start, count FROM event_counts
          WHERE workspace = 'default' AND unit = 'day' AND app_id = '' AND segment_id = ''
          ORDER BY event, bucket_start`,
      );
      const names = emulator.eventNames();
      assert.equal(names.length, 40);
      for (const event of names) {
        const stored = rows.filter((r) => r.event === event);
        const complete = stored.filter((r) => Date.parse(r.bucket_start) < today);
        // data_series answers at most 100 buckets.
        const truth = [150, 50, 0].flatMap((daysAgo) =>
          emulator.groundTruth({
            event,
            unit: 'day',
            length: daysAgo === 150 ? 100 : daysAgo === 50 ? 100 : 50,
            endingAt: today - daysAgo * DAY,
          }),
        );
        assert.deepEqual(
          complete.map((r) => [r.bucket_start, r.count]),
          truth.map((p) => [new Date(`${p.time}T00:00:00Z`).toISOString(), p.count]),
          event,
        );
        assert.equal(Date.parse(stored[0]!.bucket_start), first, event);
        assert.equal(new Set(stored.map((r) => r.bucket_start)).size, stored.length, event);
      }
      const [runRow] = await db.query<{ status: string }>(
        'SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1',
      );
      assert.equal(runRow!.status, 'succeeded');
    } finally {
      await db.close();
    }
  });

  test('a server kept down past --db-reconnect-timeout: one line, exit 1', async () => {
    const url = await pg.createDatabase('down');
    emulator.clearRequests();
    try {
      const run = await syncWhile(emulator, url, dir, ['--db-reconnect-timeout', '3'], 30, () =>
        pg.halt(),
      );
      assert.equal(run.code, 1, run.stderr);
      const lines = run.stderr.trim().split('\n');
      const failure = lines.filter((l) => /unreachable after 3 s/.test(l));
      assert.equal(failure.length, 1, run.stderr);
      assert.match(failure[0]!, /postgres:\/\/postgres@127\.0\.0\.1:\d+\/down/);
      assert.match(lines[lines.length - 1]!, /unreachable after 3 s/);
      assert.doesNotMatch(run.stderr, /^\s+at |Unhandled|node:events/m);
    } finally {
      await pg.restart(0);
    }
  });
});
