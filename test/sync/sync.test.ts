import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EventSelectionError } from '../../src/core/selection.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { DATA_VERSION_SQL } from '../../src/sync/db/data-changes.js';
import {
  type Database,
  openDatabase,
  SyncFailedError,
  SyncHourBucketsMismatchError,
  SyncLockedError,
  SyncOffsetMismatchError,
  syncWorkspace,
} from '../../src/sync/index.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';
import { assertGroundTruth, bucketsAgo, clock, NOW, storedSeries, testClient } from './harness.js';

const factory = createDatabaseFactory();
after(() => factory.close());

/** data_series requests in the log, per series. */
function seriesRequests(emulator: Emulator): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of emulator.requests()) {
    if (r.route !== 'dataSeries') continue;
    const k = JSON.stringify([
      r.query.event,
      r.query.unit ?? 'day',
      r.query.app_id ?? '',
      r.query.segment_id ?? '',
    ]);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

for (const dialect of DIALECTS) {
  describe(`syncWorkspace (${dialect})`, () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator({ seed: 11, events: 24, now: clock, port: 0 });
    });
    after(() => emulator.close());

    test('first sync stores the ground truth; a second one re-reads one window per series', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const client = testClient(emulator);
        emulator.clearRequests();
        const first = await syncWorkspace({
          client,
          db,
          workspace: 'ws',
          units: ['day', 'hour'],
          now: clock,
        });
        const events = emulator.eventNames();
        assert.equal(first.status, 'succeeded');
        assert.equal(first.events, events.length);
        assert.equal(first.series, events.length * 2);
        assert.equal(
          first.windows,
          events.length * 2,
          'the default backfill is one request per series',
        );
        assert.equal(first.rowsInserted, events.length * 2 * 100);
        assert.equal(first.rowsUpdated, 0);
        assert.ok(first.detailsFetched);
        await assertGroundTruth(
          db,
          emulator,
          'ws',
          { events, units: ['day', 'hour'] },
          {
            day: bucketsAgo('day', 99),
            hour: bucketsAgo('hour', 99),
          },
        );
        // every name page was read from page 0
        const pages = emulator
          .requests()
          .filter((r) => r.route === 'eventsList')
          .map((r) => r.query.page ?? '0');
        assert.equal(pages[0], '0');

        emulator.clearRequests();
        const second = await syncWorkspace({
          client,
          db,
          workspace: 'ws',
          units: ['day', 'hour'],
          now: clock,
        });
        const perSeries = seriesRequests(emulator);
        assert.equal(perSeries.size, events.length * 2);
        for (const [k, n] of perSeries) assert.equal(n, 1, `series ${k}`);
        const lengths = emulator
          .requests()
          .filter((r) => r.route === 'dataSeries')
          .map((r) => `${r.query.unit}:${r.query.length}`);
        assert.ok(
          lengths.every((l) => l === 'day:15' || l === 'hour:49'),
          lengths.join(','),
        );
        assert.equal(second.rowsInserted, 0);
        assert.equal(second.rowsUpdated, 0);
        assert.equal(second.rowsUnchanged, events.length * (15 + 49));

        const runs = await db.query<{ status: string; rows_inserted: number; requests: number }>(
          'SELECT status, rows_inserted, requests FROM sync_runs WHERE workspace = ? ORDER BY id',
          ['ws'],
        );
        assert.deepEqual(
          runs.map((r) => r.status),
          ['succeeded', 'succeeded'],
        );
        assert.equal(runs[0]!.rows_inserted, first.rowsInserted);
        assert.equal(runs[1]!.requests, second.requests);
        const [marks] = await db.query<{ n: number; complete: number }>(
          'SELECT count(*) AS n, sum(CASE WHEN complete_through < synced_through THEN 1 ELSE 0 END) AS complete FROM series_watermarks WHERE workspace = ?',
          ['ws'],
        );
        assert.equal(marks?.n, events.length * 2);
        assert.equal(
          marks?.complete,
          events.length * 2,
          'the current bucket is stored but not complete',
        );
      } finally {
        await db.close();
      }
    });

    test('a restatement of recent days is corrected by the next sync', async () => {
      const emu = await startEmulator({ seed: 5, events: 20, now: clock, port: 0 });
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const client = testClient(emu);
        await syncWorkspace({ client, db, workspace: 'ws', units: ['day'], now: clock });
        emu.restate({ days: 4, factor: 1.5 });
        const after = await syncWorkspace({
          client,
          db,
          workspace: 'ws',
          units: ['day'],
          now: clock,
        });
        assert.ok(after.rowsUpdated > 0, 'restated counts were rewritten');
        assert.equal(after.rowsInserted, 0);
        await assertGroundTruth(
          db,
          emu,
          'ws',
          { events: emu.eventNames(), units: ['day'] },
          { day: bucketsAgo('day', 99) },
        );
      } finally {
        await db.close();
        await emu.close();
      }
    });

    test('with 10% of requests failing (503, resets, 429) the result is still exact', async () => {
      const emu = await startEmulator({
        seed: 9,
        events: 30,
        now: clock,
        port: 0,
        faults: [
          { kind: '503', probability: 0.04 },
          { kind: 'reset', probability: 0.03 },
          { kind: '429', probability: 0.03 },
        ],
      });
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const client = testClient(emu);
        const since = new Date(bucketsAgo('day', 180));
        const summary = await syncWorkspace({
          client,
          db,
          workspace: 'ws',
          units: ['day', 'hour'],
          since: new Date(bucketsAgo('hour', 150)),
          now: clock,
          concurrency: 6,
        });
        assert.ok(summary.retries > 0, 'faults were hit and retried');
        const faulted = emu.requests().filter((r) => r.fault !== undefined).length;
        assert.ok(faulted > 0);
        await syncWorkspace({ client, db, workspace: 'ws', units: ['day'], since, now: clock });
        await assertGroundTruth(
          db,
          emu,
          'ws',
          { events: emu.eventNames(), units: ['day', 'hour'] },
          {
            day: bucketsAgo('day', 180),
            hour: bucketsAgo('hour', 150),
          },
        );
      } finally {
        await db.close();
        await emu.close();
      }
    });

    test('filters: --event names, a glob, app and segment series', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const client = testClient(emulator);
        const names = emulator.eventNames();
        const picked = [names[1]!, names[5]!];
        const appId = emulator.apps()[0]!.id;
        const segmentId = emulator.segments()[0]!.id;
        emulator.clearRequests();
        const s = await syncWorkspace({
          client,
          db,
          workspace: 'f',
          units: ['day'],
          events: picked,
          appIds: [appId],
          segmentIds: [segmentId],
          now: clock,
        });
        assert.equal(s.series, 2);
        assert.equal(
          s.detailsFetched,
          false,
          'a filtered run does not spend the listing budget on details',
        );
        assert.ok(emulator.requests().every((r) => r.route !== 'events'));
        await assertGroundTruth(
          db,
          emulator,
          'f',
          { events: picked, units: ['day'], appIds: [appId], segmentIds: [segmentId] },
          { day: bucketsAgo('day', 99) },
        );

        const prefix = names[3]!.slice(0, 1);
        const globbed = await syncWorkspace({
          client,
          db,
          workspace: 'g',
          units: ['hour'],
          match: `${prefix}*`,
          now: clock,
        });
        assert.equal(globbed.events, names.filter((n) => n.startsWith(prefix)).length);

        await assert.rejects(
          syncWorkspace({
            client,
            db,
            workspace: 'm',
            events: [names[0]!, 'No Such Event'],
            now: clock,
          }),
          (e: unknown) =>
            e instanceof EventSelectionError &&
            e.option === 'events' &&
            e.values.join() === 'No Such Event',
        );
        await assert.rejects(
          syncWorkspace({ client, db, workspace: 'm', match: 'No Such*', now: clock }),
          (e: unknown) => e instanceof EventSelectionError && e.option === 'match',
        );
      } finally {
        await db.close();
      }
    });

    test('a selection error leaves no trace: no run row, no write, the data version unchanged', async () => {
      // A usage mistake (exit 2 in the CLI) is not a failed run: `status`, the dashboard's
      // sync page and its data version must not see it.
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const client = testClient(emulator);
        const names = emulator.eventNames();
        await syncWorkspace({ client, db, workspace: 'u', events: [names[0]!], now: clock });
        const snapshot = async () =>
          JSON.stringify([
            await db.query('SELECT * FROM sync_runs ORDER BY id'),
            await db.query(DATA_VERSION_SQL),
            await db.query('SELECT * FROM workspace_settings ORDER BY workspace'),
          ]);
        const before = await snapshot();
        emulator.clearRequests();
        for (const workspace of ['u', 'new-ws']) {
          await assert.rejects(
            syncWorkspace({ client, db, workspace, events: ['No Such Event'], now: clock }),
            (e: unknown) => e instanceof EventSelectionError && e.option === 'events',
          );
          await assert.rejects(
            syncWorkspace({ client, db, workspace, match: 'zzz*', now: clock }),
            (e: unknown) => e instanceof EventSelectionError && e.option === 'match',
          );
        }
        assert.equal(await snapshot(), before);
        assert.ok(emulator.requests().every((r) => r.route !== 'dataSeries'));
      } finally {
        await db.close();
      }
    });

    test('a key without events.get still syncs, with a note', async () => {
      const emu = await startEmulator({
        seed: 3,
        events: 8,
        now: clock,
        port: 0,
        keys: [{ key: 'limited-key-0001', permissions: ['events.list', 'events.data_series'] }],
      });
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const client = testClient(emu, { apiKey: 'limited-key-0001' });
        const s = await syncWorkspace({ client, db, workspace: 'ws', now: clock });
        assert.equal(s.status, 'succeeded');
        assert.equal(s.detailsFetched, false);
        assert.match(s.detailsNote ?? '', /events\.get/);
        const dump =
          JSON.stringify(await db.query('SELECT * FROM sync_runs')) +
          JSON.stringify(await db.query('SELECT * FROM events'));
        assert.ok(!dump.includes('limited-key-0001'), 'the key never reaches the database');
      } finally {
        await db.close();
        await emu.close();
      }
    });

    test('event details that exhaust the listing budget are skipped; the counts still sync', async () => {
      // /events and /events/list share one budget; data_series has its own. Here the names
      // take 1 request and the details' second page is refused, again and again.
      const emu = await startEmulator({
        seed: 4,
        events: 120,
        now: clock,
        port: 0,
        rateLimits: { listing: 2 },
      });
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const s = await syncWorkspace({ client: testClient(emu), db, workspace: 'ws', now: clock });
        assert.equal(s.status, 'succeeded');
        assert.equal(s.detailsFetched, false);
        assert.match(s.detailsNote ?? '', /event details skipped: .*rate/i);
        // The pacer knows the budget is spent and its window ends later than the details may
        // wait (DETAILS_MAX_WAIT_MS): the next page is not sent at all, no 429 is burnt, and
        // the counts are not held back.
        const details = emu.requests().filter((r) => r.route === 'events');
        assert.ok(details.length > 0 && details.every((r) => r.status === 200));
        assert.match(s.detailsNote ?? '', /not sent: the listing rate-limit budget is spent/);
        await assertGroundTruth(
          db,
          emu,
          'ws',
          { events: emu.eventNames(), units: ['day'] },
          {
            day: bucketsAgo('day', 99),
          },
        );
      } finally {
        await db.close();
        await emu.close();
      }
    });

    test('two syncs of one workspace at once: one is refused cleanly, data stays exact', async () => {
      const url = await factory.fresh(dialect);
      const a = await openDatabase(url, { migrate: true });
      const b = await openDatabase(url);
      try {
        const results = await Promise.allSettled([
          syncWorkspace({ client: testClient(emulator), db: a, workspace: 'c', now: clock }),
          syncWorkspace({ client: testClient(emulator), db: b, workspace: 'c', now: clock }),
        ]);
        const ok = results.filter((r) => r.status === 'fulfilled');
        const refused = results.filter((r) => r.status === 'rejected');
        assert.equal(ok.length + refused.length, 2);
        assert.ok(ok.length >= 1);
        for (const r of refused) {
          assert.ok(r.reason instanceof SyncLockedError, String(r.reason));
          assert.match(r.reason.message, /another sync of workspace "c" is running/);
        }
        // another workspace is not blocked
        const lock = await a.tryLock('sync:c');
        assert.ok('release' in lock);
        await assert.rejects(
          syncWorkspace({ client: testClient(emulator), db: b, workspace: 'c', now: clock }),
          SyncLockedError,
        );
        const other = await syncWorkspace({
          client: testClient(emulator),
          db: b,
          workspace: 'd',
          now: clock,
          events: [emulator.eventNames()[0]!],
        });
        assert.equal(other.status, 'succeeded');
        await lock.release();
        await assertGroundTruth(
          a,
          emulator,
          'c',
          { events: emulator.eventNames(), units: ['day'] },
          { day: bucketsAgo('day', 99) },
        );
        const runs = await a.query<{ status: string }>(
          'SELECT status FROM sync_runs WHERE workspace = ?',
          ['c'],
        );
        assert.deepEqual(
          runs.map((r) => r.status),
          ok.map(() => 'succeeded'),
        );
      } finally {
        await a.close();
        await b.close();
      }
    });

    test('a series that keeps failing fails the run; the others are stored; the next run repairs it', async () => {
      const emu = await startEmulator({ seed: 8, events: 6, now: clock, port: 0 });
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        emu.addFault({ kind: '500', route: 'dataSeries', count: 3 });
        const failing = syncWorkspace({
          client: testClient(emu, { maxRetries: 2 }),
          db,
          workspace: 'r',
          now: clock,
          concurrency: 1,
        });
        await assert.rejects(failing, (e: unknown) => {
          assert.ok(e instanceof SyncFailedError);
          assert.equal(e.summary.status, 'failed');
          assert.equal(e.summary.failures.length, 1);
          assert.equal(e.summary.rowsInserted, 5 * 100);
          assert.match(e.message, /1 of 6 series failed/);
          return true;
        });
        const [run] = await db.query<{ status: string; error: string }>(
          'SELECT status, error FROM sync_runs',
        );
        assert.equal(run?.status, 'failed');
        assert.match(run?.error ?? '', /1 of 6 series failed/);
        const ok = await syncWorkspace({ client: testClient(emu), db, workspace: 'r', now: clock });
        assert.equal(ok.rowsInserted, 100);
        await assertGroundTruth(
          db,
          emu,
          'r',
          { events: emu.eventNames(), units: ['day'] },
          { day: bucketsAgo('day', 99) },
        );
      } finally {
        await db.close();
        await emu.close();
      }
    });

    test('a rejected key stops the run at once and records it', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        emulator.clearRequests();
        await assert.rejects(
          syncWorkspace({
            client: testClient(emulator, { apiKey: 'wrong-key-123456' }),
            db,
            workspace: 'k',
            now: clock,
          }),
          (e: unknown) => e instanceof SyncFailedError && /401|Invalid API key/.test(e.message),
        );
        assert.equal(emulator.requests().length, 1);
        const runs = await db.query<{ status: string; error: string }>(
          'SELECT status, error FROM sync_runs',
        );
        assert.equal(runs[0]?.status, 'failed');
        assert.ok(!JSON.stringify(runs).includes('wrong-key-123456'));
      } finally {
        await db.close();
      }
    });

    test('a day-bucket zone east of UTC: exact buckets; a run at another offset is refused, nothing written', async () => {
      // +05:30: the current local day began the previous UTC day, which a plan on UTC
      // day boundaries would split (it did: every series failed with a missing bucket).
      const zoned = await startEmulator({
        seed: 5,
        events: 3,
        now: clock,
        port: 0,
        zoneOffsetMinutes: 330,
      });
      const db = await openDatabase(await factory.fresh(dialect));
      const sync = (offset: number) =>
        syncWorkspace({
          client: testClient(zoned, { bucketUtcOffsetMinutes: offset }),
          db,
          workspace: 'ist',
          now: clock,
          bucketUtcOffsetMinutes: offset,
        });
      const runCount = async () =>
        (await db.query('SELECT id FROM sync_runs WHERE workspace = ?', ['ist'])).length;
      try {
        const first = await sync(330);
        assert.equal(first.status, 'succeeded');
        assert.equal(first.rowsInserted, 3 * 100);
        const stored = await storedSeries(db, 'ist');
        for (const event of zoned.eventNames()) {
          const rows = stored.get(JSON.stringify([event, 'day', '', ''])) ?? [];
          assert.deepEqual(
            rows.map((r) => ({ time: r.time, count: r.count })),
            zoned.groundTruth({ event, unit: 'day', length: 100, endingAt: NOW }),
          );
          for (const r of rows) {
            assert.equal(r.bucket_start, new Date(`${r.time}T00:00:00+05:30`).toISOString());
          }
        }

        zoned.clearRequests();
        await assert.rejects(sync(0), (e: unknown) => {
          assert.ok(e instanceof SyncOffsetMismatchError);
          assert.match(
            e.message,
            /holds day buckets at UTC\+05:30, this run reads them at UTC\+00:00/,
          );
          return true;
        });
        assert.equal(zoned.requests().length, 0, 'refused before any request');
        assert.equal(await runCount(), 1, 'and before any write');

        // A database from before offsets were recorded: the stored day rows tell.
        await db.exec('DELETE FROM workspace_settings');
        await assert.rejects(sync(-300), /holds day buckets at UTC\+05:30/);
        assert.equal((await sync(330)).status, 'succeeded', 'the lock was released');
        assert.equal(await runCount(), 2);

        // An offset recorded by a run that stored nothing does not bind the next one.
        await db.exec(
          'INSERT INTO workspace_settings (workspace, bucket_utc_offset_minutes, updated_at) VALUES (?, ?, ?)',
          ['empty', 0, new Date(NOW).toISOString()],
        );
        const other = await syncWorkspace({
          client: testClient(zoned, { bucketUtcOffsetMinutes: 330 }),
          db,
          workspace: 'empty',
          now: clock,
          bucketUtcOffsetMinutes: 330,
        });
        assert.equal(other.status, 'succeeded');
        const [setting] = await db.query<{ bucket_utc_offset_minutes: number }>(
          'SELECT bucket_utc_offset_minutes FROM workspace_settings WHERE workspace = ?',
          ['empty'],
        );
        assert.equal(Number(setting?.bucket_utc_offset_minutes), 330);
      } finally {
        await db.close();
        await zoned.close();
      }
    });

    test('hour alignment: recorded with the offset; a run on the other alignment is refused, nothing sent or written', async () => {
      // +05:30 on local hours, then the same workspace on UTC hours: unchecked, the last
      // day held its hours twice (25 rows at :00 and 24 at :30).
      const zoned = await startEmulator({
        seed: 6,
        events: 2,
        now: clock,
        port: 0,
        zoneOffsetMinutes: 330,
      });
      const db = await openDatabase(await factory.fresh(dialect));
      const sync = (hourBuckets: 'local' | 'utc') =>
        syncWorkspace({
          client: testClient(zoned, { bucketUtcOffsetMinutes: 330, hourBuckets }),
          db,
          workspace: 'ist',
          units: ['day', 'hour'],
          now: clock,
          bucketUtcOffsetMinutes: 330,
          hourBuckets,
        });
      const runCount = async () =>
        (await db.query('SELECT id FROM sync_runs WHERE workspace = ?', ['ist'])).length;
      const recorded = async (workspace = 'ist') =>
        (
          await db.query<{ hour_buckets: string | null }>(
            'SELECT hour_buckets FROM workspace_settings WHERE workspace = ?',
            [workspace],
          )
        )[0]?.hour_buckets;
      try {
        assert.equal((await sync('local')).status, 'succeeded');
        assert.equal(await recorded(), 'local');
        const rowsBefore = await db.query('SELECT bucket_start FROM event_counts');

        zoned.clearRequests();
        await assert.rejects(sync('utc'), (e: unknown) => {
          assert.ok(e instanceof SyncHourBucketsMismatchError, String(e));
          assert.equal(e.storedHourBuckets, 'local');
          assert.equal(e.requestedHourBuckets, 'utc');
          assert.match(
            e.message,
            /^workspace "ist" holds hour buckets on local hours at UTC\+05:30, this run reads them on UTC hours; nothing was done: sync with hourBuckets local, or into another workspace or database$/,
          );
          return true;
        });
        assert.equal(zoned.requests().length, 0, 'refused before any request');
        assert.equal(await runCount(), 1, 'and before any write');
        assert.deepEqual(await db.query('SELECT bucket_start FROM event_counts'), rowsBefore);
        assert.equal(await recorded(), 'local');

        // Recorded before the column existed: those runs could only read local hours.
        await db.exec('UPDATE workspace_settings SET hour_buckets = NULL');
        await assert.rejects(sync('utc'), SyncHourBucketsMismatchError);
        assert.equal((await sync('local')).status, 'succeeded', 'the lock was released');
        assert.equal(await recorded(), 'local', 'and the alignment is now recorded');

        // A workspace holding no hour rows yet is not bound by an alignment.
        await syncWorkspace({
          client: testClient(zoned, { bucketUtcOffsetMinutes: 330 }),
          db,
          workspace: 'days',
          now: clock,
          bucketUtcOffsetMinutes: 330,
        });
        assert.equal(await recorded('days'), 'local');
        const days = await syncWorkspace({
          client: testClient(zoned, { bucketUtcOffsetMinutes: 330, hourBuckets: 'utc' }),
          db,
          workspace: 'days',
          now: clock,
          bucketUtcOffsetMinutes: 330,
          hourBuckets: 'utc',
        });
        assert.equal(days.status, 'succeeded');
        assert.equal(await recorded('days'), 'utc');
      } finally {
        await db.close();
        await zoned.close();
      }
    });

    test("hour answers off the zone's hour edges are refused, strict or lenient: nothing stored", async () => {
      // The emulator on UTC hours, the client on local hours at +05:30: every start is
      // 30 minutes off the client's edges, yet adjacent, so an adjacency check passes.
      const zoned = await startEmulator({
        seed: 7,
        events: 2,
        now: clock,
        port: 0,
        zoneOffsetMinutes: 330,
        hourBuckets: 'utc',
      });
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        for (const seriesCompleteness of ['strict', 'lenient'] as const) {
          const workspace = `misaligned-${seriesCompleteness}`;
          await assert.rejects(
            syncWorkspace({
              client: testClient(zoned, {
                bucketUtcOffsetMinutes: 330,
                hourBuckets: 'local',
                maxRetries: 1,
                seriesCompleteness,
              }),
              db,
              workspace,
              units: ['hour'],
              now: clock,
              bucketUtcOffsetMinutes: 330,
            }),
            (e: unknown) => {
              assert.ok(e instanceof SyncFailedError, String(e));
              assert.equal(e.summary.failures.length, 2);
              for (const f of e.summary.failures) {
                assert.match(f.error, /not on the hour edges of UTC\+05:30 \(local hours\)/);
              }
              return true;
            },
          );
          const rows = await db.query('SELECT 1 AS one FROM event_counts WHERE workspace = ?', [
            workspace,
          ]);
          assert.equal(rows.length, 0, seriesCompleteness);
        }
      } finally {
        await db.close();
        await zoned.close();
      }
    });

    test('bad options fail before any request', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const client = testClient(emulator);
        emulator.clearRequests();
        const bad: Array<Partial<Parameters<typeof syncWorkspace>[0]>> = [
          { units: [] },
          { units: ['week' as 'day'] },
          { concurrency: 0 },
          { lookback: -1 },
          { since: new Date(NOW + 86_400_000) },
          { events: ['a'], match: 'b*' },
          { workspace: '' },
          { bucketUtcOffsetMinutes: 18 * 60 + 1 },
          { bucketUtcOffsetMinutes: 1.5 },
        ];
        for (const b of bad) {
          await assert.rejects(
            syncWorkspace({ client, db, workspace: 'v', now: clock, ...b }),
            (e: unknown) => e instanceof TypeError || e instanceof RangeError,
          );
        }
        assert.equal(emulator.requests().length, 0);
      } finally {
        await db.close();
      }
    });
  });
}

test('an interrupted run is recorded as such by the next run (sqlite)', async () => {
  const emulator = await startEmulator({ seed: 2, events: 5, now: clock, port: 0 });
  const db: Database = await openDatabase(await factory.fresh('sqlite'), { migrate: true });
  try {
    await db.exec(
      `INSERT INTO sync_runs (workspace, started_at, status, units) VALUES ('w', ?, 'running', 'day')`,
      [new Date(NOW)],
    );
    // a lock row left by a process that no longer exists
    await db.exec(
      'INSERT INTO sync_locks (name, token, pid, host, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)',
      [
        'sync:w',
        'dead',
        2 ** 22 + 12345,
        (await import('node:os')).hostname(),
        new Date().toISOString(),
        new Date().toISOString(),
      ],
    );
    const s = await syncWorkspace({ client: testClient(emulator), db, workspace: 'w', now: clock });
    assert.equal(s.interruptedRuns, 1);
    const runs = await db.query<{ status: string }>('SELECT status FROM sync_runs ORDER BY id');
    assert.deepEqual(
      runs.map((r) => r.status),
      ['interrupted', 'succeeded'],
    );
  } finally {
    await db.close();
    await emulator.close();
  }
});
