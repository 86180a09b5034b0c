/**
 * End to end (issue 15, failures 3 and 8): one event's failure is that event's failure in
 * `export` and `sync`; names are data, never terminal commands, in every human output,
 * and byte-exact in every machine output.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/db/index.js';
import { seedDatabase } from '../dashboard/seed.js';
import { parseCsv } from '../export/csv-parse.js';
import {
  assertNoKeyLeaked,
  cleanEnv,
  ensureBuilt,
  runCli,
  runCliOnTty,
  TEST_KEY,
} from '../helpers/cli.js';

/** Clears the screen, retitles the terminal, rings the bell: what an app can send. */
const NASTY = 'Evil\u001b[2J\u001b]0;pwned\u0007 Name';
const NASTY_SHOWN = 'Evil\\x1b[2J\\x1b]0;pwned\\x07 Name';
/** C1 CSI and a bidi override, which JSON.stringify leaves raw. */
const SNEAKY = 'Sneaky \u009b31m\u202eevil';
const RESERVED = ['$Purchase', '$Session Start', '$attribution'];
const DELETED = 'Gone Since Listing';
const GOOD = ['Add to Cart', 'Purchase Completed'];
const ENDING = '2026-11-01';

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let dir: string;

function dataset() {
  const names = [...RESERVED, DELETED, NASTY, SNEAKY, ...GOOD];
  return {
    events: names.map((name, i) => ({
      name,
      counts: { '2026-10-29': 10 + i, '2026-10-30': 20 + i, '2026-10-31': 30 + i },
    })),
  };
}

/** No raw byte a terminal would act on (the escaped forms are fine). */
function assertInert(text: string, what: string): void {
  for (const c of ['\u001b', '\u0007', '\u009b', '\u202e']) {
    assert.ok(
      !text.includes(c),
      `${what} holds U+${c.charCodeAt(0).toString(16)}: ${JSON.stringify(text.slice(0, 400))}`,
    );
  }
}

before(async () => {
  await ensureBuilt();
  emulator = await startEmulator({ port: 0, data: dataset(), keys: [{ key: TEST_KEY }] });
  env = cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
  dir = await mkdtemp(join(tmpdir(), 'braze-events-names-'));
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
  assertNoKeyLeaked();
});

function refuseSome(): void {
  for (const event of RESERVED) emulator.addFault({ kind: '400', event });
  emulator.addFault({ kind: '404', event: DELETED });
  // Braze echoes the name in its message: a name holding ESC reaches stderr that way too.
  emulator.addFault({ kind: '400', event: NASTY });
}

describe('export: one event’s failure is that event’s failure', () => {
  test('--out FILE: the other events are written in full, the failed ones named, exit 1', async () => {
    refuseSome();
    const out = join(dir, 'counts.csv');
    const r = await runCli(
      ['export', '--all', '--length', '3', '--ending-at', ENDING, '--out', out],
      { env },
    );
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, '');
    assertInert(r.stderr, 'stderr');
    // Each failure named as it happens, with Braze's message and request id…
    assert.match(
      r.stderr,
      /warning: event "\$Purchase" failed: 400 Invalid 'event' parameter: \$Purchase \(request id [^)]+\); the other events go on/,
    );
    assert.match(r.stderr, /warning: event "Gone Since Listing" failed: 404 Event not found/);
    assert.ok(r.stderr.includes(NASTY_SHOWN), r.stderr);
    // …then the summary line and the error line: a few names, then a count.
    assert.match(r.stderr, /exported 3 of 8 events, 9 rows \(csv\) to .*counts\.csv/);
    assert.match(
      r.stderr,
      /\nerror: 5 of 8 events failed: "\$Purchase", "\$Session Start", "\$attribution", "Evil\\u001b\[2J\\u001b\]0;pwned\\u0007 Name", "Gone Since Listing" \(first: 400 Invalid 'event' parameter: \$Purchase\); the output holds the other 3 events' rows\n$/,
    );
    // The file was committed, and holds every row of every other event, byte-exact.
    const rows = parseCsv(await readFile(out, 'utf8'));
    assert.deepEqual(
      rows.slice(1).map((row) => row[0]),
      [...GOOD.flatMap((g) => [g, g, g]), SNEAKY, SNEAKY, SNEAKY].sort(),
    );
    assert.deepEqual(await readdir(dir), ['counts.csv']);
    await rm(out);
  });

  test('more failures than shown: a few names, then a count', async () => {
    refuseSome();
    for (const event of [SNEAKY, ...GOOD]) emulator.addFault({ kind: '400', event });
    const r = await runCli(['export', '--all', '--length', '3', '--ending-at', ENDING], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, 'event,unit,time,count\n');
    assert.match(r.stderr, /error: 8 of 8 events failed: (".*", ){4}".*" and 3 more \(first: 400 /);
  });

  test('every event refused alike (a mistyped --app-id): ten warnings, then the reason once', async () => {
    const many = await startEmulator({ port: 0, events: 15, keys: [{ key: TEST_KEY }] });
    try {
      const r = await runCli(
        ['export', '--all', '--length', '2', '--ending-at', ENDING, '--app-id', 'no-such-app'],
        { env: cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: many.url }) },
      );
      assert.equal(r.code, 1, r.stderr);
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
      assert.equal(warnings.length, 10);
      assert.match(warnings[9]!, /\(further failures: in the summary only\)$/);
      assert.match(
        r.stderr,
        /\nerror: 15 of 15 events failed: (".+", ){4}".+" and 10 more \(first: 400 Invalid 'app_id' parameter: [^)]*\); the output holds the other 0 events' rows\n$/,
      );
    } finally {
      await many.close();
    }
  });

  test('stdout: machine output keeps every name byte-exact (NDJSON)', async () => {
    const r = await runCli(
      ['export', '--all', '--length', '1', '--ending-at', ENDING, '--format', 'ndjson'],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    const names = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { event: string }).event);
    assert.ok(names.includes(NASTY));
    assert.ok(names.includes(SNEAKY));
  });
});

describe('sync: refused events are recorded, the others synced', () => {
  test('exit 1, the summary and `status` name the failed events, escaped', async () => {
    refuseSome();
    const db = join(dir, 'sync.db');
    const r = await runCli(['sync', '--db', db, '--concurrency', '1'], { env });
    assert.equal(r.code, 1, r.stderr);
    assertInert(r.stderr, 'sync stderr');
    assert.match(r.stderr, /sync failed: workspace "default", 8 of 8 events/);
    assert.match(r.stderr, /failed: "\$Purchase" \(day\): Braze GET .* 400/);
    assert.match(
      r.stderr,
      /5 of 8 series failed: events "\$Purchase", "\$Session Start", "\$attribution", "Evil\\u001b/,
    );
    const stored = await openDatabase(db);
    try {
      const events = await stored.query<{ event: string }>(
        'SELECT DISTINCT event FROM event_counts ORDER BY event',
      );
      assert.deepEqual(
        events.map((e) => e.event),
        [...GOOD, SNEAKY].sort(),
      );
    } finally {
      await stored.close();
    }
    const status = await runCli(['status', '--db', db], { env });
    assert.equal(status.code, 0, status.stderr);
    assertInert(status.stdout, 'status');
    assert.match(status.stdout, /failed .*5 of 8 series failed: events "\$Purchase"/);
    const json = await runCli(['status', '--db', db, '--json'], { env });
    assert.match(JSON.parse(json.stdout)[0].runs[0].error, /"\$Purchase"/);
  });
});

describe('names on a terminal are escaped; into a pipe they are byte-exact', () => {
  test('list: escaped on a TTY, exact into a pipe', async () => {
    const piped = await runCli(['list'], { env });
    assert.equal(piped.code, 0, piped.stderr);
    assert.ok(piped.stdout.split('\n').includes(NASTY));
    assert.ok(piped.stdout.split('\n').includes(SNEAKY));
    const tty = await runCliOnTty(['list'], { ...env, TERM: 'xterm-256color' });
    assert.equal(tty.code, 0, tty.stdout);
    assertInert(tty.stdout, 'list on a TTY');
    assert.ok(tty.stdout.includes(NASTY_SHOWN), tty.stdout);
    assert.ok(tty.stdout.includes('Sneaky \\u009b31m\\u202eevil'), tty.stdout);
  });

  test('an unknown command holding ESC is quoted escaped by the usage error', async () => {
    const r = await runCli([NASTY], { env });
    assert.equal(r.code, 2);
    assertInert(r.stderr, 'usage error');
    assert.ok(r.stderr.includes(NASTY_SHOWN), r.stderr);
  });

  test('series --format table on a TTY: the title is escaped', async () => {
    const tty = await runCliOnTty(['series', NASTY, '--length', '3', '--ending-at', ENDING], {
      ...env,
      TERM: 'xterm-256color',
    });
    assert.equal(tty.code, 0, tty.stdout);
    assertInert(tty.stdout.replace(/\u001b\[\?25[hl]/g, ''), 'series on a TTY');
    assert.ok(tty.stdout.includes(`${NASTY_SHOWN} — 3 days`), tty.stdout);
  });

  test('check on a TTY: a name holding ESC [2J ESC ]0;title BEL emits no raw ESC or BEL', async () => {
    const path = join(dir, 'check.db');
    const db = await seedDatabase(path, { extraEvents: 4 });
    try {
      // Two seeded anomalies get names an app could send; everything else is real data.
      const renames = [
        [NASTY, 'New Feature Used'],
        [SNEAKY, 'Retry Loop'],
      ];
      // Where the schema keeps names (schema version 3: the series table and events).
      const columns = [
        ['series', 'event'],
        ['events', 'name'],
      ];
      for (const [to, from] of renames) {
        for (const [table, column] of columns) {
          await db.exec(`UPDATE ${table} SET ${column} = ? WHERE ${column} = ?`, [to!, from!]);
        }
      }
    } finally {
      await db.close();
    }
    const tty = await runCliOnTty(['check', '--db', path], cleanEnv({ TERM: 'xterm-256color' }));
    assert.equal(tty.code, 3, tty.stdout);
    assertInert(tty.stdout, 'check on a TTY');
    assert.match(tty.stdout, /EVENT\s+KIND/);
    assert.ok(tty.stdout.includes(`${NASTY_SHOWN}  new`), tty.stdout);
    assert.ok(tty.stdout.includes('Sneaky \\u009b31m\\u202eevil'), tty.stdout);
    // --json is for machines: the name exactly as stored.
    const json = await runCli(['check', '--db', path, '--json']);
    const events = (JSON.parse(json.stdout) as { findings: { event: string }[] }).findings.map(
      (f) => f.event,
    );
    assert.ok(events.includes(NASTY));
    assert.ok(events.includes(SNEAKY));
  });
});
