/**
 * End to end: a selection that matches nothing (an unknown --workspace, a --match glob or
 * --event names the workspace does not have) is a usage error, exit 2, one line naming the
 * flag and value, and no data request is sent. Matching nothing silently is how a cron job
 * exports empty files for months.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
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
  emulator = await startEmulator({ port: 0, events: 12, keys: [{ key: TEST_KEY }] });
  env = cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
  dir = await mkdtemp(join(tmpdir(), 'braze-events-e2e-sel-'));
});
beforeEach(() => emulator.clearRequests());
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
  assertNoKeyLeaked();
});

const dataRequests = () => emulator.requests().filter((q) => q.route === 'dataSeries').length;

describe('a selection that matches nothing: exit 2, one line, no data request', () => {
  test('sync --match with no match names the flag, the glob and the count listed', async () => {
    const db = join(dir, 'm.db');
    const r = await runCli(['sync', '--db', db, '--match', 'Zzz*'], { env });
    assertOneErrorLine(r, 2, /^error: --match "Zzz\*": matches none of the workspace's 12 events$/);
    assert.equal(dataRequests(), 0);
  });

  test('sync --event with names the workspace lacks: exit 2 naming them, nothing fetched', async () => {
    const db = join(dir, 'e.db');
    const r = await runCli(
      ['sync', '--db', db, '--event', 'Nope', '--event', 'add_to_cart', '--event', 'Gone'],
      { env },
    );
    assertOneErrorLine(r, 2, /^error: --event "Nope", "Gone": not in the workspace's 12 events$/);
    assert.equal(dataRequests(), 0);
  });

  test('export --match with no match: no header-only output, exit 2', async () => {
    const r = await runCli(['export', '--match', 'Zzz*', '--match', 'Yyy*'], { env });
    assertOneErrorLine(
      r,
      2,
      /^error: --match "Zzz\*", "Yyy\*": matches none of the workspace's 12 events$/,
    );
    assert.equal(r.stdout, '');
    assert.equal(dataRequests(), 0);
  });

  test('check --workspace that the database does not hold names the ones it does', async () => {
    const db = join(dir, 'w.db');
    const s = await runCli(['sync', '--db', db, '--event', 'add_to_cart', '-q'], { env });
    assert.equal(s.code, 0, s.stderr);
    const r = await runCli(['check', '--db', db, '--workspace', 'nope'], { env });
    assertOneErrorLine(
      r,
      2,
      /^error: --workspace "nope": not in the database \(workspaces: "default"\)$/,
    );
    assert.equal(r.stdout, '');
  });
});
