/**
 * PostgreSQL that goes away around `braze-events sync` (the CLI, spawned): a restart is
 * ridden out (reconnect, the window in flight written again, its return said) and the run
 * ends with exit 0 and exactly the ground truth; a server that stays down past
 * --db-reconnect-timeout ends it with one line and exit 1, no stack trace; Ctrl-C or
 * SIGTERM during an outage stops the wait at once (130/143), keeping what was committed. A
 * server down when the sync starts is waited for within the same bound; a database or role
 * that does not exist is a configuration mistake (exit 2), never waited for.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/index.js';
import { assertOneErrorLine, type RunningCli, startCli } from '../helpers/cli.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';

const KEY = 'pg-restart-secret-key-5d1e';
const DAY = 86_400_000;
const SINCE_DAYS = 250;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns `sync` against the emulator (the CLI's TypeScript source). */
function startSync(emulator: Emulator, dbUrl: string, dir: string, extra: string[]): RunningCli {
  const since = new Date(Date.now() - SINCE_DAYS * DAY).toISOString().slice(0, 10);
  return startCli(['sync', '--db', dbUrl, '--since', since, '-c', '2', ...extra], {
    source: true,
    // A run that hangs on a product bug is stopped, so the test fails instead of hanging.
    timeoutMs: 180_000,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: tmpdir(),
      NO_COLOR: '1',
      BRAZE_API_KEY: KEY,
      BRAZE_REST_ENDPOINT: emulator.url,
      BRAZE_EVENTS_CONFIG: join(dir, 'none.json'),
    },
  });
}

const dataSeriesRequests = (emulator: Emulator) =>
  emulator.requests().filter((r) => r.path === '/events/data_series').length;

/** Resolves once the emulator has answered `n` data_series requests. */
function afterRequests(emulator: Emulator, n: number): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (dataSeriesRequests(emulator) >= n) {
        clearInterval(poll);
        resolve();
      }
    }, 20);
  });
}

/**
 * Spawns `sync` against the emulator; `during` runs once the emulator has answered
 * `requests` data_series requests (so some windows are committed, others not).
 */
async function syncWhile(
  emulator: Emulator,
  dbUrl: string,
  dir: string,
  extra: string[],
  requests: number,
  during: () => Promise<void>,
): Promise<Run> {
  const running = startSync(emulator, dbUrl, dir, extra);
  let fired: Promise<void> | undefined;
  const poll = setInterval(() => {
    if (fired === undefined && dataSeriesRequests(emulator) >= requests) {
      clearInterval(poll);
      fired = during();
    }
  }, 20);
  const { code, stdout, stderr } = await running.done.finally(() => clearInterval(poll));
  assert.ok(fired, 'the database went away during the sync, not after it');
  await fired;
  return { code, stdout, stderr };
}

/** Braze's daily counts of `event` from --since on, by bucket start (ISO), for days ended before `today`. */
function groundTruth(emulator: Emulator, event: string, today: number): Map<string, number> {
  // data_series answers at most 100 buckets: the sync's three windows.
  const points = [150, 50, 0].flatMap((daysAgo) =>
    emulator.groundTruth({
      event,
      unit: 'day',
      length: daysAgo === 0 ? 50 : 100,
      endingAt: today - daysAgo * DAY,
    }),
  );
  return new Map(points.map((p) => [new Date(`${p.time}T00:00:00Z`).toISOString(), p.count]));
}

/** The stored daily rows of every event of the workspace, by event. */
async function storedDays(
  url: string,
): Promise<Map<string, Array<{ bucket_start: string; count: number }>>> {
  const db = await openDatabase(url);
  try {
    const rows = await db.query<{ event: string; bucket_start: string; count: number }>(
      `SELECT event, bucket_start, count FROM event_counts
        WHERE workspace = 'default' AND unit = 'day' AND app_id = '' AND segment_id = ''
        ORDER BY event, bucket_start`,
    );
    const byEvent = new Map<string, Array<{ bucket_start: string; count: number }>>();
    for (const r of rows) byEvent.set(r.event, [...(byEvent.get(r.event) ?? []), r]);
    return byEvent;
  } finally {
    await db.close();
  }
}

/**
 * Every day from --since on is stored once for every event; every day that had ended when
 * the test began (`started`) holds exactly Braze's count (today's grows while it runs); the
 * last run succeeded.
 */
async function assertGroundTruth(emulator: Emulator, url: string, started: number) {
  const today = Math.floor(started / DAY) * DAY;
  const first = today - SINCE_DAYS * DAY;
  const stored = await storedDays(url);
  const names = emulator.eventNames();
  assert.equal(names.length, 40);
  for (const event of names) {
    const rows = stored.get(event) ?? [];
    const complete = rows.filter((r) => Date.parse(r.bucket_start) < today);
    assert.deepEqual(
      complete.map((r) => [r.bucket_start, r.count]),
      [...groundTruth(emulator, event, today)],
      event,
    );
    assert.equal(Date.parse(rows[0]!.bucket_start), first, event);
    assert.equal(new Set(rows.map((r) => r.bucket_start)).size, rows.length, event);
  }
  const db = await openDatabase(url);
  try {
    const [runRow] = await db.query<{ status: string }>(
      'SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1',
    );
    assert.equal(runRow!.status, 'succeeded');
  } finally {
    await db.close();
  }
}

/** Sends `signal` once stderr matches `pattern`: the run's end, and the ms it took after the signal. */
async function signalWhen(running: RunningCli, pattern: RegExp, signal: NodeJS.Signals) {
  await running.waitFor('stderr', pattern);
  const signalled = Date.now();
  running.child.kill(signal);
  const run = await running.done;
  return { run, took: Date.now() - signalled };
}

/** Lines of `text` matching `re`. */
const linesMatching = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l));

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

  /** Runs `fn` with the server stopped, and starts it again afterwards whatever `fn` did. */
  async function whileDown<T>(fn: () => Promise<T>): Promise<T> {
    await pg.halt();
    try {
      return await fn();
    } finally {
      await pg.restart(0);
    }
  }

  test('a restart mid-sync: reconnects, finishes with exit 0, stores exactly the ground truth', async () => {
    const url = await pg.createDatabase('restart');
    emulator.clearRequests();
    const started = Date.now();
    const run = await syncWhile(emulator, url, dir, [], 30, () => pg.restart(1_000));
    assert.equal(run.code, 0, run.stderr);

    assert.match(run.stderr, /the database stopped answering .*reconnecting for up to 60 s/);
    // Its return is said too, once, with how long it was away.
    const back = linesMatching(run.stderr, /the database answers again after \d+\.\d s$/);
    assert.equal(back.length, 1, run.stderr);
    assert.doesNotMatch(run.stderr, /^\s+at /m);
    await assertGroundTruth(emulator, url, started);
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

  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    test(`${signal} while the server is down: the wait stops at once, exit ${exitCode}, what was committed is kept`, async () => {
      const url = await pg.createDatabase(`signal_${exitCode}`);
      emulator.clearRequests();
      const started = Date.now();
      const running = startSync(emulator, url, dir, ['--db-reconnect-timeout', '60']);
      await afterRequests(emulator, 30);
      const { run, took } = await whileDown(() =>
        signalWhen(running, /the database stopped answering/, signal),
      );
      assert.equal(run.code, exitCode, run.stderr);
      // Generous: the point is that it does not wait out the 60 s bound.
      assert.ok(took < 20_000, `exited ${took} ms after ${signal}:\n${run.stderr}`);
      assert.match(run.stderr, /interrupted: finishing the current writes/);
      assert.match(
        run.stderr,
        /^error: sync interrupted: what was written is kept, a re-run resumes where this one stopped$/m,
      );
      assert.doesNotMatch(run.stderr, /unreachable after|^\s+at |Unhandled/m);

      // What was committed before the server went away is there, exactly Braze's counts.
      const today = Math.floor(started / DAY) * DAY;
      const stored = await storedDays(url);
      let days = 0;
      for (const [event, rows] of stored) {
        const truth = groundTruth(emulator, event, today);
        for (const r of rows.filter((row) => Date.parse(row.bucket_start) < today)) {
          assert.equal(r.count, truth.get(r.bucket_start), `${event} ${r.bucket_start}`);
          days += 1;
        }
      }
      assert.ok(days >= 100, `only ${days} days stored`);
    });
  }

  test('a server down when the sync starts is waited for (said once); back within the bound: exit 0, the ground truth', async () => {
    const url = await pg.createDatabase('late');
    emulator.clearRequests();
    const started = Date.now();
    const running = await whileDown(async () => {
      const sync = startSync(emulator, url, dir, ['--db-reconnect-timeout', '120']);
      await sync.waitFor('stderr', /the database is not answering/);
      return sync;
    });
    const run = await running.done;
    assert.equal(run.code, 0, run.stderr);
    const waits = linesMatching(run.stderr, /the database is not answering/);
    assert.equal(waits.length, 1, run.stderr);
    assert.match(
      waits[0]!,
      /^warning: the database is not answering \(.*ECONNREFUSED.*\); waiting for it for up to 120 s$/,
    );
    assert.equal(
      linesMatching(run.stderr, /^warning: the database answers after \d+\.\d s$/).length,
      1,
      run.stderr,
    );
    assert.doesNotMatch(run.stderr, /stopped answering|^\s+at /m);
    await assertGroundTruth(emulator, url, started);
  });

  test('a server down when the sync starts and past the bound: one error line, exit 1, nothing sent', async () => {
    const url = await pg.createDatabase('never');
    emulator.clearRequests();
    const started = Date.now();
    const run = await whileDown(
      () => startSync(emulator, url, dir, ['--db-reconnect-timeout', '2']).done,
    );
    const took = Date.now() - started;
    assert.equal(run.code, 1, run.stderr);
    assert.ok(took >= 2_000, `gave up after ${took} ms, before the bound`);
    const lines = run.stderr.trim().split('\n');
    assert.equal(linesMatching(run.stderr, /not answering/).length, 1, run.stderr);
    assert.equal(linesMatching(run.stderr, /^error: /).length, 1, run.stderr);
    assert.match(
      lines[lines.length - 1]!,
      /^error: --db postgres:\/\/postgres@127\.0\.0\.1:\d+\/never: server not reachable \(ECONNREFUSED\), still after 2 s of waiting$/,
    );
    assert.doesNotMatch(run.stderr, /^\s+at |Unhandled/m);
    assert.equal(emulator.requests().length, 0);
  });

  test('Ctrl-C while waiting for a server down when the sync starts: exit 130 at once, nothing sent', async () => {
    const url = await pg.createDatabase('late_sigint');
    emulator.clearRequests();
    const { run, took } = await whileDown(() => {
      const running = startSync(emulator, url, dir, ['--db-reconnect-timeout', '60']);
      return signalWhen(running, /the database is not answering/, 'SIGINT');
    });
    assert.equal(run.code, 130, run.stderr);
    assert.ok(took < 20_000, `exited ${took} ms after SIGINT:\n${run.stderr}`);
    assert.match(
      run.stderr,
      /^error: sync interrupted while waiting for the database; nothing was written$/m,
    );
    assert.doesNotMatch(run.stderr, /^\s+at |Unhandled/m);
    assert.equal(emulator.requests().length, 0);
  });

  test('a --db naming a database or role that does not exist: exit 2, one line, password hidden, not waited for', async () => {
    const secret = 'pw-n0-such-s3cret';
    const noDatabase = new URL(pg.url);
    noDatabase.password = secret;
    noDatabase.pathname = '/no_such_database';
    const noRole = new URL(pg.url);
    noRole.username = 'no_such_role';
    noRole.password = secret;
    for (const [url, what] of [
      [
        noDatabase.href,
        /postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/no_such_database: database "no_such_database" does not exist$/,
      ],
      [
        noRole.href,
        /postgres:\/\/no_such_role:\*\*\*@127\.0\.0\.1:\d+\/postgres: role "no_such_role" does not exist$/,
      ],
    ] as const) {
      emulator.clearRequests();
      const run = await startSync(emulator, url, dir, ['--db-reconnect-timeout', '120']).done;
      assertOneErrorLine(run, 2, new RegExp(`^error: --db ${what.source}`));
      assert.ok(!run.stderr.includes(secret));
      assert.equal(emulator.requests().length, 0);
    }
  });
});
