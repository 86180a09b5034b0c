/**
 * End to end: the built binary against the emulator on port 0, happy paths of every
 * command and format. Asserts exit code, stdout, stderr and what reached the emulator.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { parseCsv } from '../export/csv-parse.js';
import { assertNoKeyLeaked, cleanEnv, ensureBuilt, runCli, TEST_KEY } from '../helpers/cli.js';

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let dir: string;
const ENDING = '2026-11-01';

before(async () => {
  await ensureBuilt();
  emulator = await startEmulator({ port: 0, keys: [{ key: TEST_KEY }] });
  env = cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
  dir = await mkdtemp(join(tmpdir(), 'braze-events-e2e-'));
});
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
  assertNoKeyLeaked();
});

describe('braze-events (built binary)', () => {
  test('--help lists commands, exit codes and environment; --version', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    for (const s of ['list', 'series', 'export', 'demo', 'BRAZE_API_KEY', 'BRAZE_REST_ENDPOINT']) {
      assert.ok(r.stdout.includes(s), s);
    }
    assert.match(r.stdout, /Exit codes:\n\s+0 {2}success\n\s+1 .*\n\s+2 .*usage.*\n\s+3 {2}check/);
    assert.match(r.stdout, /--api-key <key>.*discouraged/s);
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    const v = await runCli(['--version']);
    assert.equal(v.stdout.trim(), pkg.version);
    for (const cmd of ['list', 'series', 'export', 'demo']) {
      const h = await runCli([cmd, '--help']);
      assert.equal(h.code, 0, cmd);
      assert.match(h.stdout, /Examples:/, cmd);
    }
  });

  test('list: every name, one per line, in the order Braze serves them', async () => {
    emulator.clearRequests();
    const r = await runCli(['list'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(r.stdout.split('\n').slice(0, -1), emulator.eventNames());
    const pages = emulator.requests().map((q) => q.query.page);
    assert.deepEqual(pages, ['0', '1', '2']);
  });

  test('list --json and --match', async () => {
    const r = await runCli(['list', '--json'], { env });
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), emulator.eventNames());
    const m = await runCli(['list', '--match', 'Purchase*', '--match', '*Café*'], { env });
    assert.deepEqual(
      m.stdout.split('\n').filter(Boolean),
      emulator.eventNames().filter((n) => n.startsWith('Purchase') || n.includes('Café')),
    );
  });

  test('list --details (GET /events): TSV when piped, camelCase objects with --json', async () => {
    const r = await runCli(['list', '--details'], { env });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n').filter(Boolean);
    const events = emulator.events();
    assert.equal(lines.length, events.length);
    assert.deepEqual(lines[0]!.split('\t').slice(0, 2), [events[0]!.name, events[0]!.status]);
    const j = await runCli(['list', '--details', '--json'], { env });
    const parsed = JSON.parse(j.stdout) as { name: string; tagNames: string[] }[];
    assert.equal(parsed.length, events.length);
    assert.deepEqual(parsed[0]!.tagNames, events[0]!.tag_names);
  });

  test('series: csv, json, ndjson and table agree with the ground truth', async () => {
    const event = 'Clicked "Buy Now"';
    const truth = emulator.groundTruth({ event, length: 14, unit: 'day', endingAt: ENDING });
    const range = ['--length', '14', '--ending-at', ENDING];
    const csv = await runCli(['series', event, ...range, '--format', 'csv'], { env });
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stderr, '');
    assert.deepEqual(parseCsv(csv.stdout), [
      ['event', 'unit', 'time', 'count'],
      ...truth.map((p) => [event, 'day', p.time, String(p.count)]),
    ]);
    const rows = truth.map((p) => ({ event, unit: 'day', time: p.time, count: p.count }));
    const json = await runCli(['series', event, ...range, '--json'], { env });
    assert.deepEqual(JSON.parse(json.stdout), rows);
    const nd = await runCli(['series', event, ...range, '--format', 'ndjson'], { env });
    assert.deepEqual(
      nd.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
      rows,
    );
    // Piped, the table is TSV without a chart.
    const table = await runCli(['series', event, ...range], { env });
    assert.equal(table.stdout, truth.map((p) => `${p.time}\t${p.count}\n`).join(''));
  });

  test('series of an unknown name: zeros (as Braze answers) and a hint on stderr', async () => {
    const r = await runCli(['series', 'Purchse Completed', '--length', '3', '--format', 'csv'], {
      env,
    });
    assert.equal(r.code, 0);
    assert.deepEqual(
      parseCsv(r.stdout)
        .slice(1)
        .map((row) => row[3]),
      ['0', '0', '0'],
    );
    assert.match(
      r.stderr,
      /^note: every count is 0; .*braze-events list --match "\*Purchse Completed\*"\n$/,
    );
  });

  test('series --unit hour, app and segment filters add columns', async () => {
    const app = emulator.apps()[0]!.id;
    const seg = emulator.segments()[0]!.id;
    const event = 'Purchase Completed';
    const endingAt = '2026-11-01T12:00:00Z';
    const truth = emulator.groundTruth({
      event,
      length: 6,
      unit: 'hour',
      endingAt,
      appId: app,
      segmentId: seg,
    });
    const r = await runCli(
      [
        'series',
        event,
        '--unit',
        'hour',
        '--length',
        '6',
        '--ending-at',
        endingAt,
        '--app-id',
        app,
        '--segment-id',
        seg,
        '--format',
        'csv',
      ],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseCsv(r.stdout), [
      ['event', 'unit', 'time', 'count', 'app_id', 'segment_id'],
      ...truth.map((p) => [event, 'hour', p.time, String(p.count), app, seg]),
    ]);
  });

  test('series --since/--until spans more than 100 days without gaps', async () => {
    emulator.clearRequests();
    const r = await runCli(
      ['series', 'Café Visit', '--since', '2026-05-01', '--until', '2026-10-01', '--format', 'csv'],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout).slice(1);
    assert.equal(rows.length, 153);
    assert.equal(rows[0]![2], '2026-05-01');
    assert.equal(rows.at(-1)![2], '2026-09-30');
    const truth = emulator.groundTruth({
      event: 'Café Visit',
      length: 100,
      endingAt: '2026-10-01',
    });
    assert.deepEqual(
      rows.slice(-100).map((row) => Number(row[3])),
      truth.map((p) => p.count),
    );
    assert.equal(emulator.requests().length, 2);
  });

  test('export --all --format csv --out -: valid CSV, one row per event and bucket', async () => {
    emulator.clearRequests();
    const r = await runCli(
      ['export', '--all', '--format', 'csv', '--out', '-', '--length', '7', '--ending-at', ENDING],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout);
    assert.deepEqual(rows[0], ['event', 'unit', 'time', 'count']);
    const names = emulator.eventNames();
    assert.ok(names.length >= 600);
    assert.equal(rows.length - 1, names.length * 7);
    const sorted = [...names].sort();
    assert.deepEqual(
      rows
        .slice(1)
        .filter((_, i) => i % 7 === 0)
        .map((row) => row[0]),
      sorted,
    );
    for (const tricky of ['Clicked "Buy Now"', 'semi;colon, comma', "User's Profile Updated"]) {
      const mine = rows.filter((row) => row[0] === tricky);
      const truth = emulator.groundTruth({ event: tricky, length: 7, endingAt: ENDING });
      assert.deepEqual(
        mine.map((row) => [row[2], Number(row[3])]),
        truth.map((p) => [p.time, p.count]),
        tricky,
      );
    }
    // Plain progress lines and a summary on stderr (not a TTY), nothing else.
    const err = r.stderr.split('\n').filter(Boolean);
    assert.match(
      err.at(-1)!,
      new RegExp(`^exported ${names.length} events, ${names.length * 7} rows \\(csv\\) to stdout`),
    );
    assert.ok(
      err.slice(0, -1).every((l) => /^export: \d+\/\d+ events \(\d+%\), \d+ rows$/.test(l)),
      r.stderr,
    );
    assert.equal(emulator.requests().filter((q) => q.route === 'dataSeries').length, names.length);
  });

  test('export --match to a file: ndjson and json, atomically, nothing on stdout', async () => {
    for (const format of ['ndjson', 'json'] as const) {
      const out = join(dir, `counts.${format}`);
      const r = await runCli(
        [
          'export',
          '--match',
          'Purchase*',
          '--format',
          format,
          '--out',
          out,
          '--length',
          '3',
          '--ending-at',
          ENDING,
          '--quiet',
        ],
        { env },
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, '');
      const text = await readFile(out, 'utf8');
      const rows =
        format === 'json'
          ? JSON.parse(text)
          : text
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l));
      const names = emulator.eventNames().filter((n) => n.startsWith('Purchase'));
      assert.equal(rows.length, names.length * 3);
      assert.deepEqual(Object.keys(rows[0]), ['event', 'unit', 'time', 'count']);
    }
    assert.deepEqual((await readdir(dir)).sort(), ['counts.json', 'counts.ndjson']);
  });

  test('export --event (repeatable) keeps the given names, sorted', async () => {
    const r = await runCli(
      [
        'export',
        '--event',
        'Zahlung bestätigt',
        '--event',
        '🎉 Level Up',
        '--event',
        'add_to_cart',
        '--length',
        '2',
        '--ending-at',
        ENDING,
        '--concurrency',
        '1',
      ],
      { env },
    );
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout).slice(1);
    assert.deepEqual(
      rows.map((row) => row[0]),
      [
        'Zahlung bestätigt',
        'Zahlung bestätigt',
        'add_to_cart',
        'add_to_cart',
        '🎉 Level Up',
        '🎉 Level Up',
      ],
    );
  });
});
