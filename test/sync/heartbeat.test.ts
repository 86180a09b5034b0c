/**
 * A run that waits for a rate-limit window or a retry reads as alive in the run journal,
 * not hung (issue 15, item 2): its `heartbeat_at` keeps moving while it waits. Real time
 * here (the wait is a real 2 s Retry-After), read while the sync is in its wait.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createBrazeClient } from '../../src/core/index.js';
import { EMULATOR_DEFAULT_KEY, startEmulator } from '../../src/emulator/index.js';
import { formatStatus, openDatabase, readStatus, syncWorkspace } from '../../src/sync/index.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';

const factory = createDatabaseFactory();
after(() => factory.close());

for (const dialect of DIALECTS) {
  test(`a waiting run keeps its heartbeat moving (${dialect})`, async () => {
    const emulator = await startEmulator({ seed: 3, events: 2, port: 0 });
    const db = await openDatabase(await factory.fresh(dialect));
    try {
      emulator.addFault({ kind: 'proxy-429', route: 'dataSeries', count: 1, delayMs: 2000 });
      let waiting!: () => void;
      const waitStarted = new Promise<void>((resolve) => (waiting = resolve));
      const client = createBrazeClient({
        apiKey: EMULATOR_DEFAULT_KEY,
        endpoint: emulator.url,
        onNotice: (n) => {
          if (n.kind === 'wait' && n.ms >= 2000) waiting();
        },
      });
      const run = syncWorkspace({
        client,
        db,
        workspace: 'ws',
        heartbeatMs: 200,
        concurrency: 1,
      });
      await waitStarted;
      const beats = new Set<string>();
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 250));
        const [row] = await db.query<{ status: string; heartbeat_at: string }>(
          'SELECT status, heartbeat_at FROM sync_runs WHERE workspace = ?',
          ['ws'],
        );
        assert.equal(row?.status, 'running');
        beats.add(String(row?.heartbeat_at));
        if (i === 2) {
          const text = formatStatus(await readStatus(db, { workspace: 'ws' })).join('\n');
          assert.match(text, /running .*\(alive at \d{4}-\d\d-\d\dT/);
        }
      }
      assert.ok(beats.size >= 3, `heartbeats seen while waiting: ${[...beats].join(', ')}`);
      const summary = await run;
      assert.equal(summary.status, 'succeeded');
    } finally {
      await db.close();
      await emulator.close();
    }
  });
}
