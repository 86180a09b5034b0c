/**
 * End to end: `braze-events demo` (what `npm start` runs), without credentials (it starts
 * the built-in emulator itself) and with credentials (against a given endpoint).
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { parseCsv } from '../export/csv-parse.js';
import { assertNoKeyLeaked, cleanEnv, ensureBuilt, runCli, TEST_KEY } from './helpers.js';

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

describe('braze-events demo', () => {
  test('no credentials: built-in emulator, says so, writes the CSV, prints a summary', async () => {
    const r = await runCli(['demo'], { env: cleanEnv(), cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^No Braze credentials found: using DEMO DATA from the built-in emulator at http:\/\/127\.0\.0\.1:\d+\./,
    );
    assert.match(r.stderr, /export BRAZE_API_KEY=.*BRAZE_REST_ENDPOINT=/);
    assert.match(r.stdout, /workspace "demo" \(DEMO DATA from the built-in emulator\)/);
    assert.match(r.stdout, /All custom events per day:\n/);
    assert.match(r.stdout, /Top events:\n {2}EVENT +TOTAL +7D vs PREV +DAILY\n/);
    assert.doesNotMatch(r.stdout + r.stderr, /\u001b\[/, 'no ANSI codes off a TTY');
    const rows = parseCsv(await readFile(join(dir, 'braze-events-export.csv'), 'utf8'));
    assert.deepEqual(rows[0], ['event', 'unit', 'time', 'count']);
    const events = new Set(rows.slice(1).map((row) => row[0]));
    assert.ok(events.size >= 600, `${events.size} events`);
    assert.equal(rows.length - 1, events.size * 30);
    assert.match(
      r.stdout,
      new RegExp(
        `Wrote ${(rows.length - 1).toLocaleString('en-US')} rows to braze-events-export\\.csv\\.`,
      ),
    );
    // Complete days only: the newest bucket is yesterday (UTC).
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    assert.equal(rows.at(-1)![2], yesterday);
  });

  test('with credentials: the same job against the configured endpoint', async () => {
    const out = join(dir, 'mine.csv');
    const r = await runCli(['demo', '--out', out, '--days', '7'], {
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
    const rows = parseCsv(await readFile(out, 'utf8'));
    assert.equal(rows.length - 1, emulator.eventNames().length * 7);
    assert.ok(emulator.requests().length > 0);
  });

  test('bad flags are usage errors', async () => {
    const r = await runCli(['demo', '--days', '1'], { env: cleanEnv(), cwd: dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--days must be an integer from 2 to 100/);
  });
});
