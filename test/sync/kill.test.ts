/**
 * kill -9 at random moments, again and again, then one run to the end: the database must
 * hold exactly the ground truth (no gap, no duplicate, no torn window), and the journal
 * must say which runs were interrupted.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createRandom } from '../../src/emulator/prng.js';
import { openDatabase } from '../../src/sync/index.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';
import { assertGroundTruth, bucketsAgo, clock } from './harness.js';

const CHILD = fileURLToPath(new URL('./fixtures/sync-child.ts', import.meta.url));
const KILLS = 12;

const factory = createDatabaseFactory();
after(() => factory.close());

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  windows: number;
  out: string;
}

/** Runs the child; with `killAt`, SIGKILLs it after that many committed windows plus a jitter. */
function runChild(
  emulator: Emulator,
  dbUrl: string,
  since: string,
  killAt?: { window: number; jitterMs: number },
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, emulator.url, dbUrl, since], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let windows = 0;
    let killing = false;
    const kill = () => {
      if (killing) return;
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), killAt!.jitterMs);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      windows = (out.match(/^window /gm) ?? []).length;
      if (killAt && windows >= killAt.window) kill();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, windows, out }));
  });
}

for (const dialect of DIALECTS) {
  describe(`kill -9 during sync (${dialect})`, () => {
    test(`${KILLS} kills at random points, then a full run: exactly the ground truth`, async () => {
      const seed = Number(process.env.KILL_SEED ?? Date.now() % 100_000);
      // The emulator's seeded PRNG, so a failure can be replayed from the logged seed.
      const random = createRandom(seed);
      const emulator = await startEmulator({
        seed: 21,
        // Enough windows (3 per event) that 12 kills at up to window 40, plus what commits
        // before a kill lands on a loaded machine, never run out of work to interrupt.
        events: 150,
        now: clock,
        port: 0,
        faults: [{ kind: 'delay', probability: 0.3, delayMs: 3 }],
      });
      const dbUrl = await factory.fresh(dialect);
      const since = new Date(bucketsAgo('day', 299)).toISOString();
      try {
        let killed = 0;
        let finishedEarly = 0;
        for (let i = 0; i < KILLS; i += 1) {
          // Window 0 means "while listing events or planning"; the jitter lands kills
          // inside requests and transactions, not only between them.
          const window = Math.floor(random() * 40);
          const run = await runChild(emulator, dbUrl, since, {
            window,
            jitterMs: Math.floor(random() * 8),
          });
          if (run.signal === 'SIGKILL') killed += 1;
          else {
            assert.equal(run.code, 0, `seed ${seed}: child failed: ${run.out}`);
            finishedEarly += 1;
          }
        }
        assert.ok(
          killed >= 10,
          `seed ${seed}: only ${killed} kills landed (${finishedEarly} runs finished)`,
        );

        const last = await runChild(emulator, dbUrl, since);
        assert.equal(last.code, 0, `seed ${seed}: ${last.out}`);
        assert.match(last.out, /done succeeded/);

        const db = await openDatabase(dbUrl);
        try {
          await assertGroundTruth(
            db,
            emulator,
            'kill',
            { events: emulator.eventNames(), units: ['day'] },
            {
              day: bucketsAgo('day', 299),
            },
          );
          const runs = await db.query<{ status: string }>(
            'SELECT status FROM sync_runs ORDER BY id',
          );
          assert.equal(runs.at(-1)?.status, 'succeeded');
          assert.ok(
            runs.every((r) => r.status !== 'running'),
            'no run is left "running"',
          );
          assert.ok(runs.filter((r) => r.status === 'interrupted').length >= 1);
          // Every stored count was inserted by exactly one run, killed or not, and each
          // window recorded its rows in its run in the same commit: the journal adds up.
          const [sums] = await db.query<{ inserted: number; stored: number }>(
            `SELECT (SELECT SUM(rows_inserted) FROM sync_runs) AS inserted,
                    (SELECT count(*) FROM counts) AS stored`,
          );
          assert.equal(Number(sums!.inserted), Number(sums!.stored), `seed ${seed}`);
        } finally {
          await db.close();
        }
      } finally {
        await emulator.close();
      }
    });
  });
}
