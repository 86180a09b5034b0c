/**
 * A sync in progress as `status` (text and `--json`), the dashboard's `/api/sync` and a
 * second sync see it, on both dialects. The sync holds the workspace's lock from before it
 * lists events (GET /events/list, possibly minutes of rate-limit waits) until it ends, but
 * opens its `sync_runs` row only after the listing and the selection check (a usage error
 * leaves no trace): during that phase the lock is the only sign of it. Here the listing is
 * held by the test's transport until released, so the phase lasts as long as the test needs.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { startDashboard } from '../../src/dashboard/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  type Database,
  formatStatus,
  openDatabase,
  readStatus,
  readSyncState,
  type SyncInProgress,
  SyncLockedError,
  syncWorkspace,
} from '../../src/sync/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { createDatabaseFactory, DIALECTS, type TestDialect } from './databases.js';
import { clock, testClient } from './harness.js';

const factory = createDatabaseFactory();
let emulator: Emulator;
before(async () => {
  emulator = await startEmulator({ seed: 11, events: 4, now: clock, port: 0 });
});
after(async () => {
  await emulator?.close();
  await factory.close();
});

/**
 * A transport that holds every request to `path` until `release()`; `reached` resolves when
 * the first one arrives (the sync is then in the phase that sends them).
 */
function holdAt(path: string) {
  let arrive!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((r) => {
    arrive = r;
  });
  const opened = new Promise<void>((r) => {
    open = r;
  });
  const fetch = async (input: string, init: RequestInit) => {
    if (new URL(input).pathname === path) {
      arrive();
      await opened;
    }
    return globalThis.fetch(input, init);
  };
  return { fetch, reached, release: () => open() };
}

/** What `status` says of a `running` run that no sync holds the lock for. */
const GONE = 'no sync holds the lock: its process is gone, the next sync marks it interrupted';

const first2 = () => emulator.eventNames().slice(0, 2);

/** A finished sync of two events of `workspace`. */
const syncOnce = (db: Database, workspace: string) =>
  syncWorkspace({ client: testClient(emulator), db, workspace, events: first2(), now: clock });

/** When the held sync started and reached the held request (epoch ms, real clock). */
interface Held {
  startedAt: number;
  reachedAt: number;
}

/**
 * Runs a sync of `workspace` whose requests to `path` wait, calls `look` once the first
 * one arrived, then lets the sync finish and returns its summary.
 */
async function whileHeld(
  db: Database,
  workspace: string,
  path: string,
  look: (held: Held) => Promise<void>,
) {
  const hold = holdAt(path);
  const startedAt = Date.now();
  // Long per-request timeout: the held request must not time out while the test looks.
  const client = testClient(emulator, { fetch: hold.fetch, timeoutMs: 600_000 });
  const done = syncWorkspace({ client, db, workspace, events: first2(), now: clock });
  done.catch(() => {}); // awaited below; a failure must not go unhandled meanwhile
  await hold.reached;
  try {
    await look({ startedAt, reachedAt: Date.now() });
  } finally {
    hold.release();
  }
  return done;
}

/**
 * A fresh database: `db` for the syncs, `reader` for status (its own connection, as
 * another process would have).
 */
async function withDatabase(
  dialect: TestDialect,
  fn: (dbs: { url: string; db: Database; reader: Database }) => Promise<void>,
): Promise<void> {
  const url = await factory.fresh(dialect);
  const db = await openDatabase(url, { migrate: true });
  const reader = await openDatabase(url);
  try {
    await fn({ url, db, reader });
  } finally {
    await reader.close();
    await db.close();
  }
}

for (const dialect of DIALECTS) {
  describe(`a sync in progress (${dialect})`, () => {
    test('still listing events: status, status --json, /api/sync and a second sync say so; after it, as before', () =>
      withDatabase(dialect, async ({ url, db, reader }) => {
        await syncOnce(db, 'w');
        const quiet = await readSyncState(reader, 'w', { runs: 50 });
        assert.equal(quiet.inProgress, null);
        assert.deepEqual(
          quiet.runs.map((r) => r.status),
          ['succeeded'],
        );

        const summary = await whileHeld(db, 'w', '/events/list', async (held) => {
          const state = await readSyncState(reader, 'w', { runs: 50 });
          // No run row yet: the journal is as the last run left it.
          assert.deepEqual(state.runs, quiet.runs);
          assert.deepEqual(state.units, quiet.units);
          const live = state.inProgress;
          assert.ok(live, 'a sync holding the lock is in progress');
          assert.equal(live.phase, 'preparing');
          assert.equal(live.runId, null);
          // Since the lock was taken: between the call and the listing request (1 s of
          // slack for the database server's clock resolution).
          assert.ok(live.since !== null);
          const since = Date.parse(live.since);
          assert.ok(
            since >= held.startedAt - 1000 && since <= held.reachedAt + 1000,
            `${live.since} not within the sync's start`,
          );
          assertHolder(dialect, live);

          const text = await runCli(['status', '--db', url], { source: true, env: cleanEnv() });
          assert.equal(text.code, 0, text.stderr);
          const line = text.stdout.split('\n').find((l) => l.startsWith('  sync in progress'));
          assert.ok(line, text.stdout);
          assert.ok(line.includes(`since ${live.since}`), line);
          assert.match(
            line,
            /: preparing \(listing events, checking the selection\); no run opened yet$/,
          );
          // The last runs still say what they said: the finished run is not the live one.
          assert.match(text.stdout, /\n {2}last runs:\n {4}#\d+ succeeded /);

          const json = await runCli(['status', '--db', url, '--json'], {
            source: true,
            env: cleanEnv(),
          });
          assert.equal(json.code, 0, json.stderr);
          const [ws] = JSON.parse(json.stdout);
          assert.equal(ws.workspace, 'w');
          assert.deepEqual(ws.inProgress, live);
          assert.deepEqual(ws.runs, quiet.runs.slice(0, 5));

          const dash = await startDashboard({ db: url, now: clock });
          try {
            const res = await fetch(`${dash.url}/api/sync?workspace=w`);
            assert.equal(res.status, 200);
            const body = await res.json();
            assert.deepEqual(body.inProgress, live);
            assert.deepEqual(body.runs, quiet.runs);
          } finally {
            await dash.close();
          }

          // A second sync is refused, and says what holds the lock and what it is doing.
          const refused = await syncOnce(reader, 'w').then(
            () => assert.fail('the second sync was not refused'),
            (e: unknown) => e,
          );
          assert.ok(refused instanceof SyncLockedError, String(refused));
          assert.ok(refused.message.includes(`since ${live.since}`), refused.message);
          assert.match(refused.message, /preparing \(listing events, checking the selection\)/);
          assert.deepEqual(refused.inProgress, live);
        });
        assert.equal(summary.status, 'succeeded');

        // Over: nothing in progress, one more finished run, the older ones as they were.
        const afterwards = await readSyncState(reader, 'w', { runs: 50 });
        assert.equal(afterwards.inProgress, null);
        assert.deepEqual(
          afterwards.runs.map((r) => r.status),
          ['succeeded', 'succeeded'],
        );
        assert.deepEqual(afterwards.runs.slice(1), quiet.runs);
        const lines = formatStatus(await readStatus(reader));
        assert.ok(!lines.some((l) => l.includes('sync in progress')), lines.join('\n'));
      }));

    test('fetching counts: the live sync is the running run', () =>
      withDatabase(dialect, async ({ db, reader }) => {
        await whileHeld(db, 'w', '/events/data_series', async () => {
          const state = await readSyncState(reader, 'w');
          const [run] = state.runs;
          assert.equal(run?.status, 'running');
          assert.equal(state.inProgress?.phase, 'running');
          assert.equal(state.inProgress?.runId, run.id);
          assert.equal(state.runs.find((r) => r.id === run.id)?.processGone, false);
          assertHolder(dialect, state.inProgress);
          const lines = formatStatus(await readStatus(reader));
          assert.ok(
            lines.some((l) =>
              new RegExp(`^ {2}sync in progress since \\S+.*: run #${run.id}$`).test(l),
            ),
            lines.join('\n'),
          );
          // Its run line is a live one.
          const runLine = lines.find((l) => l.startsWith(`    #${run.id} running`));
          assert.ok(runLine && !runLine.includes(GONE), lines.join('\n'));
        });
        assert.equal((await readSyncState(reader, 'w')).inProgress, null);
      }));

    test('a run left running by a process that is gone: status says so, as no sync holds the lock', () =>
      withDatabase(dialect, async ({ db, reader }) => {
        await syncOnce(db, 'w');
        // What a sync killed mid-run leaves: its row still running, its lock gone with it.
        const [row] = await db.query<{ id: number }>(
          `INSERT INTO sync_runs (workspace, started_at, heartbeat_at, status, units)
           VALUES ('w', '2026-06-15T13:31:00.000Z', '2026-06-15T13:32:00.000Z', 'running', 'day') RETURNING id`,
        );
        const [ws] = await readStatus(reader);
        assert.equal(ws?.inProgress, null);
        assert.deepEqual(
          ws?.runs.map((r) => [r.status, r.processGone]),
          [
            ['running', true],
            ['succeeded', false],
          ],
        );
        const lines = formatStatus([ws!]);
        assert.ok(!lines.some((l) => l.includes('sync in progress')), lines.join('\n'));
        const runLine = lines.find((l) => l.startsWith(`    #${Number(row!.id)} running`));
        assert.ok(
          runLine?.includes(`(alive at 2026-06-15T13:32:00.000Z; ${GONE})`),
          lines.join('\n'),
        );
      }));

    test('the first sync of a workspace, still listing: status of that workspace shows it', () =>
      withDatabase(dialect, async ({ db, reader }) => {
        await whileHeld(db, 'new', '/events/list', async () => {
          const [ws] = await readStatus(reader, { workspace: 'new' });
          assert.deepEqual(ws?.runs, []);
          assert.equal(ws?.inProgress?.phase, 'preparing');
        });
      }));
  });
}

describe('a sync in progress (sqlite only: lock rows name their workspace)', () => {
  test('status of every workspace lists one whose first sync is still listing', () =>
    withDatabase('sqlite', async ({ db, reader }) => {
      await whileHeld(db, 'new', '/events/list', async () => {
        assert.deepEqual(
          (await readStatus(reader)).map((ws) => [ws.workspace, ws.inProgress?.phase]),
          [['new', 'preparing']],
        );
      });
    }));

  test('a lock row whose holder is gone (stale heartbeat) is no sync in progress', () =>
    withDatabase('sqlite', async ({ db, reader }) => {
      await syncOnce(db, 'w');
      const old = new Date(Date.now() - 10 * 60_000).toISOString();
      for (const name of ['sync:w', 'sync:ghost']) {
        await db.exec(
          'INSERT INTO sync_locks (name, token, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)',
          [name, 't', process.pid, hostname(), old, old],
        );
      }
      assert.equal((await readSyncState(reader, 'w')).inProgress, null);
      assert.deepEqual(
        (await readStatus(reader)).map((ws) => ws.workspace),
        ['w'],
      );
    }));
});

/** Who holds the lock, as far as each database can tell. */
function assertHolder(dialect: TestDialect, live: SyncInProgress | null | undefined): void {
  assert.ok(live);
  // SQLite's lock row names the process; PostgreSQL's session carries them in its
  // application_name.
  assert.equal(live.pid, process.pid, dialect);
  assert.equal(live.host, hostname(), dialect);
}
