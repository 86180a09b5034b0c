/**
 * `braze-events status` as text for a workspace whose buckets are at +05:30, after an
 * interrupted run (a real sync against the emulator, stopped by its signal): the run's
 * line says "interrupted" once, and the freshest/stalest watermarks are the workspace's
 * local days and hours, not UTC instants.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase, readStatus } from '../../src/sync/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { clock, syncUntilInterrupted, testClient } from './harness.js';

const IST = 330;

/** `2026-03-05T04:00:00+05:30` / `2026-03-05` computed here, by plain Date arithmetic. */
function local(iso: string, unit: string): string {
  const wall = new Date(Date.parse(iso) + IST * 60_000).toISOString();
  return unit === 'day' ? wall.slice(0, 10) : `${wall.slice(0, 19)}+05:30`;
}

describe('status text: an interrupted run, a +05:30 workspace', () => {
  let emulator: Emulator;
  let dir: string;
  let dbPath: string;

  before(async () => {
    emulator = await startEmulator({ seed: 8, events: 4, now: clock, port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'braze-status-text-'));
    dbPath = join(dir, 'ist.db');
    const db = await openDatabase(`sqlite:${dbPath}`);
    try {
      const client = testClient(emulator, { bucketUtcOffsetMinutes: IST });
      const at = { bucketUtcOffsetMinutes: IST, concurrency: 1, now: clock };
      await syncUntilInterrupted(
        { client, db, workspace: 'default', units: ['day', 'hour'], ...at },
        3,
      );
    } finally {
      await db.close();
    }
  });
  after(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the run says interrupted once; watermarks are local days and hours', async () => {
    const db = await openDatabase(`sqlite:${dbPath}`);
    const [ws] = await readStatus(db).finally(() => db.close());
    const r = await runCli(['status', '--db', dbPath], { source: true, env: cleanEnv() });
    assert.equal(r.code, 0, r.stderr);
    const runLine = r.stdout.split('\n').find((l) => l.startsWith('    #'));
    assert.ok(runLine, r.stdout);
    assert.equal(runLine.match(/interrupted/g)?.length, 1, runLine);
    const freshest = ws!.freshest!;
    const stalest = ws!.stalest!;
    assert.match(
      r.stdout,
      new RegExp(`\\n {2}freshest ${local(freshest.syncedThrough, freshest.unit)} \\(`),
    );
    assert.match(
      r.stdout,
      new RegExp(`\\n {2}stalest {2}${local(stalest.syncedThrough, stalest.unit)} \\(`),
    );
    assert.ok(!/freshest .*Z \(|stalest .*Z \(/.test(r.stdout), r.stdout);
  });
});
