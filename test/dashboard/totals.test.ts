/**
 * The overview's totals, read from whole rollup blocks plus edge rows, equal plain sums
 * over `counts` for ranges of every length and alignment (ranges cut on local days at any
 * offset, block edges crossed or not), on both dialects.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Unit } from '../../src/api/constants.js';
import { eventTotals } from '../../src/dashboard/queries.js';
import { previousRange } from '../../src/dashboard/range.js';
import { createDatabaseFactory, DIALECTS } from '../sync/databases.js';
import { assertBlocksAgree } from '../sync/harness.js';
import { DAY, HOUR, SEED_NOW, seedDatabase } from './seed.js';

const factory = createDatabaseFactory();
after(() => factory.close());

/** Sum and number of stored buckets of each event's total series in [from, to). */
async function plainSums(
  db: Awaited<ReturnType<typeof seedDatabase>>,
  unit: Unit,
  from: number,
  to: number,
): Promise<Map<string, { total: number; buckets: number }>> {
  const rows = await db.query<{ event: string; total: number; buckets: number }>(
    `SELECT s.event, SUM(c.count) AS total, COUNT(*) AS buckets FROM counts c
       JOIN series s ON s.id = c.series_id
      WHERE s.workspace = 'demo' AND s.unit = ? AND s.app_id = '' AND s.segment_id = ''
        AND c.bucket_start >= ? AND c.bucket_start < ?
      GROUP BY s.event`,
    [unit, from / 1000, to / 1000],
  );
  return new Map(
    rows.map((r) => [r.event, { total: Number(r.total), buckets: Number(r.buckets) }]),
  );
}

for (const dialect of DIALECTS) {
  describe(`overview totals from rollups (${dialect})`, () => {
    test('equal plain sums for ranges of any length and alignment', async () => {
      const db = await seedDatabase(await factory.fresh(dialect), { extraEvents: 6 });
      try {
        await assertBlocksAgree(db);
        const today = Math.floor(SEED_NOW / DAY) * DAY;
        const hour = Math.floor(SEED_NOW / HOUR) * HOUR;
        const cases: [Unit, number, number][] = [];
        // Day ranges: lengths around the 16-day block, ends on and off block edges, and
        // local days at +05:30 and −03:00 (bucket starts are UTC midnights here, so such a
        // range cuts between them exactly as a workspace at that offset would).
        for (const days of [1, 7, 15, 16, 17, 30, 31, 45, 59]) {
          for (const shift of [0, -DAY, -5 * DAY, 5.5 * HOUR, -3 * HOUR]) {
            const to = today + shift;
            cases.push(['day', to - days * DAY, to]);
          }
        }
        for (const hours of [1, 23, 24, 25, 47, 48, 49]) {
          for (const shift of [0, -HOUR, -13 * HOUR, 30 * 60_000]) {
            const to = hour + shift;
            cases.push(['hour', to - hours * HOUR, to]);
          }
        }
        for (const [unit, from, to] of cases) {
          const got = await eventTotals(db, 'demo', unit, { from, to });
          const prev = previousRange({ from, to });
          const cur = await plainSums(db, unit, from, to);
          const before = await plainSums(db, unit, prev.from, prev.to);
          const label = `${unit} ${new Date(from).toISOString()}…${new Date(to).toISOString()}`;
          const events = new Set([...cur.keys(), ...before.keys()]);
          assert.equal(got.length, events.size, label);
          assert.ok(got.length > 0, label);
          for (const e of got) {
            assert.equal(e.total, cur.get(e.event)?.total ?? 0, `${label} ${e.event} total`);
            assert.equal(e.previous, before.get(e.event)?.total ?? 0, `${label} ${e.event} prev`);
          }
        }
      } finally {
        await db.close();
      }
    });
  });
}
