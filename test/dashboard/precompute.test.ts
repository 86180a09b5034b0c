/**
 * The precomputed overviews (src/dashboard/precompute.ts) answer exactly what the live
 * computation answers for the same range, on both dialects, for a workspace whose days
 * start at +05:30: every sort and direction, a search, the anomalies filter and a page in
 * the middle. A sync that commits and stops before the precompute step (as a process
 * killed between them would) leaves a stale precompute that is not used; the next
 * precompute answers the new counts. So do counts another tool writes straight into the
 * database, with no sync: the change counter (migration 8) moves with them.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { handleApi } from '../../src/dashboard/api.js';
import { parseOverviewPage } from '../../src/dashboard/overview-page.js';
import {
  precomputeOverviews,
  readPrecomputed,
  readStoredFindings,
} from '../../src/dashboard/precompute.js';
import { listWorkspaces, listWorkspaceZones } from '../../src/dashboard/queries.js';
import { startEmulator } from '../../src/emulator/index.js';
import { type Database, openDatabase, syncWorkspace } from '../../src/sync/index.js';
import { createDatabaseFactory, DIALECTS } from '../sync/databases.js';
import { clock, testClient } from '../sync/harness.js';

const factory = createDatabaseFactory();
after(() => factory.close());

const OFFSET = 330;

/** Every overview request compared: the precomputed ranges with every sort and filter. */
const REQUESTS: string[] = [];
for (const range of ['unit=day', 'unit=day&days=365', 'unit=hour']) {
  for (const sort of ['event', 'total', 'previous', 'change', 'status']) {
    for (const dir of ['asc', 'desc']) REQUESTS.push(`${range}&sort=${sort}&dir=${dir}`);
  }
  REQUESTS.push(
    `${range}&q=E&sort=total`,
    `${range}&q=*e*&sort=change`,
    `${range}&anomalies=1`,
    `${range}&offset=5&limit=7`,
  );
}

async function answers(db: Database): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const query of REQUESTS) {
    const res = await handleApi({ db, now: clock }, '/api/overview', new URLSearchParams(query));
    assert.equal(res.status, 200, query);
    out.push(JSON.parse(res.body));
  }
  // The anomaly findings (the dashboard's badges), stored with the overviews.
  for (const unit of ['day', 'hour']) {
    const res = await handleApi(
      { db, now: clock },
      '/api/anomalies',
      new URLSearchParams({ unit }),
    );
    assert.equal(res.status, 200, unit);
    out.push(JSON.parse(res.body));
  }
  return out;
}

const storedFindings = async (db: Database) =>
  (await readStoredFindings(db, 'ist', 'day')) !== null &&
  (await readStoredFindings(db, 'ist', 'hour')) !== null;

/** Whether the stored overview serves a request (else it is answered live). */
async function servedFromStore(db: Database, query: string): Promise<boolean> {
  const res = await handleApi({ db, now: clock }, '/api/overview', new URLSearchParams(query));
  const body = JSON.parse(res.body) as { unit: 'day' | 'hour'; from: string; to: string };
  const range = { from: Date.parse(body.from), to: Date.parse(body.to) };
  const page = parseOverviewPage(new URLSearchParams(query));
  return (await readPrecomputed(db, 'ist', body.unit, range, page)) !== null;
}

for (const dialect of DIALECTS) {
  describe(`precomputed overviews (${dialect})`, () => {
    test('equal the live answers, before and after a sync that changes counts', async () => {
      const emu = await startEmulator({
        seed: 7,
        events: 40,
        now: clock,
        port: 0,
        zoneOffsetMinutes: OFFSET,
      });
      const db = await openDatabase(await factory.fresh(dialect), { migrate: true });
      const sync = () =>
        syncWorkspace({
          client: testClient(emu, { bucketUtcOffsetMinutes: OFFSET }),
          db,
          workspace: 'ist',
          units: ['day', 'hour'],
          now: clock,
          bucketUtcOffsetMinutes: OFFSET,
        });
      try {
        await sync();
        // The per-request workspace list (index lookups) is the full one without its counts.
        assert.deepEqual(
          await listWorkspaceZones(db),
          (await listWorkspaces(db)).map((w) => ({
            ...w,
            units: Object.fromEntries(
              Object.entries(w.units).map(([unit, { series: _, ...marks }]) => [unit, marks]),
            ),
          })),
        );
        const live = await answers(db);
        assert.equal(await servedFromStore(db, 'unit=day'), false, 'nothing stored yet');
        assert.equal(await storedFindings(db), false);
        assert.equal(await precomputeOverviews(db, clock), 3);
        for (const query of ['unit=day', 'unit=day&days=365', 'unit=hour&sort=status']) {
          assert.equal(await servedFromStore(db, query), true, query);
        }
        assert.equal(await storedFindings(db), true);
        // A range not precomputed stays live.
        assert.equal(await servedFromStore(db, 'unit=day&days=7'), false);
        const stored = await answers(db);
        assert.deepEqual(stored, live);
        // The API really answers from the store: a stored total, marked, shows through.
        await db.exec(
          "UPDATE overview_rows SET total = total + 1000000007 WHERE workspace = 'ist' AND unit = 'day' AND days = 30",
        );
        const marked = await handleApi(
          { db, now: clock },
          '/api/overview',
          new URLSearchParams('unit=day&sort=total&dir=desc'),
        );
        const top = (JSON.parse(marked.body) as { events: { total: number }[] }).events[0];
        assert.ok(top !== undefined && top.total > 1_000_000_007, 'the stored row is served');
        await db.exec(
          "UPDATE overview_rows SET total = total - 1000000007 WHERE workspace = 'ist' AND unit = 'day' AND days = 30",
        );
        // So is its coverage (stored with the range; computing it probes every series).
        await db.exec(
          "UPDATE overview_ranges SET coverage_from = 0 WHERE workspace = 'ist' AND unit = 'day' AND days = 30",
        );
        const covered = await handleApi(
          { db, now: clock },
          '/api/overview',
          new URLSearchParams('unit=day'),
        );
        assert.equal(
          (JSON.parse(covered.body) as { coverage: { from: string | null } }).coverage.from,
          '1970-01-01T00:00:00.000Z',
          'the stored coverage is served',
        );
        await db.exec(
          `UPDATE overview_ranges SET coverage_from = ${Date.parse((live[0] as { coverage: { from: string } }).coverage.from) / 1000} WHERE workspace = 'ist' AND unit = 'day' AND days = 30`,
        );
        const anomalies = live[REQUESTS.indexOf('unit=day&anomalies=1')] as { matched: number };
        assert.ok(anomalies.matched > 0, 'the seeded anomalies are found');
        const searched = live[REQUESTS.indexOf('unit=day&q=E&sort=total')] as {
          matched: number;
          eventCount: number;
        };
        assert.ok(searched.matched > 0 && searched.matched < searched.eventCount);

        // A second sync rewrites restated days and stops before the precompute step.
        emu.restate({ days: 4, factor: 1.5 });
        const second = await sync();
        assert.ok(second.rowsUpdated > 0, 'the restated counts were rewritten');
        assert.equal(await servedFromStore(db, 'unit=day'), false, 'the stale store is not read');
        assert.equal(await storedFindings(db), false, 'the stale findings are not read');
        const relive = await answers(db);
        const summary = (a: unknown) => (a as { summary: { total: number } }).summary.total;
        assert.ok(summary(relive[0]) > summary(stored[0]), 'the new counts are answered');
        assert.equal(await precomputeOverviews(db, clock), 3);
        assert.equal(await servedFromStore(db, 'unit=day'), true);
        assert.equal(await storedFindings(db), true);
        assert.deepEqual(await answers(db), relive);
      } finally {
        await db.close();
        await emu.close();
      }
    });
  });
}

/** The overview's answer for a request, through the API with the server's cache. */
async function overview(db: Database, cache: Map<string, unknown>, query: string) {
  const res = await handleApi(
    { db, now: clock, cache },
    '/api/overview',
    new URLSearchParams(query),
  );
  assert.equal(res.status, 200, res.body);
  return JSON.parse(res.body) as {
    eventCount: number;
    from: string;
    summary: { total: number };
    events: { event: string; total: number }[];
  };
}

for (const dialect of DIALECTS) {
  describe(`precomputed overviews and counts written without a sync (${dialect})`, () => {
    test('counts written straight into the database show in the overview at once', async () => {
      const emu = await startEmulator({ seed: 11, events: 12, now: clock, port: 0 });
      const db = await openDatabase(await factory.fresh(dialect), { migrate: true });
      try {
        await syncWorkspace({
          client: testClient(emu),
          db,
          workspace: 'ist',
          units: ['day'],
          now: clock,
        });
        assert.equal(await precomputeOverviews(db, clock), 2);
        const cache = new Map<string, unknown>();
        const query = 'unit=day&sort=total&dir=desc&limit=1000';
        const before = await overview(db, cache, query);
        assert.equal(await servedFromStore(db, query), true, 'answered from the store');
        const [first] = before.events;
        assert.ok(first !== undefined);
        const bucket = Date.parse(before.from) / 1000;
        // Another tool's writes: one count raised in `counts`, one new event through the
        // `event_counts` view; no watermark moves, no sync runs.
        const raised = await db.exec(
          `UPDATE counts SET count = count + 1000000
            WHERE bucket_start = ? AND series_id = (SELECT id FROM series WHERE workspace = 'ist'
              AND event = ? AND unit = 'day' AND app_id = '' AND segment_id = '')`,
          [bucket, first.event],
        );
        assert.equal(raised.changes, 1);
        await db.exec(
          `INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at)
           VALUES ('ist', 'Written Elsewhere', 'day', '', '', ?, ?, 5, ?)`,
          [before.from.slice(0, 10), before.from, before.from],
        );
        const after = await overview(db, cache, query);
        assert.equal(await servedFromStore(db, query), false, 'the stored overview is not used');
        assert.equal(after.eventCount, before.eventCount + 1);
        assert.equal(after.summary.total, before.summary.total + 1_000_005);
        assert.deepEqual(
          [after.events[0]?.event, after.events[0]?.total],
          [first.event, first.total + 1_000_000],
        );
        assert.equal(after.events.find((e) => e.event === 'Written Elsewhere')?.total, 5);
        // The next precompute stores the new counts, and they are served from the store.
        assert.equal(await precomputeOverviews(db, clock), 2);
        assert.equal(await servedFromStore(db, query), true);
        assert.deepEqual(await overview(db, cache, query), after);
      } finally {
        await db.close();
        await emu.close();
      }
    });
  });
}
