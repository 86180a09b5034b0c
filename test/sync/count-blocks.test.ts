/**
 * The rollups (`count_blocks`) stay equal to a recomputation from `counts` whatever writes
 * the counts: the sync's window upserts (new rows, changed rows, restatements of part of a
 * window, windows of several series at once on several connections), statements that
 * touch many series at once, rows moved between blocks, deletes that empty a block, and
 * the `event_counts` view. On both dialects, on a fresh database and on one whose blocks
 * were written by the triggers of an earlier schema version.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Unit } from '../../src/api/constants.js';
import { UNIT_MS } from '../../src/api/constants.js';
import { BLOCK_SECONDS } from '../../src/sync/db/count-blocks.js';
import { type Database, openDatabase } from '../../src/sync/db/index.js';
import { runMigrations } from '../../src/sync/db/migrate.js';
import { MIGRATIONS } from '../../src/sync/db/migrations.js';
import { writeWindow } from '../../src/sync/store/counts.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';
import { assertBlocksAgree } from './harness.js';

const factory = createDatabaseFactory();
after(() => factory.close());

/** A fixed day boundary; every window below is placed relative to it. */
const END = Date.UTC(2026, 5, 1);

/** `n` buckets of `unit` ending at `END - shift` buckets, counts from `countOf(i)`. */
function buckets(unit: Unit, n: number, shift: number, countOf: (i: number) => number) {
  const size = UNIT_MS[unit];
  return Array.from({ length: n }, (_, i) => {
    const iso = new Date(END - (n + shift - i) * size).toISOString();
    return {
      time: unit === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 19)}+00:00`,
      bucketStart: iso,
      count: countOf(i),
    };
  });
}

async function write(
  db: Database,
  workspace: string,
  event: string,
  unit: Unit,
  list: ReturnType<typeof buckets>,
): Promise<{ inserted: number; updated: number }> {
  const { inserted, updated } = await writeWindow(db, {
    workspace,
    key: { event, unit, appId: '', segmentId: '' },
    buckets: list,
    fetchedAt: new Date(END),
  });
  return { inserted, updated };
}

async function blockCount(db: Database): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM count_blocks');
  return Number(row!.n);
}

async function seriesId(
  db: Database,
  workspace: string,
  event: string,
  unit: Unit,
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    'SELECT id FROM series WHERE workspace = ? AND event = ? AND unit = ?',
    [workspace, event, unit],
  );
  return Number(row!.id);
}

/** Every kind of write, each followed by the comparison with a recomputation. */
async function writeEverything(db: Database, ws: string): Promise<void> {
  // New rows: windows crossing block edges (16 days, 1 day), in both units.
  for (const [event, unit, n] of [
    ['A', 'day', 100],
    ['B', 'day', 40],
    ['A', 'hour', 100],
  ] as const) {
    const r = await write(
      db,
      ws,
      event,
      unit,
      buckets(unit, n, 0, (i) => i * 3 + 1),
    );
    assert.deepEqual(r, { inserted: n, updated: 0 });
  }
  await assertBlocksAgree(db);
  assert.ok((await blockCount(db)) >= 7 + 3 + 5, 'the windows span many blocks');

  // Changed rows: every count of a window, then a restatement of part of one (some
  // buckets changed, some not, some new beyond the stored ones).
  assert.deepEqual(
    await write(
      db,
      ws,
      'A',
      'day',
      buckets('day', 100, 0, (i) => i * 3 + 2),
    ),
    { inserted: 0, updated: 100 },
  );
  await assertBlocksAgree(db);
  assert.deepEqual(
    await write(
      db,
      ws,
      'A',
      'hour',
      buckets('hour', 60, -20, (i) => (i % 2 === 0 ? i * 5 : 0)),
    ),
    { inserted: 20, updated: 40 },
  );
  await assertBlocksAgree(db);
  // A restatement to zero keeps the buckets in their blocks (with a zero total).
  await write(
    db,
    ws,
    'B',
    'day',
    buckets('day', 40, 0, () => 0),
  );
  await assertBlocksAgree(db);

  // Four windows of different series at once, each on its own connection (PostgreSQL).
  await Promise.all(
    ['C', 'D', 'E', 'F'].map((event, k) =>
      write(
        db,
        ws,
        event,
        'day',
        buckets('day', 100, k, (i) => i + k),
      ),
    ),
  );
  await Promise.all(
    ['C', 'D', 'E', 'F'].map((event, k) =>
      write(
        db,
        ws,
        event,
        'day',
        buckets('day', 100, k, (i) => 2 * i + k),
      ),
    ),
  );
  await assertBlocksAgree(db);

  // One statement over many series: updates, a move into other blocks, deletes.
  await db.exec('UPDATE counts SET count = count * 2 + 1 WHERE (bucket_start / 3600) % 3 = 0');
  await assertBlocksAgree(db);
  const a = await seriesId(db, ws, 'A', 'day');
  const shift = BLOCK_SECONDS.day * 40;
  await db.exec('UPDATE counts SET bucket_start = bucket_start + ? WHERE series_id = ?', [
    shift,
    a,
  ]);
  await assertBlocksAgree(db);
  const before = await blockCount(db);
  await db.exec('DELETE FROM counts WHERE series_id = ? AND bucket_start < ?', [
    a,
    END / 1000 + shift - 30 * 86_400,
  ]);
  await assertBlocksAgree(db);
  assert.ok((await blockCount(db)) < before, 'emptied blocks are deleted');
  await db.exec('DELETE FROM counts WHERE (bucket_start / 86400) % 2 = 0');
  await assertBlocksAgree(db);

  // The event_counts view writes through its own triggers into counts.
  await db.exec(
    `INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at)
     VALUES (?, 'G', 'day', '', '', '2026-01-02', '2026-01-02T00:00:00.000Z', 7, '2026-06-01T00:00:00.000Z')`,
    [ws],
  );
  await db.exec(
    `UPDATE event_counts SET count = 9, bucket_start = '2026-03-02T00:00:00.000Z', time = '2026-03-02'
      WHERE workspace = ? AND event = 'G'`,
    [ws],
  );
  await assertBlocksAgree(db);
  await db.exec("DELETE FROM event_counts WHERE workspace = ? AND event IN ('G', 'C')", [ws]);
  await assertBlocksAgree(db);
  const [total] = await db.query<{ rows: number; blocks: number }>(
    `SELECT (SELECT count(*) FROM counts) AS rows,
            (SELECT sum(buckets) FROM count_blocks) AS blocks`,
  );
  assert.ok(Number(total!.rows) > 0, 'rows are left to compare');
  assert.equal(Number(total!.blocks), Number(total!.rows));
}

for (const dialect of DIALECTS) {
  describe(`count_blocks rollups (${dialect})`, () => {
    test('equal a recomputation from counts after inserts, updates, restatements and deletes', async () => {
      const db = await openDatabase(await factory.fresh(dialect), { migrate: true });
      try {
        await writeEverything(db, 'w');
      } finally {
        await db.close();
      }
    });

    test('stay exact across migration 9, on blocks the earlier triggers wrote', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        await runMigrations(
          db,
          // Every migration before 9 (8, the data-change counter, came from another branch).
          MIGRATIONS.filter((m) => m.version < 9),
        );
        await write(
          db,
          'before',
          'A',
          'day',
          buckets('day', 100, 0, (i) => i + 1),
        );
        await write(
          db,
          'before',
          'A',
          'hour',
          buckets('hour', 50, 0, (i) => i + 1),
        );
        await write(
          db,
          'before',
          'A',
          'day',
          buckets('day', 50, 0, (i) => 2 * i),
        );
        await assertBlocksAgree(db);
        assert.deepEqual(await db.migrate(), [9, 10, 11]);
        await assertBlocksAgree(db);
        await writeEverything(db, 'after');
      } finally {
        await db.close();
      }
    });
  });
}
