/**
 * The fault matrix: for every fault the emulator can inject, a sync and an export under
 * that fault end with exactly the emulator's ground truth (transient faults), or fail with
 * a clear error and leave a state a plain re-run completes exactly (retries exhausted).
 * Never a silent gap: a series is either stored in full or not at all. Each kind has one
 * expected outcome (FAULT_OUTCOMES in ./helpers.ts): read through, or one error class;
 * what reached the server is checked in the emulator's request log.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isBrazeError } from '../../src/core/errors.js';
import { FAULT_KINDS } from '../../src/emulator/faults.js';
import {
  type Emulator,
  type FaultKind,
  type FaultRule,
  type RouteName,
  startEmulator,
} from '../../src/emulator/index.js';
import { exportEvents } from '../../src/export/index.js';
import {
  type Database,
  openDatabase,
  SyncFailedError,
  type SyncSummary,
  syncWorkspace,
} from '../../src/sync/index.js';
import { clock } from '../sync/harness.js';
import {
  assertNoSilentGap,
  FAULT_OUTCOMES,
  MATRIX_FAULTS,
  NOW,
  OUTSIDE_MATRIX,
  virtualClient,
} from './helpers.js';

const EVENTS = 6;
/** `ending_at` of export runs: the start of NOW's day, so the ground truth is fixed. */
const EXPORT_END = new Date(NOW).toISOString().slice(0, 10);

let emulator: Emulator;
let dir: string;
let names: string[];
let n = 0;

before(async () => {
  emulator = await startEmulator({ seed: 21, events: EVENTS, now: clock });
  names = emulator.eventNames();
  dir = await mkdtemp(join(tmpdir(), 'braze-reliability-'));
});
after(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function freshDb() {
  n++;
  const db = await openDatabase(join(dir, `m${n}.db`));
  await db.migrate();
  return db;
}

/** Export the first events through `client` as NDJSON and parse the rows back. */
async function exportRows(client: ReturnType<typeof virtualClient>['client']) {
  let text = '';
  await exportEvents(
    client,
    { events: names.slice(0, 3), length: 30, endingAt: EXPORT_END },
    'ndjson',
    (chunk) => {
      text += chunk;
    },
  );
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const row = JSON.parse(line) as { event: string; time: string; count: number };
      return { event: row.event, time: row.time, count: row.count };
    });
}

function exportTruth() {
  return names
    .slice(0, 3)
    .flatMap((event) =>
      emulator
        .groundTruth({ event, length: 30, endingAt: EXPORT_END })
        .map((p) => ({ event, time: p.time, count: p.count })),
    );
}

/**
 * A failure a person can act on, of the kind's one expected class: a BrazeError whose
 * one-line message names the cause, or a sync's SyncFailedError (its own root since the
 * sync errors left BrazeError) whose cause is that BrazeError.
 */
function assertExpectedError(kind: FaultKind, error: unknown, wrapped: boolean) {
  const expected = FAULT_OUTCOMES[kind]!.permanent;
  assert.notEqual(expected, 'read', `${kind} is read through, yet failed: ${String(error)}`);
  if (expected === 'read') return;
  if (wrapped) assert.ok(error instanceof SyncFailedError, `SyncFailedError, got ${String(error)}`);
  const braze = wrapped ? (error as SyncFailedError).cause : error;
  assert.ok(isBrazeError(braze), `a BrazeError cause, got ${String(braze)}`);
  assert.ok(expected.is(braze), `${kind}: the wrong error class: ${String(braze)}`);
  const message = (error as Error).message;
  assert.match(message, expected.message);
  assert.ok(message.length < 2000, `a readable message: ${message}`);
  assert.ok(!message.includes('undefined'), `no "undefined" in: ${message}`);
}

/** Tries per distinct request (path and query) of `route` in the emulator's request log. */
function triesPerRequest(route: RouteName): number[] {
  const tries = new Map<string, number>();
  for (const r of emulator.requests().filter((q) => q.route === route)) {
    const key = JSON.stringify(r.query);
    tries.set(key, (tries.get(key) ?? 0) + 1);
  }
  return [...tries.values()];
}

/**
 * What reached the server under a permanent `kind` on `route`: every request to the route
 * met the fault; a fault read through was never retried; any other was retried exactly up
 * to the client's one retry (some request tried twice, none more).
 */
function assertPermanentFaultSeen(kind: FaultKind, route: RouteName) {
  const seen = emulator.requests().filter((q) => q.route === route);
  assert.ok(seen.length > 0, `requests reached ${route}`);
  assert.deepEqual(
    seen.filter((q) => q.fault !== kind).map((q) => q.query),
    [],
    `every ${route} request met the ${kind} fault`,
  );
  const tries = triesPerRequest(route);
  if (FAULT_OUTCOMES[kind]!.permanent === 'read') {
    assert.ok(
      tries.every((n) => n === 1),
      `a ${kind} read through is not retried: ${tries}`,
    );
  } else {
    assert.equal(Math.max(...tries), 2, `retried once, no more: ${tries}`);
  }
}

async function failureOf(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Runs a sync with one retry under a permanent `rule` on `route` (nothing else failing),
 * into a fresh database, then `check` on its outcome (the failure returned, not thrown);
 * the faults are cleared and the database closed whatever `check` asserts.
 */
async function syncUnder(
  rule: FaultRule,
  route: RouteName,
  check: (outcome: { db: Database; failure: unknown; summary?: SyncSummary }) => Promise<void>,
) {
  emulator.clearFaults();
  emulator.clearRequests();
  emulator.addFault({ ...rule, route });
  const db = await freshDb();
  try {
    const { client } = virtualClient(emulator, { maxRetries: 1 });
    let summary: SyncSummary | undefined;
    const failure = await failureOf(async () => {
      summary = await syncWorkspace({ client, db, workspace: 'w', now: clock });
    });
    await check(summary === undefined ? { db, failure } : { db, failure, summary });
  } finally {
    emulator.clearFaults();
    await db.close();
  }
}

/** Every series stored is exactly the ground truth, and every event has its series. */
async function assertExact(db: Database) {
  assert.equal(await assertNoSilentGap(db, emulator, 'w', names, false), EVENTS);
}

/** With the faults cleared, a plain re-run completes exactly. */
async function assertRerunExact(db: Database) {
  emulator.clearFaults();
  const { client } = virtualClient(emulator);
  const summary = await syncWorkspace({ client, db, workspace: 'w', now: clock });
  assert.equal(summary.status, 'succeeded');
  await assertExact(db);
}

async function lastRun(db: Database) {
  const [run] = await db.query<{ status: string; error: string | null }>(
    'SELECT status, error FROM sync_runs ORDER BY id DESC LIMIT 1',
  );
  return run;
}

test('every fault kind of the emulator is in the matrix or names where it is tested', () => {
  for (const kind of FAULT_KINDS) {
    const inMatrix = FAULT_OUTCOMES[kind] !== undefined;
    const outside = OUTSIDE_MATRIX[kind] !== undefined;
    assert.ok(inMatrix !== outside, `${kind}: in the matrix or outside it, exactly one`);
  }
  assert.equal(MATRIX_FAULTS.length, 13);
});

for (const kind of MATRIX_FAULTS) {
  const outcome = FAULT_OUTCOMES[kind]!;
  const read = outcome.permanent === 'read';
  describe(`fault ${kind}`, () => {
    const rule: FaultRule = kind === 'slow' ? { kind, delayMs: 5 } : { kind };

    test('transient: a sync ends with the ground truth', async () => {
      emulator.clearFaults();
      emulator.clearRequests();
      // The first requests of every route fail: listing, details and series.
      emulator.addFault({ ...rule, route: '*', count: 4 });
      const db = await freshDb();
      try {
        const { client } = virtualClient(emulator);
        const summary = await syncWorkspace({ client, db, workspace: 'w', now: clock });
        assert.equal(summary.status, 'succeeded');
        const injected = emulator.requests().filter((r) => r.fault === kind).length;
        assert.equal(injected, 4, 'the fault was injected 4 times');
        await assertExact(db);
      } finally {
        emulator.clearFaults();
        await db.close();
      }
    });

    test('transient: an export writes exactly the ground truth', async () => {
      emulator.clearFaults();
      emulator.clearRequests();
      emulator.addFault({ ...rule, route: 'dataSeries', count: 3 });
      const { client } = virtualClient(emulator);
      assert.deepEqual(await exportRows(client), exportTruth());
      const injected = emulator.requests().filter((r) => r.fault === kind).length;
      assert.equal(injected, 3, 'the fault was injected 3 times');
      emulator.clearFaults();
    });

    test(
      read
        ? 'permanent on data_series: read through, exact data, no retry'
        : 'exhausted on data_series: a clear error, no partial series, and a re-run completes exactly',
      async () =>
        // Every data_series request fails; names and details still work.
        syncUnder(rule, 'dataSeries', async ({ db, failure }) => {
          assertPermanentFaultSeen(kind, 'dataSeries');
          if (read) {
            assert.equal(failure, undefined, `a ${kind} is read through: ${String(failure)}`);
            await assertExact(db);
            assert.equal((await lastRun(db))?.status, 'succeeded');
            return;
          }
          assertExpectedError(kind, failure, true);
          await assertNoSilentGap(db, emulator, 'w', names, true);
          const run = await lastRun(db);
          assert.equal(run?.status, 'failed');
          assert.match(run?.error ?? '', (outcome.permanent as { message: RegExp }).message);
          await assertRerunExact(db);
        }),
    );

    test(
      read
        ? 'permanent on the listing: read through, exact data'
        : 'exhausted on the listing: a clear error before any other request, a re-run is exact',
      async () =>
        syncUnder(rule, 'eventsList', async ({ db, failure }) => {
          assertPermanentFaultSeen(kind, 'eventsList');
          if (read) {
            assert.equal(failure, undefined, `a ${kind} is read through: ${String(failure)}`);
            await assertExact(db);
            return;
          }
          assertExpectedError(kind, failure, true);
          assert.deepEqual(
            emulator.requests().map((q) => q.route),
            ['eventsList', 'eventsList'],
            'one try and one retry of the listing, then nothing else',
          );
          const [{ n } = { n: -1 }] = await db.query<{ n: number }>(
            'SELECT count(*) AS n FROM event_counts',
          );
          assert.equal(Number(n), 0, 'nothing stored without the list of names');
          await assertRerunExact(db);
        }),
    );

    test(
      read
        ? 'permanent on GET /events (details): read through, details stored, exact counts'
        : 'exhausted on GET /events (details): exact counts, details skipped with a note naming why',
      async () =>
        syncUnder(rule, 'events', async ({ db, failure, summary }) => {
          // Details are optional: a sync never fails for them, whatever the fault.
          assert.equal(failure, undefined, `details never fail the sync: ${String(failure)}`);
          assert.equal(summary?.status, 'succeeded');
          await assertExact(db);
          const seen = emulator.requests().filter((q) => q.route === 'events');
          assert.ok(
            seen.length > 0 && seen.every((q) => q.fault === kind),
            'details met the fault',
          );
          assert.ok(seen.length <= 2, `at most one retry of the details: ${seen.length}`);
          assert.ok(
            emulator.requests().every((q) => q.route === 'events' || q.fault === undefined),
            'the fault is on the details only',
          );
          if (read) {
            assert.equal(summary?.detailsFetched, true);
            assert.equal(summary?.detailsNote, undefined);
          } else {
            assert.equal(summary?.detailsFetched, false);
            assert.match(summary?.detailsNote ?? '', /^event details skipped: Braze GET \/events /);
            assert.match(
              summary?.detailsNote ?? '',
              (outcome.permanent as { message: RegExp }).message,
            );
          }
        }),
    );

    test(
      read
        ? 'permanent on an export: read through, exactly the ground truth'
        : 'exhausted on an export: rejects with a clear error, a re-run is exact',
      async () => {
        emulator.clearFaults();
        emulator.clearRequests();
        emulator.addFault({ ...rule, route: 'dataSeries' });
        const { client } = virtualClient(emulator, { maxRetries: 1 });
        let rows: unknown;
        const failure = await failureOf(async () => {
          rows = await exportRows(client);
        });
        emulator.clearFaults();
        assertPermanentFaultSeen(kind, 'dataSeries');
        if (read) {
          assert.equal(failure, undefined, `a ${kind} is read through: ${String(failure)}`);
          assert.deepEqual(rows, exportTruth());
          assert.equal(triesPerRequest('dataSeries').length, 3, 'one request per event');
        } else assertExpectedError(kind, failure, false);
        assert.deepEqual(await exportRows(virtualClient(emulator).client), exportTruth());
      },
    );
  });
}
