/**
 * Shared pieces of the reliability suite: a client on a virtual clock (every wait —
 * backoff, rate-limit pacing — advances the clock instead of taking real time), and the
 * "no silent gap" check of a synced database against the emulator's ground truth.
 */
import assert from 'node:assert/strict';
import { createBrazeClient } from '../../src/core/client.js';
import type { BrazeClient } from '../../src/core/types.js';
import type { Emulator, FaultKind } from '../../src/emulator/index.js';
import { EMULATOR_DEFAULT_KEY } from '../../src/emulator/index.js';
import type { Database } from '../../src/sync/db/index.js';
import { bucketsAgo, NOW, storedSeries, truth } from '../sync/harness.js';

export { NOW };

/** Every fault kind the brief names, in the order the matrix runs them. */
export const MATRIX_FAULTS: readonly FaultKind[] = [
  '429',
  '500',
  '502',
  '503',
  '504',
  '202',
  'reset',
  'hang',
  'slow',
  'truncated',
  'invalid-json',
  'content-type',
  'html',
];

/** Per-attempt timeout of matrix clients: short, so `hang` costs little real time, yet well
 * above a normal answer on a loaded CI machine. */
export const MATRIX_TIMEOUT_MS = 800;

/**
 * A client whose clock starts at the emulator's fixed `NOW` and advances by every wait it
 * asks for, so backoff and rate-limit waits are exact but instant.
 */
export function virtualClient(
  emulator: Emulator,
  options: { maxRetries?: number; timeoutMs?: number; apiKey?: string } = {},
): { client: BrazeClient; waited(): number } {
  let t = NOW;
  let waited = 0;
  const client = createBrazeClient({
    apiKey: options.apiKey ?? EMULATOR_DEFAULT_KEY,
    endpoint: emulator.url,
    now: () => t,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      t += ms;
      waited += ms;
      // Yield to the event loop so a virtual wait never starves real I/O.
      await new Promise((resolve) => setImmediate(resolve));
    },
    maxRetries: options.maxRetries ?? 8,
    timeoutMs: options.timeoutMs ?? MATRIX_TIMEOUT_MS,
  });
  return { client, waited: () => waited };
}

/**
 * Asserts there is no silent gap: every series stored equals the ground truth of its
 * default backfill (the last 100 days), in full; series absent from the database are
 * allowed only when `allowMissing` (a failed run that a re-run must complete).
 */
export async function assertNoSilentGap(
  db: Database,
  emulator: Emulator,
  workspace: string,
  events: readonly string[],
  allowMissing: boolean,
): Promise<number> {
  const stored = await storedSeries(db, workspace);
  let complete = 0;
  for (const event of events) {
    const k = JSON.stringify([event, 'day', '', '']);
    const rows = stored.get(k);
    if (rows === undefined) {
      assert.ok(allowMissing, `series ${k} is missing`);
      continue;
    }
    const want = truth(emulator, { event, unit: 'day' }, bucketsAgo('day', 99));
    assert.deepEqual(
      rows.map((r) => ({ time: r.time, count: r.count })),
      want,
      `series ${k} differs from the ground truth`,
    );
    complete++;
  }
  const watermarks = await db.query<{ event: string; synced_through: string }>(
    'SELECT event, synced_through FROM series_watermarks WHERE workspace = ?',
    [workspace],
  );
  for (const w of watermarks) {
    assert.ok(
      stored.has(JSON.stringify([w.event, 'day', '', ''])),
      `watermark of ${w.event} without rows: a silent gap`,
    );
  }
  return complete;
}
