/**
 * End to end: what a new user, a nightly cron job and an SRE at 3 a.m. read — an --out that
 * cannot be written, a database or port that cannot be used, each one line naming the flag
 * and value with one exit-code rule, and no request sent for a user mistake.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  assertNoKeyLeaked,
  assertOneErrorLine,
  cleanEnv,
  ensureBuilt,
  runCli,
  TEST_KEY,
} from './helpers.js';

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let dir: string;

before(async () => {
  await ensureBuilt();
  emulator = await startEmulator({ port: 0, events: 6, keys: [{ key: TEST_KEY }] });
  env = cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
  dir = await mkdtemp(join(tmpdir(), 'braze-events-e2e-polish-'));
});
beforeEach(() => emulator.clearRequests());
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
  assertNoKeyLeaked();
});

describe('export --out that cannot be written: exit 2 before any request', () => {
  // The suite runs as root, for whom access(2) says every folder is writable: /sys refuses
  // new files even to root (EACCES), so only an actual attempt tells.
  test('a folder that refuses new files (/sys, even for root)', async () => {
    const r = await runCli(['export', '--all', '--out', '/sys/x.csv'], { env });
    assertOneErrorLine(r, 2, /^error: --out \/sys\/x\.csv: not writable \(EACCES\)$/);
    assert.equal(emulator.requests().length, 0);
  });

  test('a "folder" that is a file', async () => {
    const file = join(dir, 'plain.txt');
    await writeFile(file, 'x');
    const r = await runCli(['export', '--all', '--out', join(file, 'x.csv')], { env });
    assertOneErrorLine(
      r,
      2,
      /^error: --out .*plain\.txt\/x\.csv: .*plain\.txt is a file, not a folder$/,
    );
    assert.equal(emulator.requests().length, 0);
  });
});
