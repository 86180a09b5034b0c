/**
 * Shared pieces of the reliability suite: a client on a virtual clock (every wait —
 * backoff, rate-limit pacing — advances the clock instead of taking real time), and the
 * "no silent gap" check of a synced database against the emulator's ground truth.
 */
import assert from 'node:assert/strict';
import { createBrazeClient } from '../../src/core/client.js';
import {
  isBrazeHttpError,
  isBrazeNetworkError,
  isBrazeRateLimitError,
  isBrazeResponseShapeError,
  isBrazeTimeoutError,
} from '../../src/core/errors.js';
import type { BrazeClient } from '../../src/core/types.js';
import { FAULT_KINDS } from '../../src/emulator/faults.js';
import type { Emulator, FaultKind } from '../../src/emulator/index.js';
import { EMULATOR_DEFAULT_KEY } from '../../src/emulator/index.js';
import type { Database } from '../../src/sync/db/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { bucketsAgo, NOW, storedSeries, truth } from '../sync/harness.js';

export { NOW };

/** What a permanent fault of one kind does to a client that may retry once. */
export interface FaultOutcome {
  /**
   * `read`: the body still arrives whole (late, or mislabelled), so reading through is
   * right and nothing is retried. Otherwise the error it ends in: `is` picks its class,
   * `message` its cause as the message words it.
   */
  readonly permanent: 'read' | { is: (e: unknown) => boolean; message: RegExp };
}

const httpStatus = (status: number) => (e: unknown) => isBrazeHttpError(e) && e.status === status;
const NOT_JSON = /answered 200 with an unusable body: the body is not JSON/;

/**
 * The fault matrix: every fault kind it runs, with its one expected outcome. Kinds come
 * from the emulator's own list (`FAULT_KINDS`); a kind the emulator adds is either placed
 * here or in `OUTSIDE_MATRIX` with the reason, or the matrix test fails.
 */
export const FAULT_OUTCOMES: Readonly<Partial<Record<FaultKind, FaultOutcome>>> = {
  '429': { permanent: { is: isBrazeRateLimitError, message: /429 Too Many Requests/ } },
  '500': { permanent: { is: httpStatus(500), message: /500 Internal Server Error/ } },
  '502': { permanent: { is: httpStatus(502), message: /502 Bad Gateway/ } },
  '503': { permanent: { is: httpStatus(503), message: /503 Service Unavailable/ } },
  '504': { permanent: { is: httpStatus(504), message: /504 Gateway Timeout/ } },
  '202': { permanent: { is: httpStatus(202), message: /202 Accepted/ } },
  reset: { permanent: { is: isBrazeNetworkError, message: /ECONNRESET: socket hang up/ } },
  hang: { permanent: { is: isBrazeTimeoutError, message: /timed out after 800 ms/ } },
  slow: { permanent: 'read' },
  truncated: { permanent: { is: isBrazeResponseShapeError, message: NOT_JSON } },
  'invalid-json': { permanent: { is: isBrazeResponseShapeError, message: NOT_JSON } },
  'content-type': { permanent: 'read' },
  html: { permanent: { is: isBrazeResponseShapeError, message: NOT_JSON } },
};

/** Fault kinds the matrix does not run, and where each is tested instead. */
export const OUTSIDE_MATRIX: Readonly<Partial<Record<FaultKind, string>>> = {
  '400': 'not transient (never retried): test/sync/event-failures, test/export/event-failures',
  '404': 'not transient (never retried): test/sync/event-failures, test/export/event-failures',
  delay: 'a delay before a normal answer: test/emulator/faults, test/sync/kill',
  '401-echo': 'an auth failure, never retried: test/emulator/edge-faults, reliability/secrets-*',
  '429-minute': 'a per-minute limit: test/emulator/edge-faults, test/sync/fault-mix',
  'proxy-429': 'a proxy limit without Braze headers: test/sync/fault-mix, test/sync/heartbeat',
  'truncated-close': 'a body cut by a closed socket: test/sync/fault-mix',
  'duplicate-headers': 'rate-limit headers sent twice: test/core/rate-limit-answers',
  'ignore-page': 'a listing that ignores ?page: test/standin/listing',
  'repeat-cursor': 'a listing that repeats its cursor: test/emulator/edge-faults',
};

/** The kinds the matrix runs, in the emulator's order. */
export const MATRIX_FAULTS: readonly FaultKind[] = FAULT_KINDS.filter(
  (kind) => FAULT_OUTCOMES[kind] !== undefined,
);

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
  const time = createVirtualClock(NOW);
  const client = createBrazeClient({
    apiKey: options.apiKey ?? EMULATOR_DEFAULT_KEY,
    endpoint: emulator.url,
    now: time.now,
    sleep: time.sleep,
    maxRetries: options.maxRetries ?? 8,
    timeoutMs: options.timeoutMs ?? MATRIX_TIMEOUT_MS,
  });
  return { client, waited: time.slept };
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
