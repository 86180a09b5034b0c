/**
 * The fault matrix: for every fault the emulator can inject, a sync and an export under
 * that fault end with exactly the emulator's ground truth (transient faults), or fail with
 * a clear error and leave a state a plain re-run completes exactly (retries exhausted).
 * Never a silent gap: a series is either stored in full or not at all.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isBrazeError } from '../../src/core/errors.js';
import { type Emulator, type FaultRule, startEmulator } from '../../src/emulator/index.js';
import { exportEvents } from '../../src/export/index.js';
import { openDatabase, SyncFailedError, syncWorkspace } from '../../src/sync/index.js';
import { clock } from '../sync/harness.js';
import { assertNoSilentGap, MATRIX_FAULTS, NOW, virtualClient } from './helpers.js';

const EVENTS = 6;
/** Faults that still deliver the right body (late, or mislabelled): reading through is right. */
const READABLE: ReadonlySet<string> = new Set(['slow', 'content-type']);
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
 * A failure a person can act on: a BrazeError with a one-line message naming the cause, or
 * a sync's SyncFailedError (its own root since the sync errors left BrazeError) whose cause
 * is that BrazeError.
 */
function assertClearError(error: unknown) {
  const braze = error instanceof SyncFailedError ? error.cause : error;
  assert.ok(
    isBrazeError(braze),
    `a BrazeError (or a SyncFailedError caused by one), got ${String(error)}`,
  );
  const message = (error as Error).message;
  assert.ok(message.length > 10 && message.length < 2000, `a readable message: ${message}`);
  assert.ok(!message.includes('undefined'), `no "undefined" in: ${message}`);
}

for (const kind of MATRIX_FAULTS) {
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
        assert.equal(await assertNoSilentGap(db, emulator, 'w', names, false), EVENTS);
      } finally {
        emulator.clearFaults();
        await db.close();
      }
    });

    test('transient: an export writes exactly the ground truth', async () => {
      emulator.clearFaults();
      emulator.addFault({ ...rule, route: 'dataSeries', count: 3 });
      const { client } = virtualClient(emulator);
      assert.deepEqual(await exportRows(client), exportTruth());
      emulator.clearFaults();
    });

    test('exhausted: a clear error, no partial series, and a re-run completes exactly', async () => {
      emulator.clearFaults();
      // Every data_series request fails; names and details still work.
      emulator.addFault({ ...rule, route: 'dataSeries' });
      const db = await freshDb();
      try {
        const { client } = virtualClient(emulator, { maxRetries: 1 });
        let failure: unknown;
        try {
          await syncWorkspace({ client, db, workspace: 'w', now: clock });
        } catch (error) {
          failure = error;
        }
        if (failure === undefined) {
          assert.ok(READABLE.has(kind), `a permanent ${kind} must fail the sync`);
          // A fault the client can read through (e.g. a wrong content type): exact data.
          assert.equal(await assertNoSilentGap(db, emulator, 'w', names, false), EVENTS);
        } else {
          assert.ok(failure instanceof SyncFailedError, `SyncFailedError, got ${String(failure)}`);
          assertClearError(failure);
          await assertNoSilentGap(db, emulator, 'w', names, true);
          const [run] = await db.query<{ status: string; error: string | null }>(
            'SELECT status, error FROM sync_runs ORDER BY id DESC LIMIT 1',
          );
          assert.equal(run?.status, 'failed');
          assert.ok(run?.error && run.error.length > 10, 'the run records why it failed');
        }
        emulator.clearFaults();
        const { client: again } = virtualClient(emulator);
        const summary = await syncWorkspace({ client: again, db, workspace: 'w', now: clock });
        assert.equal(summary.status, 'succeeded');
        assert.equal(await assertNoSilentGap(db, emulator, 'w', names, false), EVENTS);
      } finally {
        emulator.clearFaults();
        await db.close();
      }
    });

    test('exhausted on the listing: a clear error before any row, a re-run is exact', async () => {
      emulator.clearFaults();
      emulator.addFault({ ...rule, route: 'eventsList' });
      const db = await freshDb();
      try {
        const { client } = virtualClient(emulator, { maxRetries: 1 });
        let failure: unknown;
        try {
          await syncWorkspace({ client, db, workspace: 'w', now: clock });
        } catch (error) {
          failure = error;
        }
        if (failure === undefined) assert.ok(READABLE.has(kind), `a permanent ${kind} must fail`);
        else {
          assertClearError(failure);
          const [{ n } = { n: -1 }] = await db.query<{ n: number }>(
            'SELECT count(*) AS n FROM event_counts',
          );
          assert.equal(Number(n), 0, 'nothing stored without the list of names');
        }
        emulator.clearFaults();
        const summary = await syncWorkspace({
          client: virtualClient(emulator).client,
          db,
          workspace: 'w',
          now: clock,
        });
        assert.equal(summary.status, 'succeeded');
        assert.equal(await assertNoSilentGap(db, emulator, 'w', names, false), EVENTS);
      } finally {
        emulator.clearFaults();
        await db.close();
      }
    });

    test('exhausted on GET /events (details): exact counts with a note, or a clear, resumable failure', async () => {
      emulator.clearFaults();
      emulator.addFault({ ...rule, route: 'events' });
      const db = await freshDb();
      try {
        const { client } = virtualClient(emulator, { maxRetries: 1 });
        let failure: unknown;
        try {
          const summary = await syncWorkspace({ client, db, workspace: 'w', now: clock });
          assert.equal(await assertNoSilentGap(db, emulator, 'w', names, false), EVENTS);
          if (summary.detailsFetched) {
            assert.ok(READABLE.has(kind), `details under a permanent ${kind} cannot be fetched`);
          } else {
            assert.ok(summary.detailsNote && summary.detailsNote.length > 10, 'a note says why');
          }
        } catch (error) {
          failure = error;
        }
        if (failure !== undefined) {
          // The sync treats an exhausted rate limit as fatal, details or not: loud, resumable.
          assertClearError(failure);
          await assertNoSilentGap(db, emulator, 'w', names, true);
          emulator.clearFaults();
          await syncWorkspace({
            client: virtualClient(emulator).client,
            db,
            workspace: 'w',
            now: clock,
          });
          assert.equal(await assertNoSilentGap(db, emulator, 'w', names, false), EVENTS);
        }
      } finally {
        emulator.clearFaults();
        await db.close();
      }
    });

    test('exhausted: an export rejects with a clear error, a re-run is exact', async () => {
      emulator.clearFaults();
      emulator.addFault({ ...rule, route: 'dataSeries' });
      const { client } = virtualClient(emulator, { maxRetries: 1 });
      let failure: unknown;
      let rows: unknown;
      try {
        rows = await exportRows(client);
      } catch (error) {
        failure = error;
      }
      emulator.clearFaults();
      if (failure === undefined) {
        assert.ok(READABLE.has(kind), `a permanent ${kind} must fail the export`);
        assert.deepEqual(rows, exportTruth());
      } else assertClearError(failure);
      assert.deepEqual(await exportRows(virtualClient(emulator).client), exportTruth());
    });
  });
}
