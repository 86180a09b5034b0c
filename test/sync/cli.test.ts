/**
 * `braze-events sync` and `status` end to end: the CLI spawned as a process against the
 * emulator, a SQLite file, exit codes, stdout/stderr, and what reached the server.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/index.js';
import { runCli } from '../helpers/cli.js';

const KEY = 'cli-sync-secret-key-7f3a9c';

/** Runs the CLI's source (tsx) with `env` and nothing else of ours. */
function cli(args: string[], env: Record<string, string>) {
  return runCli(args, {
    source: true,
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NO_COLOR: '1', ...env },
  });
}

describe('braze-events sync / status (CLI)', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    emulator = await startEmulator({ seed: 4, events: 12, port: 0, keys: [{ key: KEY }] });
    dir = await mkdtemp(join(tmpdir(), 'braze-events-cli-sync-'));
    env = {
      BRAZE_API_KEY: KEY,
      BRAZE_REST_ENDPOINT: emulator.url,
      BRAZE_EVENTS_CONFIG: join(dir, 'none.json'),
      BRAZE_EVENTS_DB: join(dir, 'env.db'),
    };
  });
  after(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('sync --json prints the summary on stdout; status reads it back', async () => {
    const db = join(dir, 'a.db');
    const first = await cli(['sync', '--db', `sqlite:${db}`, '--unit', 'day,hour', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const summary = JSON.parse(first.stdout);
    assert.equal(summary.status, 'succeeded');
    assert.equal(summary.workspace, 'default');
    assert.equal(summary.series, 24);
    assert.equal(summary.rowsInserted, 2400);
    assert.ok(!`${first.stdout}${first.stderr}`.includes(KEY));

    const second = await cli(['sync', '--db', db, '--unit', 'day,hour'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, '', 'without --json the summary goes to stderr');
    assert.match(second.stderr, /sync succeeded: workspace "default", 12 of 12 events, 24 series/);
    // (the CLI runs on the real clock: a new bucket may begin between the two runs)
    assert.match(
      second.stderr,
      /requests \d+, retries 0, 429s 0; rows inserted \d+, updated \d+, unchanged \d+/,
    );

    const status = await cli(['status', '--db', db, '--json'], env);
    assert.equal(status.code, 0, status.stderr);
    const [ws] = JSON.parse(status.stdout);
    assert.equal(ws.workspace, 'default');
    assert.equal(ws.series, 24);
    assert.ok(ws.rows >= 2400);
    assert.equal(ws.events, 12);
    assert.deepEqual(
      ws.runs.map((r: { status: string }) => r.status),
      ['succeeded', 'succeeded'],
    );
    const text = await cli(['status', '--db', db], env);
    assert.match(
      text.stdout,
      /workspace "default"\n {2}events 12, series 24, rows \d+\n {2}freshest /,
    );
  });

  test('BRAZE_EVENTS_DB is the default database', async () => {
    const r = await cli(['sync', '--event', emulator.eventNames()[0]!, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const status = await cli(['status', '--json'], env);
    assert.equal(JSON.parse(status.stdout)[0].series, 1);
  });

  test('bad flags exit 2 before any request', async () => {
    emulator.clearRequests();
    const cases = [
      ['sync', '--unit', 'week'],
      ['sync', '--since', '2999-01-01'],
      ['sync', '--since', 'yesterday'],
      ['sync', '--event', 'A', '--match', 'B*'],
      ['sync', '--db', 'mysql://h/db'],
      ['sync', '--lookback', '-3'],
      ['sync', '--max-share', '1.5'],
      ['sync', '--concurrency', '0'],
      ['status', '--db', 'mysql://h/db'],
    ];
    for (const args of cases) {
      const r = await cli(args, env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /error/);
    }
    assert.equal(emulator.requests().length, 0);
  });

  test('an unknown event or a glob matching none is a usage error (exit 2) naming it, before any data request, leaving no run', async () => {
    const db = join(dir, 'm.db');
    const synced = await cli(['sync', '--db', db, '--event', emulator.eventNames()[0]!], env);
    assert.equal(synced.code, 0, synced.stderr);
    const journal = async () => {
      const opened = await openDatabase(db);
      try {
        return await opened.query('SELECT * FROM sync_runs ORDER BY id');
      } finally {
        await opened.close();
      }
    };
    const before = await journal();
    emulator.clearRequests();
    const r = await cli(
      ['sync', '--db', db, '--event', emulator.eventNames()[0]!, '--event', 'Nope'],
      env,
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --event "Nope": not in the workspace's \d+ events\n$/);
    const glob = await cli(['sync', '--db', db, '--match', 'zzz*'], env);
    assert.equal(glob.code, 2);
    assert.match(
      glob.stderr,
      /^error: --match "zzz\*": matches none of the workspace's \d+ events\n$/,
    );
    assert.equal(emulator.requests().filter((q) => q.route === 'dataSeries').length, 0);
    // A usage mistake is not a failed run: the journal (and so `status`) never sees it.
    assert.deepEqual(await journal(), before);
    const status = await cli(['status', '--db', db, '--json'], env);
    assert.deepEqual(
      JSON.parse(status.stdout)[0].runs.map((run: { status: string }) => run.status),
      ['succeeded'],
    );
  });

  test('a plain sync after sync --since never reads before that day (the lookback stops there)', async () => {
    const db = join(dir, 'since.db');
    const name = emulator.eventNames()[1]!;
    const first = await cli(['sync', '--db', db, '--event', name, '--since', '3d'], env);
    assert.equal(first.code, 0, first.stderr);
    const opened = await openDatabase(db);
    const oldest = async () =>
      (await opened.query<{ t: string }>('SELECT MIN(time) AS t FROM event_counts'))[0]!.t;
    try {
      const from = await oldest();
      emulator.clearRequests();
      const plain = await cli(['sync', '--db', db, '--event', name], env);
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(await oldest(), from);
      const asked = emulator.requests().filter((q) => q.route === 'dataSeries');
      assert.equal(asked.length, 1);
      assert.equal(asked[0]!.query.length, '4'); // --since 3d: three days and today
    } finally {
      await opened.close();
    }
  });

  test('a rejected key: exit 1, the hint, never the key', async () => {
    const r = await cli(['sync', '--db', join(dir, 'k.db')], {
      ...env,
      BRAZE_API_KEY: 'not-the-key-5521',
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /401/);
    assert.match(r.stderr, /the API key was rejected/);
    assert.ok(!r.stderr.includes('not-the-key-5521'));
  });

  test('a sync while another holds the workspace is refused cleanly', async () => {
    const path = join(dir, 'l.db');
    const db = await openDatabase(path, { migrate: true });
    const lock = await db.tryLock('sync:default');
    assert.ok('release' in lock);
    try {
      emulator.clearRequests();
      const r = await cli(['sync', '--db', path], env);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /another sync of workspace "default" is running \(pid \d+/);
      assert.equal(emulator.requests().length, 0);
    } finally {
      await lock.release();
      await db.close();
    }
  });

  test('--hour-buckets: a later run on the other hour alignment is refused (exit 2), naming the flag', async () => {
    const zoned = await startEmulator({
      seed: 4,
      events: 2,
      port: 0,
      keys: [{ key: KEY }],
      zoneOffsetMinutes: 330,
    });
    try {
      const db = join(dir, 'hours.db');
      const zenv = { ...env, BRAZE_REST_ENDPOINT: zoned.url, BRAZE_BUCKET_UTC_OFFSET: '+05:30' };
      const first = await cli(['sync', '--db', db, '--unit', 'hour'], zenv);
      assert.equal(first.code, 0, first.stderr);
      zoned.clearRequests();
      const other = await cli(
        ['--hour-buckets', 'utc', 'sync', '--db', db, '--unit', 'hour'],
        zenv,
      );
      assert.equal(other.code, 2, other.stderr);
      assert.equal(
        other.stderr.trim(),
        'error: workspace "default" holds hour buckets on local hours at UTC+05:30, this run reads them on UTC hours; ' +
          'nothing was done: sync with --hour-buckets local, or into another workspace or database',
      );
      assert.equal(zoned.requests().length, 0);
      const opened = await openDatabase(db);
      try {
        assert.equal((await opened.query('SELECT id FROM sync_runs')).length, 1);
      } finally {
        await opened.close();
      }
    } finally {
      await zoned.close();
    }
  });

  test('--bucket-utc-offset: buckets read at that offset; a later run at another is refused (exit 2)', async () => {
    const zoned = await startEmulator({
      seed: 4,
      events: 3,
      port: 0,
      keys: [{ key: KEY }],
      zoneOffsetMinutes: 330,
    });
    try {
      const db = join(dir, 'zoned.db');
      const zenv = { ...env, BRAZE_REST_ENDPOINT: zoned.url };
      const first = await cli(['--bucket-utc-offset', '+05:30', 'sync', '--db', db], zenv);
      assert.equal(first.code, 0, first.stderr);
      const opened = await openDatabase(db);
      const countRuns = async () => (await opened.query('SELECT id FROM sync_runs')).length;
      try {
        const rows = await opened.query<{ time: string; bucket_start: string }>(
          'SELECT time, bucket_start FROM event_counts',
        );
        assert.equal(rows.length, 300);
        for (const r of rows) {
          assert.equal(r.bucket_start, new Date(`${r.time}T00:00:00+05:30`).toISOString());
        }

        zoned.clearRequests();
        const other = await cli(['sync', '--db', db], zenv);
        assert.equal(other.code, 2, other.stderr);
        assert.equal(
          other.stderr.trim(),
          'error: workspace "default" holds day buckets at UTC+05:30, this run reads them at UTC+00:00; ' +
            'nothing was done: sync with --bucket-utc-offset +05:30, or into another workspace or database',
        );
        assert.equal(zoned.requests().length, 0);
        assert.equal(await countRuns(), 1);

        const fromEnv = await cli(['sync', '--db', db], {
          ...zenv,
          BRAZE_BUCKET_UTC_OFFSET: '+0530',
        });
        assert.equal(fromEnv.code, 0, fromEnv.stderr);
        assert.equal(await countRuns(), 2);
      } finally {
        await opened.close();
      }
    } finally {
      await zoned.close();
    }
  });

  test('status of a missing database is an error, and creates nothing', async () => {
    const r = await cli(['status', '--db', join(dir, 'missing.db')], env);
    // Exit 2 since the --db rule: a path the user gave that cannot be used is a usage error.
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--db .*missing\.db: no database there/);
  });
});
