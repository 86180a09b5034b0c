/**
 * Issue 15's acceptance: a sync of 612 events × 120 days while 10% of requests fail in
 * every way Braze and its edge fail (503, the edge's HTML 502, a reset connection, a body
 * cut short by a close, a short-window 429, an edge 429 with Retry-After) ends exactly on
 * the ground truth, and no wait is a wait for the end of an hourly window. Time is a fake
 * clock advanced by the client's sleeps (recorded, not slept). Its speed against the
 * fault-free sync is measured in `npm run bench` (bench/fault-mix.ts), not here.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import { EMULATOR_DEFAULT_KEY, type FaultKind, startEmulator } from '../../src/emulator/index.js';
import { openDatabase, syncWorkspace } from '../../src/sync/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { assertGroundTruth, bucketsAgo, clock, NOW } from './harness.js';

/** The mix, each kind an equal share of the 10%. */
export const FAULT_MIX: readonly FaultKind[] = [
  '503',
  '502',
  'reset',
  'truncated-close',
  '429-minute',
  'proxy-429',
];

test('612 events × 120 days with 10% of requests failing ends exactly on the ground truth', async () => {
  const emulator = await startEmulator({ seed: 15, events: 612, now: clock, port: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'braze-fault-mix-'));
  const db = await openDatabase(join(dir, 'mix.db'));
  try {
    // Independent draws: P(some fault) = 1 − (1 − p)^6 = 10%.
    const p = 1 - 0.9 ** (1 / FAULT_MIX.length);
    for (const kind of FAULT_MIX) emulator.addFault({ kind, probability: p });
    const time = createVirtualClock(NOW);
    const { sleeps } = time;
    const client = createBrazeClient({
      apiKey: EMULATOR_DEFAULT_KEY,
      endpoint: emulator.url,
      now: time.now,
      sleep: time.sleep,
      maxRetries: 8,
      timeoutMs: 10_000,
    });
    const since = new Date(bucketsAgo('day', 119));
    const summary = await syncWorkspace({
      client,
      db,
      workspace: 'ws',
      units: ['day'],
      since,
      now: clock,
    });
    assert.equal(summary.status, 'succeeded', JSON.stringify(summary.failures));
    assert.equal(summary.events, 612);

    const log = emulator.requests();
    const failed = log.filter((r) => r.fault !== undefined);
    const share = failed.length / log.length;
    assert.ok(share > 0.07 && share < 0.13, `${failed.length} of ${log.length} requests failed`);
    for (const kind of FAULT_MIX) {
      assert.ok(
        failed.some((r) => r.fault === kind),
        `the mix met no ${kind} in ${log.length} requests`,
      );
    }
    // A short-window 429 waits for its own minute, an edge 429 for its Retry-After: no
    // wait reaches for the end of the hourly window.
    assert.ok(Math.max(...sleeps) <= 60_000, `longest wait ${Math.max(...sleeps)} ms`);

    await assertGroundTruth(
      db,
      emulator,
      'ws',
      { events: emulator.eventNames(), units: ['day'] },
      { day: since.getTime() },
    );
  } finally {
    await db.close();
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});
