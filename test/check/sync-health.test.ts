/**
 * `check` on incomplete data (a new user's report): after an interrupted first sync it
 * warns that the counts may be incomplete (text, --json, the webhook payloads), naming the
 * run; with no series of the unit to check it is an error (exit 1) saying what to run,
 * never "No anomalies". The sync is real (the emulator on port 0, a SQLite file), stopped
 * by its signal after three series; the check is the built binary.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { describeIncompleteSync, readIncompleteSyncs } from '../../src/check/sync-health.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/index.js';
import { syncLockName } from '../../src/sync/store/runs.js';
import { cleanEnv, ensureBuilt, runCli } from '../helpers/cli.js';
import { clock, NOW, syncUntilInterrupted, testClient } from '../sync/harness.js';

describe('check after an interrupted sync, and with nothing to check', () => {
  let emulator: Emulator;
  let dir: string;
  let dbPath: string;
  let runId: number;
  const servers: Server[] = [];
  const env = cleanEnv();

  before(async () => {
    await ensureBuilt();
    emulator = await startEmulator({ seed: 5, events: 12, now: clock, port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'braze-check-health-'));
    dbPath = join(dir, 'partial.db');
    const db = await openDatabase(`sqlite:${dbPath}`);
    try {
      const options = { client: testClient(emulator), db, workspace: 'default', now: clock };
      runId = (await syncUntilInterrupted({ ...options, units: ['day'], concurrency: 1 }, 3)).runId;
    } finally {
      await db.close();
    }
  });
  after(async () => {
    await emulator?.close();
    for (const s of servers) await new Promise((r) => s.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const started = new Date(NOW).toISOString();
  const warning = () =>
    `warning: workspace "default": the last sync (run ${runId}, interrupted, started ${started}) did not succeed: counts may be incomplete`;

  test('the text output warns, naming the run; --json carries the run', async () => {
    const text = await runCli(['check', '--db', dbPath], { env, now: clock });
    assert.ok([0, 3].includes(text.code ?? -1), text.stderr);
    assert.ok(text.stdout.includes(`${warning()}\n`), text.stdout);
    const json = await runCli(['check', '--db', dbPath, '--json'], { env, now: clock });
    assert.ok([0, 3].includes(json.code ?? -1), json.stderr);
    const report = JSON.parse(json.stdout);
    assert.ok(report.checkedSeries > 0 && report.checkedSeries < 12, json.stdout);
    assert.deepEqual(report.incompleteSyncs, [
      {
        workspace: 'default',
        runId,
        status: 'interrupted',
        startedAt: started,
        processGone: false,
      },
    ]);
  });

  test('the webhook payloads (JSON and Slack) carry the warning', async () => {
    const got: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => {
        got.push(body);
        res.end('ok');
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    for (const format of ['json', 'slack']) {
      const r = await runCli(
        ['check', '--db', dbPath, '--notify-always', '--notify-format', format, '--notify', url],
        { env, now: clock },
      );
      assert.ok([0, 3].includes(r.code ?? -1), r.stderr);
    }
    assert.equal(got.length, 2);
    assert.equal(JSON.parse(got[0]!).incompleteSyncs[0].runId, runId);
    assert.ok(JSON.parse(got[1]!).text.includes(warning().replace(/^warning: /, '')), got[1]);
  });

  test('no series of the unit: an error saying what to run, exit 1, nothing on stdout', async () => {
    for (const extra of [[], ['--json']]) {
      const r = await runCli(['check', '--db', dbPath, '--unit', 'hour', ...extra], {
        env,
        now: clock,
      });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(
        r.stderr,
        `${warning()}\n` +
          'error: no hour series stored for workspace "default": run `braze-events sync --unit hour` first\n',
      );
    }
  });
});

describe('check on a workspace whose last run is still `running`', () => {
  test('says whether a sync is still going (it holds the lock) or its process is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'braze-check-running-'));
    const db = await openDatabase(`sqlite:${join(dir, 'running.db')}`);
    try {
      await db.migrate();
      const [row] = await db.query<{ id: number }>(
        `INSERT INTO sync_runs (workspace, started_at, heartbeat_at, status, units)
         VALUES ('w', '2026-06-15T13:31:00.000Z', '2026-06-15T13:32:00.000Z', 'running', 'day') RETURNING id`,
      );
      const id = Number(row!.id);
      const said = async () =>
        (await readIncompleteSyncs(db, ['w'])).map((s) => [
          s.processGone,
          describeIncompleteSync(s),
        ]);
      // No sync holds the lock: what a kill -9 leaves.
      assert.deepEqual(await said(), [
        [
          true,
          `workspace "w": the last sync (run ${id}, started 2026-06-15T13:31:00.000Z) was left running by a process that is gone (the next sync marks it interrupted): counts may be incomplete`,
        ],
      ]);
      // A sync holds it: the run is its own, still going.
      const lock = await db.tryLock(syncLockName('w'));
      assert.ok('release' in lock);
      try {
        assert.deepEqual(await said(), [
          [
            false,
            `workspace "w": a sync is still running (run ${id}, started 2026-06-15T13:31:00.000Z): counts may be incomplete until it ends`,
          ],
        ]);
      } finally {
        await lock.release();
      }
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
