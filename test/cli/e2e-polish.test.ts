/**
 * End to end: what a new user, a nightly cron job and an SRE at 3 a.m. read — a selection
 * that matches nothing, an --out that cannot be written, a database or port that cannot be
 * used (each one line naming the flag and value, with one exit-code rule, and no request
 * sent for a user mistake), tables that mark the still-growing bucket, the recorded bucket
 * zone in status, and the small words.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { assertOneErrorLine, runCli, startCli } from '../helpers/cli.js';
import { runningClock } from '../helpers/clock.js';
import { dayBefore, NOW_DAY } from '../helpers/now.js';
import { emulatorSuite } from './helpers.js';

const suite = emulatorSuite({ events: 12 });
/** A database holding one synced event of the emulator (workspace "default"). */
async function syncedDatabase(name: string): Promise<string> {
  const db = join(suite.dir(), name);
  const event = suite.emulator().eventNames()[0]!;
  const s = await runCli(['sync', '--db', db, '--event', event, '-q'], { env: suite.env() });
  assert.equal(s.code, 0, s.stderr);
  return db;
}

const dataRequests = () =>
  suite
    .emulator()
    .requests()
    .filter((q) => q.route === 'dataSeries').length;

describe('a selection that matches nothing: exit 2, one line, no data request', () => {
  test('sync --match with no match names the flag, the glob and the count listed', async () => {
    const db = join(suite.dir(), 'm.db');
    const r = await runCli(['sync', '--db', db, '--match', 'Zzz*'], { env: suite.env() });
    assertOneErrorLine(r, 2, /^error: --match "Zzz\*": matches none of the workspace's 12 events$/);
    assert.equal(dataRequests(), 0);
  });

  test('sync --event with names the workspace lacks: exit 2 naming them, nothing fetched', async () => {
    const db = join(suite.dir(), 'e.db');
    const r = await runCli(
      ['sync', '--db', db, '--event', 'Nope', '--event', 'add_to_cart', '--event', 'Gone'],
      { env: suite.env() },
    );
    assertOneErrorLine(r, 2, /^error: --event "Nope", "Gone": not in the workspace's 12 events$/);
    assert.equal(dataRequests(), 0);
  });

  test('export --match with no match: no header-only output, exit 2', async () => {
    const r = await runCli(['export', '--match', 'Zzz*', '--match', 'Yyy*'], { env: suite.env() });
    assertOneErrorLine(
      r,
      2,
      /^error: --match "Zzz\*", "Yyy\*": matches none of the workspace's 12 events$/,
    );
    assert.equal(r.stdout, '');
    assert.equal(dataRequests(), 0);
  });

  test('export --event with names the workspace lacks: exit 2 naming them, like sync', async () => {
    suite.emulator().clearRequests();
    const r = await runCli(
      ['export', '--event', 'No Such Event', '--event', 'add_to_cart', '--length', '30'],
      { env: suite.env() },
    );
    assertOneErrorLine(r, 2, /^error: --event "No Such Event": not in the workspace's 12 events$/);
    assert.equal(r.stdout, '', 'no header, no rows of zeros');
    assert.equal(dataRequests(), 0);
    const routes = suite
      .emulator()
      .requests()
      .map((q) => q.route);
    assert.ok(routes.length > 0 && routes.every((route) => route === 'eventsList'), routes.join());
    // Listed names export as before.
    const ok = await runCli(['export', '--event', 'add_to_cart', '--length', '2'], {
      env: suite.env(),
    });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim().split('\n').length, 3, ok.stdout);
  });

  test('list --match with no match: exit 2, one line, nothing on stdout (also --json, --details)', async () => {
    for (const extra of [[], ['--json'], ['--details'], ['--details', '--json']]) {
      const r = await runCli(['list', '--match', 'Zzz*', ...extra], { env: suite.env() });
      assertOneErrorLine(
        r,
        2,
        /^error: --match "Zzz\*": matches none of the workspace's 12 events$/,
      );
      assert.equal(r.stdout, '', extra.join(' '));
    }
    const ok = await runCli(['list', '--match', 'add_*'], { env: suite.env() });
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(ok.stdout.includes('add_to_cart'), ok.stdout);
  });

  test('check --workspace that the database does not hold names the ones it does', async () => {
    const db = await syncedDatabase('w.db');
    const r = await runCli(['check', '--db', db, '--workspace', 'nope'], { env: suite.env() });
    assertOneErrorLine(
      r,
      2,
      /^error: --workspace "nope": not in the database \(workspaces: "default"\)$/,
    );
    assert.equal(r.stdout, '');
  });

  test('check --match with no match names the flag and the count stored; a match checks', async () => {
    const db = await syncedDatabase('cm.db');
    const r = await runCli(['check', '--db', db, '--match', 'Zzz*'], { env: suite.env() });
    assertOneErrorLine(r, 2, /^error: --match "Zzz\*": matches none of the workspace's 1 event$/);
    assert.equal(r.stdout, '');
    const glob = `${suite.emulator().eventNames()[0]!.slice(0, 3)}*`;
    const ok = await runCli(['check', '--db', db, '--match', glob, '--json'], {
      env: suite.env(),
    });
    assert.equal(ok.code === 0 || ok.code === 3, true, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).checkedSeries, 1);
  });
});

describe('export --out that cannot be written: exit 2 before any request', () => {
  // The suite runs as root, for whom access(2) says every folder is writable: /sys refuses
  // new files even to root (EACCES), so only an actual attempt tells.
  test('a folder that refuses new files (/sys, even for root)', async () => {
    const r = await runCli(['export', '--all', '--out', '/sys/x.csv'], { env: suite.env() });
    assertOneErrorLine(r, 2, /^error: --out \/sys\/x\.csv: not writable \(EACCES\)$/);
    assert.equal(suite.emulator().requests().length, 0);
  });

  test('a "folder" that is a file', async () => {
    const file = join(suite.dir(), 'plain.txt');
    await writeFile(file, 'x');
    const r = await runCli(['export', '--all', '--out', join(file, 'x.csv')], { env: suite.env() });
    assertOneErrorLine(
      r,
      2,
      /^error: --out .*plain\.txt\/x\.csv: .*plain\.txt is a file, not a folder$/,
    );
    assert.equal(suite.emulator().requests().length, 0);
  });
});

describe('a database or port that cannot be used: one line naming the flag, one exit rule', () => {
  // A path the user gave that cannot be used: 2. A server that is down: 1.
  test('a file that is not a SQLite database: exit 2, for every command', async () => {
    const file = join(suite.dir(), 'notadb.db');
    await writeFile(file, 'hello, not a database\n'.repeat(100));
    for (const command of ['sync', 'check', 'status', 'serve']) {
      const r = await runCli([command, '--db', file], { env: suite.env() });
      assertOneErrorLine(r, 2, new RegExp(`^error: --db ${file}: not a SQLite database$`));
    }
    assert.equal(suite.emulator().requests().length, 0);
  });

  test('a missing folder, or a missing database to read: exit 2, for every command', async () => {
    const r = await runCli(['sync', '--db', '/nonexistent/dir/x.db'], { env: suite.env() });
    assertOneErrorLine(
      r,
      2,
      /^error: --db \/nonexistent\/dir\/x\.db: folder \/nonexistent\/dir does not exist$/,
    );
    const missing = join(suite.dir(), 'nope.db');
    for (const command of ['check', 'status', 'serve']) {
      const m = await runCli([command, '--db', missing], { env: suite.env() });
      assertOneErrorLine(
        m,
        2,
        new RegExp(`^error: --db ${missing}: no database there: run "braze-events sync" first`),
      );
    }
    assert.equal(suite.emulator().requests().length, 0);
  });

  test('a PostgreSQL server that is down: exit 1, naming --db', async () => {
    for (const command of ['check', 'status']) {
      const r = await runCli([command, '--db', 'postgres://127.0.0.1:1/x'], { env: suite.env() });
      assertOneErrorLine(
        r,
        1,
        /^error: --db postgres:\/\/127\.0\.0\.1:1\/x: server not reachable \(ECONNREFUSED\)$/,
      );
    }
  });

  test('serve --port already in use: exit 2, naming --port', async () => {
    const db = await syncedDatabase('serve.db');
    const port = new URL(suite.emulator().url).port;
    const r = await runCli(['serve', '--db', db, '--port', port], { env: suite.env() });
    assertOneErrorLine(r, 2, new RegExp(`^error: --port ${port}: already in use$`));
  });

  test('--help documents the rule', async () => {
    const r = await runCli(['--help'], { env: suite.env() });
    assert.match(
      r.stdout,
      /2 {2}usage or validation error .*a --db, --out or --port that cannot be used/,
    );
    assert.match(r.stdout, /1 {2}runtime or API failure .*a database server that is down/);
  });
});

describe('series tables and the still-growing bucket', () => {
  // Which bucket is still growing depends on the day: the CLI and the emulator both run at
  // the suite's fixed NOW, so these tests pass the same just before and after midnight UTC.
  const clock = runningClock();
  const fixed = emulatorSuite({ events: 12, now: clock });
  const today = NOW_DAY;
  const yesterday = dayBefore(1);

  test('an explicit --format table keeps its header when piped, and marks the partial bucket', async () => {
    const name = fixed.emulator().eventNames()[0]!;
    const r = await runCli(['series', name, '--length', '3', '--format', 'table'], {
      env: fixed.env(),
      now: clock,
    });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^TIME +COUNT/);
    assert.equal(lines.length, 4);
    assert.match(lines[3]!, new RegExp(`^${today} +\\d+ +\\(partial\\)$`));
    assert.ok(lines.slice(1, 3).every((l) => !l.includes('partial')));
  });

  test('--help says what the default --format is when piped, and piped it is that', async () => {
    const help = await runCli(['series', '--help'], { env: fixed.env() });
    assert.match(
      help.stdout.replace(/\s+/g, ' '),
      /default: a table on a terminal, tab-separated rows without a header when piped\)/,
    );
    const name = fixed.emulator().eventNames()[0]!;
    const r = await runCli(['series', name, '--length', '3'], { env: fixed.env(), now: clock });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3, 'no header');
    assert.ok(
      lines.every((l) => /^\S+\t\d+$/.test(l)),
      r.stdout,
    );
  });

  test('machine formats are unchanged: no marker, today included', async () => {
    const name = fixed.emulator().eventNames()[0]!;
    const r = await runCli(['series', name, '--length', '3', '--format', 'csv'], {
      env: fixed.env(),
      now: clock,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('partial'));
    assert.match(r.stdout.trimEnd().split('\n').at(-1)!, new RegExp(`,${today},`));
  });

  test('--complete-only ends at the last complete bucket (series and export)', async () => {
    const name = fixed.emulator().eventNames()[0]!;
    const s = await runCli(
      ['series', name, '--length', '3', '--format', 'csv', '--complete-only'],
      { env: fixed.env(), now: clock },
    );
    assert.equal(s.code, 0, s.stderr);
    const rows = s.stdout.trimEnd().split('\n').slice(1);
    assert.equal(rows.length, 3);
    assert.match(rows.at(-1)!, new RegExp(`,${yesterday},`));
    const e = await runCli(['export', '--event', name, '--length', '3', '--complete-only'], {
      env: fixed.env(),
      now: clock,
    });
    assert.equal(e.code, 0, e.stderr);
    assert.equal(e.stdout.trimEnd().split('\n').slice(1).join('\n'), rows.join('\n'));
    const asked = fixed
      .emulator()
      .requests()
      .filter((q) => q.route === 'dataSeries');
    assert.equal(asked.length, 2, 'one request for the series, one for the export');
    for (const q of asked) assert.equal(q.query.ending_at, `${today}T00:00:00Z`);
  });
});

describe('status shows the recorded bucket zone', () => {
  test('text and --json carry the day-bucket offset and the hour alignment', async () => {
    const db = await syncedDatabase('status-zone.db');
    const text = await runCli(['status', '--db', db], { env: suite.env() });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\n {2}buckets: days at UTC\+00:00, hours on local hours\n/);
    const json = await runCli(['status', '--db', db, '--json'], { env: suite.env() });
    const [ws] = JSON.parse(json.stdout) as { bucketZone: unknown }[];
    assert.deepEqual(ws!.bucketZone, {
      utcOffset: '+00:00',
      utcOffsetMinutes: 0,
      hourBuckets: 'local',
    });
  });
});

describe('cosmetics', () => {
  test('command descriptions start lowercase; numeric defaults are not quoted', async () => {
    const top = await runCli(['--help'], { env: suite.env() });
    for (const line of top.stdout.split('\n').filter((l) => /^ {2}(check|serve) /.test(l))) {
      assert.match(line, /^ {2}(check|serve) .*? {2,}[a-z]/, line);
    }
    for (const command of ['check', 'serve']) {
      const help = await runCli([command, '--help'], { env: suite.env() });
      assert.doesNotMatch(help.stdout, /\(default: "\d+"\)/, help.stdout);
    }
    const check = await runCli(['check', '--help'], { env: suite.env() });
    assert.match(check.stdout, /\(default: 4\)/);
  });

  test('one event: singular words in the export summary (the listing, then one request)', async () => {
    const r = await runCli(
      ['export', '--event', suite.emulator().eventNames()[0]!, '--length', '3'],
      {
        env: suite.env(),
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      // --event names are checked against the listing first (sync's rule): 2 requests.
      /exported 1 event, 3 rows \(csv\) to stdout in [\d.]+ s; 2 requests, 0 retries/,
    );
  });

  test("the emulator's startup line says which offset and hour alignment it serves", async () => {
    const emulator = startCli(['--bucket-utc-offset', '+05:30', 'emulator', '--port', '0']);
    const line = (await emulator.waitFor('stderr', /\n/)).split('\n')[0]!;
    emulator.child.kill('SIGTERM');
    await emulator.done;
    assert.match(line, /^braze-events emulator: listening on http:\/\/127\.0\.0\.1:\d+ /);
    assert.match(line, /days at UTC\+05:30, hours on local hours/);
  });
});
