/**
 * Migration 3 (the compact schema) in place: a database written by the previous schema
 * (migrations 1–2, exactly as the last release ran them) keeps every count and row, and
 * every query documented in src/sync/README.md returns the same rows before and after.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, describe, test } from 'node:test';
import { runMigrations } from '../../src/sync/db/migrate.js';
import { MIGRATIONS } from '../../src/sync/db/migrations.js';
import { openDatabase } from '../../src/sync/db/open.js';
import type { Database, SqlValue } from '../../src/sync/db/types.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';
import { assertBlocksAgree } from './harness.js';

const factory = createDatabaseFactory();
after(() => factory.close());

/** Every statement of every ```sql block of the schema's README. */
async function documentedQueries(): Promise<string[]> {
  const text = await readFile(new URL('../../src/sync/README.md', import.meta.url), 'utf8');
  const blocks = [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((b) => b.split(';'))
    .map((q) => q.replace(/--.*$/gm, '').trim())
    .filter((q) => q.length > 0);
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Rows as the previous release's sync wrote them: several workspaces, units, breakdowns. */
async function seedPreviousRelease(db: Database): Promise<number> {
  const rows: SqlValue[][] = [];
  const marks: SqlValue[][] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  const base = Date.UTC(2026, 9, 1);
  const fetched = (i: number) => iso(base + 40 * DAY + i * 7 + 123);
  const series = [
    // workspace, event, unit, app, segment, offset (minutes), hour text form
    ['default', 'Purchase Completed', 'day', '', '', 0],
    ['default', 'Purchase Completed', 'day', 'app-1', '', 0],
    ['default', 'Purchase Completed', 'hour', '', '', 0],
    ['default', 'Signup', 'day', '', 'seg-9', 0],
    ['default', 'Signup', 'hour', '', '', 0],
    ['east', 'Purchase Completed', 'day', '', '', 330],
    ['east', 'Purchase Completed', 'hour', '', '', 330],
    ['west', 'Ünïcode ✓ event', 'day', '', '', -300],
  ] as const;
  let i = 0;
  for (const [workspace, event, unit, app, segment, offset] of series) {
    const size = unit === 'day' ? DAY : HOUR;
    const n = unit === 'day' ? 40 : 50;
    const first = base - offset * 60_000;
    for (let b = 0; b < n; b++) {
      const start = first + b * size;
      const local = new Date(start + offset * 60_000).toISOString();
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset);
      const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      // Braze's hour text in several forms: only the canonical one is derivable.
      const time =
        unit === 'day'
          ? local.slice(0, 10)
          : b % 3 === 0
            ? `${iso(start).slice(0, 19)}Z`
            : b % 3 === 1
              ? iso(start)
              : local.slice(0, 19) + zone;
      rows.push([
        workspace,
        event,
        unit,
        app,
        segment,
        time,
        iso(start),
        (b * 37 + i) % 1000,
        fetched(i),
      ]);
      i += 1;
    }
    marks.push([
      workspace,
      event,
      unit,
      app,
      segment,
      iso(first + (n - 1) * size),
      iso(first + (n - 2) * size),
      fetched(i),
    ]);
  }
  // A series with counts but no watermark (loaded by another tool) and one the other way.
  rows.push([
    'default',
    'Loaded Elsewhere',
    'day',
    '',
    '',
    '2026-10-05',
    iso(base + 4 * DAY),
    5,
    iso(base),
  ]);
  marks.push(['default', 'No Rows Yet', 'day', '', '', iso(base), null, iso(base)]);
  await db.transaction(async (tx) => {
    for (const r of rows) {
      await tx.exec(
        'INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        r,
      );
    }
    for (const m of marks) {
      await tx.exec(
        'INSERT INTO series_watermarks (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        m,
      );
    }
    for (const [workspace, offset] of [
      ['default', 0],
      ['east', 330],
      ['west', -300],
    ] as const) {
      await tx.exec(
        'INSERT INTO workspace_settings (workspace, bucket_utc_offset_minutes, updated_at) VALUES (?, ?, ?)',
        [workspace, offset, iso(base)],
      );
    }
  });
  return rows.length;
}

const ALL_COUNTS =
  'SELECT * FROM event_counts ORDER BY workspace, event, unit, app_id, segment_id, bucket_start';
const ALL_MARKS =
  'SELECT * FROM series_watermarks ORDER BY workspace, event, unit, app_id, segment_id';

for (const dialect of DIALECTS) {
  describe(`migration 3, compact schema (${dialect})`, () => {
    test('a database of the previous release migrates in place: every row, every documented query', async () => {
      const queries = await documentedQueries();
      assert.ok(queries.length >= 1, 'src/sync/README.md documents queries');
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        const previous = MIGRATIONS.filter((m) => m.version <= 2);
        assert.deepEqual(await runMigrations(db, previous), [1, 2]);
        const seeded = await seedPreviousRelease(db);
        const before = {
          counts: await db.query(ALL_COUNTS),
          marks: await db.query(ALL_MARKS),
          documented: await Promise.all(queries.map((q) => db.query(q))),
        };
        assert.equal(before.counts.length, seeded);
        assert.ok(
          before.documented.every((rows) => rows.length > 0),
          'the queries find rows',
        );

        // 3 compacts the counts; 4 (hour alignment), 5 (count blocks), 6 (the run
        // heartbeat), 7 (precomputed overviews), 8 (the data-change counter, stored overview
        // orders) and 9 (the blocks' triggers read series by key) follow.
        assert.deepEqual(await db.migrate(), [3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert.deepEqual(await db.query(ALL_COUNTS), before.counts);
        // Migration 5 built the rollups of every migrated count.
        await assertBlocksAgree(db);
        assert.deepEqual(await db.query(ALL_MARKS), before.marks);
        for (const [n, q] of queries.entries()) {
          assert.deepEqual(await db.query(q), before.documented[n], q);
        }
        // The compact tables hold it: derivable text is not stored, the rest is.
        const [stored] = await db.query<{ n: number; texts: number }>(
          'SELECT count(*) AS n, count(time) AS texts FROM counts',
        );
        assert.equal(Number(stored!.n), seeded);
        // Day text is always derivable; of each 50-hour series, the 34 rows in a form other
        // than the canonical `±HH:MM` one keep their text.
        assert.equal(Number(stored!.texts), 3 * 34);
      } finally {
        await db.close();
      }
    });

    test('the views stay writable like the tables were: insert, update, delete, duplicate refused', async () => {
      const db = await openDatabase(await factory.fresh(dialect), { migrate: true });
      try {
        const insert =
          'INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
        const row = [
          'w',
          'e',
          'day',
          '',
          '',
          '2026-11-01',
          '2026-11-01T00:00:00.000Z',
          4,
          '2026-11-02T03:04:05.678Z',
        ];
        await db.exec(insert, row);
        await assert.rejects(db.exec(insert, row), /unique|duplicate/i);
        await db.exec(insert, [
          ...row.slice(0, 5),
          '2026-11-02',
          '2026-11-02T00:00:00.000Z',
          7,
          row[8]!,
        ]);
        await assertBlocksAgree(db);
        await db.exec(
          "UPDATE event_counts SET count = count + 1000, time = 'x' WHERE event = 'e' AND bucket_start = '2026-11-01T00:00:00.000Z'",
        );
        assert.deepEqual(
          await db.query('SELECT time, count, fetched_at FROM event_counts ORDER BY bucket_start'),
          [
            { time: 'x', count: 1004, fetched_at: '2026-11-02T03:04:05.678Z' },
            { time: '2026-11-02', count: 7, fetched_at: '2026-11-02T03:04:05.678Z' },
          ],
        );
        await assertBlocksAgree(db);
        await db.exec(
          'INSERT INTO series_watermarks (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          ['w', 'e', 'day', '', '', '2026-11-01T00:00:00.000Z', null, '2026-11-02T00:00:00.000Z'],
        );
        await assert.rejects(
          db.exec(
            "INSERT INTO series_watermarks (workspace, event, unit, app_id, segment_id, synced_through, updated_at) VALUES ('w', 'e', 'day', '', '', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')",
          ),
          /unique|duplicate/i,
        );
        await db.exec('DELETE FROM series_watermarks');
        await db.exec("DELETE FROM event_counts WHERE bucket_start = '2026-11-01T00:00:00.000Z'");
        await assertBlocksAgree(db);
        await db.exec('DELETE FROM event_counts');
        assert.deepEqual(await db.query('SELECT * FROM series_watermarks'), []);
        assert.deepEqual(await db.query('SELECT * FROM counts'), []);
        // A block left without rows is gone, not kept at zero.
        assert.deepEqual(await db.query('SELECT * FROM count_blocks'), []);
      } finally {
        await db.close();
      }
    });
  });
}
