import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/sync/index.js';
import { SEEDED_ANOMALIES, seedDatabase } from '../dashboard/seed.js';
import { cleanEnv, ensureBuilt, runCli } from '../helpers/cli.js';

describe('braze-events check (built binary)', () => {
  let dir: string;
  let dbPath: string;

  before(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'braze-check-cli-'));
    dbPath = join(dir, 'check.db');
    const db = await seedDatabase(dbPath, { extraEvents: 10 });
    await db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('prints a table of the anomalies and exits 3', async () => {
    const r = await runCli(['check', '--db', dbPath]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^EVENT\s+KIND\s+BUCKET\s+VALUE\s+BASELINE\s+CHANGE\n/);
    for (const [event, kind] of Object.entries(SEEDED_ANOMALIES)) {
      assert.match(r.stdout, new RegExp(`^${event}\\s+${kind}\\s+2026-03-03\\s`, 'm'));
    }
    assert.match(r.stdout, /4 anomalies in 14 day series\.\n$/);
  });

  test('--json prints the report; BRAZE_EVENTS_DB is the default --db', async () => {
    const r = await runCli(['check', '--json'], {
      env: cleanEnv({ BRAZE_EVENTS_DB: `sqlite:${dbPath}` }),
    });
    assert.equal(r.code, 3, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.unit, 'day');
    assert.equal(report.checkedSeries, 14);
    assert.deepEqual(
      Object.fromEntries(
        report.findings.map((f: { event: string; kind: string }) => [f.event, f.kind]),
      ),
      SEEDED_ANOMALIES,
    );
    assert.deepEqual(report.options, {
      baseline: 4,
      dropFraction: 0.5,
      spike: 3,
      minVolume: 20,
      tolerance: 3,
    });
  });

  test('exits 0 when nothing is found', async () => {
    const r = await runCli(['check', '--db', dbPath, '--unit', 'hour']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'No anomalies: 14 hour series checked.\n');
    const quiet = await runCli([
      'check',
      '--db',
      dbPath,
      '--min-volume',
      '1000000',
      '--spike',
      '50',
      '--drop',
      '99%',
    ]);
    assert.equal(quiet.code, 0, quiet.stdout);
  });

  test('--drop is a percentage; --json names the fraction it became dropFraction', async () => {
    const r = await runCli(['check', '--db', dbPath, '--json', '--drop', '70']);
    assert.ok(r.code === 0 || r.code === 3, r.stderr);
    const { options } = JSON.parse(r.stdout) as { options: Record<string, unknown> };
    assert.equal(options.dropFraction, 0.7);
    assert.equal('drop' in options, false, 'no field whose unit differs from the flag of its name');
    const help = await runCli(['check', '--help']);
    assert.match(help.stdout.replace(/\s+/g, ' '), /--json: options\.dropFraction, 50 → 0\.5/);
  });

  test('flags change the thresholds', async () => {
    const r = await runCli([
      'check',
      '--db',
      dbPath,
      '--json',
      '--spike',
      '20',
      '--min-volume',
      '500',
      '--baseline',
      '3',
    ]);
    assert.equal(r.code, 3);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.options, {
      baseline: 3,
      dropFraction: 0.5,
      spike: 20,
      minVolume: 500,
      tolerance: 3,
    });
    assert.deepEqual(
      report.findings.map((f: { event: string }) => f.event),
      ['Legacy Ping'],
    );
  });

  for (const [args, re] of [
    [['--unit', 'week'], /--unit must be day or hour, got "week"/],
    [['--drop', '150'], /--drop must be a percentage between 0 and 100, got "150"/],
    [['--spike', '1'], /--spike must be a number greater than 1/],
    [['--baseline', '0'], /--baseline must be an integer from 1 to 52/],
    [['--min-volume', '-3'], /--min-volume must be a number >= 0/],
    [['--db', 'mysql://x/y'], /unsupported scheme "mysql:"/],
  ] as const) {
    test(`bad flag ${args.join(' ')} exits 2 with one line`, async () => {
      const r = await runCli(['check', '--db', dbPath, ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    });
  }

  test('an hour alignment contradicting the recorded one exits 2 naming it (flag, env or profile)', async () => {
    // A workspace whose syncs recorded UTC hours at +05:30, holding one hour row.
    const path = join(dir, 'utc-hours.db');
    const db = await openDatabase(path, { migrate: true });
    try {
      await db.exec(
        'INSERT INTO workspace_settings (workspace, bucket_utc_offset_minutes, hour_buckets, updated_at) VALUES (?, ?, ?, ?)',
        ['ist', 330, 'utc', '2026-11-20T21:10:00.000Z'],
      );
      await db.exec(
        `INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at)
         VALUES ('ist', 'Login', 'hour', '', '', '2026-11-20T14:30:00+05:30', '2026-11-20T09:00:00.000Z', 5, '2026-11-20T21:10:00.000Z')`,
      );
    } finally {
      await db.close();
    }
    const line =
      'error: --hour-buckets local contradicts workspace "ist", whose hours were synced on UTC hours at UTC+05:30: ' +
      'the check reads the recorded alignment, so leave it out (or pass --hour-buckets utc)\n';
    const config = join(dir, 'hours-config.json');
    writeFileSync(
      config,
      JSON.stringify({ defaultProfile: 'ist', profiles: { ist: { hourBuckets: 'local' } } }),
    );
    for (const [args, env] of [
      [['--hour-buckets', 'local'], cleanEnv()],
      [[], cleanEnv({ BRAZE_HOUR_BUCKETS: 'local' })],
      [[], cleanEnv({ BRAZE_EVENTS_CONFIG: config })],
    ] as const) {
      const r = await runCli([...args, 'check', '--db', path, '--unit', 'hour'], { env });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, line);
    }
    // The recorded alignment, asked for or not, is used.
    for (const args of [['--hour-buckets', 'utc'], []]) {
      const r = await runCli([...args, 'check', '--db', path, '--unit', 'hour']);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test('a missing database is a usage error that says what to do', async () => {
    const r = await runCli(['check', '--db', join(dir, 'nope.db')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--db .*nope\.db: no database there: run "braze-events sync" first/);
  });

  test('a file that is not a database exits 2 (a path the user gave that cannot be used)', async () => {
    const bad = join(dir, 'not-a.db');
    writeFileSync(bad, 'this is not a database, just text '.repeat(200));
    const r = await runCli(['check', '--db', bad]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error: --db .*not-a\.db: not a SQLite database\n$/);
    assert.equal(r.stdout, '');
  });
});
