/**
 * One event's failure is that event's failure (issue 15, reproduced failure 3): a sync
 * whose first eight names answer 400 (reserved names sort first) stored nothing, since the
 * run stopped after five consecutive failures. A per-event 4xx, a name deleted since the
 * listing (404) and a name that cannot be URL-encoded are recorded per event, in the
 * summary and the run journal, and every other event is synced. Only failures that say
 * Braze itself is down count towards stopping early; a key refused (403) stops at once.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import {
  MAX_CONSECUTIVE_SERIES_FAILURES,
  openDatabase,
  readStatus,
  SyncFailedError,
  syncWorkspace,
} from '../../src/sync/index.js';
import { createDatabaseFactory } from './databases.js';
import { assertGroundTruth, bucketsAgo, clock, testClient } from './harness.js';

const factory = createDatabaseFactory();
after(() => factory.close());

const RESERVED = [
  '$Purchase',
  '$Session Start',
  '$Session End',
  '$Install',
  '$Uninstall',
  '$Open',
  '$Push',
  '$attribution',
];
const DELETED = 'Gone Since Listing';
const HALF_EMOJI = 'Party \ud83c';
const GOOD = ['Add to Cart', 'Level Up', 'Purchase Completed', 'Zebra'];

function dataset(names: readonly string[]) {
  return {
    events: names.map((name, i) => ({
      name,
      counts: { '2026-06-01': 10 + i, '2026-06-10': 20 + i, '2026-06-14': 30 + i },
    })),
  };
}

describe('per-event failures in a sync (sqlite)', () => {
  test('eight reserved names sorted first, a deleted one and half an emoji: every other event is synced, the failed ones are recorded', async () => {
    const emu = await startEmulator({
      port: 0,
      now: clock,
      data: dataset([...RESERVED, DELETED, HALF_EMOJI, ...GOOD]),
    });
    for (const event of RESERVED) emu.addFault({ kind: '400', event });
    emu.addFault({ kind: '404', event: DELETED });
    const db = await openDatabase(await factory.fresh('sqlite'));
    const warnings: string[] = [];
    try {
      const error = await syncWorkspace({
        client: testClient(emu),
        db,
        workspace: 'w',
        now: clock,
        concurrency: 1,
        logger: { warn: (m) => warnings.push(m) },
      }).then(
        () => assert.fail('a sync with failed events must not succeed'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof SyncFailedError, String(error));
      const { summary } = error;
      assert.equal(summary.status, 'failed');
      assert.deepEqual(
        summary.failures.map((f) => [f.event, f.status]),
        [...RESERVED.map((e) => [e, 400]), [DELETED, 404], [HALF_EMOJI, null]].sort((a, b) =>
          String(a[0]) < String(b[0]) ? -1 : 1,
        ),
      );
      const purchase = summary.failures.find((f) => f.event === '$Purchase');
      assert.match(purchase?.error ?? '', /400.*Invalid 'event' parameter: \$Purchase/);
      assert.match(
        summary.failures.find((f) => f.event === HALF_EMOJI)?.error ?? '',
        /half an emoji/,
      );
      assert.equal(summary.rowsInserted, GOOD.length * 100);
      await assertGroundTruth(
        db,
        emu,
        'w',
        { events: GOOD, units: ['day'] },
        {
          day: bucketsAgo('day', 99),
        },
      );
      // Each refused event was asked for once; the unencodable one never.
      const asked = emu
        .requests()
        .filter((r) => r.route === 'dataSeries')
        .map((r) => r.query.event);
      assert.deepEqual(asked.sort(), [...RESERVED, DELETED, ...GOOD].sort());
      assert.ok(warnings.some((w) => w.includes('$Purchase')));

      // The journal names the failed events: a few, then a count.
      const message =
        /10 of 14 series failed: events "\$Install", "\$Open", "\$Purchase", "\$Push", "\$Session End" and 5 more/;
      assert.match(error.message, message);
      const [status] = await readStatus(db, { workspace: 'w' });
      assert.equal(status?.runs[0]?.status, 'failed');
      assert.match(status?.runs[0]?.error ?? '', message);
    } finally {
      await db.close();
      await emu.close();
    }
  });

  test('Braze down (5xx after the retries) still stops the run early', async () => {
    const emu = await startEmulator({ port: 0, now: clock, data: dataset(GOOD.concat(RESERVED)) });
    emu.addFault({ kind: '503', route: 'dataSeries' });
    const db = await openDatabase(await factory.fresh('sqlite'));
    try {
      await assert.rejects(
        syncWorkspace({
          client: testClient(emu, { maxRetries: 0 }),
          db,
          workspace: 'down',
          now: clock,
          concurrency: 1,
        }),
        (e: unknown) => e instanceof SyncFailedError && /503/.test(e.message),
      );
      const asked = emu.requests().filter((r) => r.route === 'dataSeries');
      assert.equal(asked.length, MAX_CONSECUTIVE_SERIES_FAILURES);
    } finally {
      await db.close();
      await emu.close();
    }
  });

  test('per-event 4xx between outages do not count towards stopping early', async () => {
    // Four outages, then four refused events: five failures in a row, but the refused
    // ones say nothing of Braze, so the run goes on and syncs the rest.
    const emu = await startEmulator({ port: 0, now: clock, data: dataset([...RESERVED, ...GOOD]) });
    emu.addFault({ kind: '503', route: 'dataSeries', count: 4 });
    for (const event of RESERVED) emu.addFault({ kind: '400', event });
    const db = await openDatabase(await factory.fresh('sqlite'));
    try {
      const error = await syncWorkspace({
        client: testClient(emu, { maxRetries: 0 }),
        db,
        workspace: 'mix',
        now: clock,
        concurrency: 1,
      }).catch((e: unknown) => e);
      assert.ok(error instanceof SyncFailedError);
      // The 503s hit the first four names ($-names sort first); the rest were all tried.
      assert.equal(error.summary.failures.length, RESERVED.length);
      assert.deepEqual(
        error.summary.failures.map((f) => f.status),
        [503, 503, 503, 503, 400, 400, 400, 400],
      );
      assert.equal(error.summary.rowsInserted, GOOD.length * 100);
    } finally {
      await db.close();
      await emu.close();
    }
  });

  test('a key without events.data_series stops the run at its first series', async () => {
    const emu = await startEmulator({
      port: 0,
      now: clock,
      data: dataset(GOOD),
      keys: [{ key: 'list-only-key', permissions: ['events.list', 'events.get'] }],
    });
    const db = await openDatabase(await factory.fresh('sqlite'));
    try {
      await assert.rejects(
        syncWorkspace({
          client: testClient(emu, { apiKey: 'list-only-key' }),
          db,
          workspace: 'perm',
          now: clock,
          concurrency: 1,
        }),
        (e: unknown) => e instanceof SyncFailedError && /403/.test(e.message),
      );
      assert.equal(emu.requests().filter((r) => r.route === 'dataSeries').length, 1);
    } finally {
      await db.close();
      await emu.close();
    }
  });
});
