/**
 * Upsert throughput of the sync's own write path (`writeWindow`: SQLite diffs against
 * stored rows and writes multi-row upserts in one transaction, PostgreSQL one `unnest`
 * statement per window, its own transaction: a plain INSERT into a series it creates,
 * INSERT … ON CONFLICT otherwise), one commit per 100-bucket window as a sync commits
 * them: first as inserts, then again with every count changed (updates). Then the bytes each stored count
 * takes (issue 16): SQLite's whole file after VACUUM, PostgreSQL's `counts` table with its
 * primary-key index after VACUUM FULL, each divided by the stored counts.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../src/sync/db/types.js';
import { startTestPostgres } from '../test/helpers/postgres.js';
import { counts, migrate, migrations, sync } from './dist.js';
import { type Figure, timed } from './lib.js';

const DAY = 86_400_000;
const BUCKETS = 100;

/** Writes `series` windows, `concurrency` series at a time as the sync's pool does. */
async function upsertAll(
  db: Database,
  series: number,
  bump: number,
  concurrency = 1,
  workspace = 'bench',
): Promise<number> {
  const end = Date.UTC(2026, 10, 1);
  let written = 0;
  let next = 0;
  const worker = async () => {
    for (let s = next++; s < series; s = next++) await one(s);
  };
  const one = async (s: number) => {
    const buckets: { time: string; bucketStart: string; count: number }[] = [];
    for (let b = 0; b < BUCKETS; b++) {
      const ms = end - (BUCKETS - b) * DAY;
      const iso = new Date(ms).toISOString();
      buckets.push({ time: iso.slice(0, 10), bucketStart: iso, count: s * 7 + b + bump });
    }
    const key = { event: `Event ${s}`, unit: 'day' as const, appId: '', segmentId: '' };
    const result = await counts.writeWindow(db, {
      workspace,
      key,
      buckets,
      fetchedAt: new Date(end),
    });
    written += result.inserted + result.updated;
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return written;
}

async function bytesPerCount(db: Database, dialect: string, url: string): Promise<Figure> {
  const [stored] = await db.query<{ n: number }>('SELECT count(*) AS n FROM counts');
  const rows = Number(stored!.n);
  let bytes: number;
  let what: string;
  if (db.dialect === 'sqlite') {
    await db.exec('VACUUM');
    bytes = (await stat(url)).size;
    what = 'whole file after VACUUM';
  } else {
    await db.exec('VACUUM FULL counts');
    const [row] = await db.query<{ bytes: number }>(
      "SELECT pg_total_relation_size('counts') AS bytes",
    );
    bytes = Number(row!.bytes);
    what = 'counts heap + primary-key index after VACUUM FULL';
  }
  const value = Math.round((bytes / rows) * 10) / 10;
  return {
    name: `${dialect} bytes per stored count`,
    value,
    unit: 'B',
    ...(db.dialect === 'sqlite' ? { target: '≤ 40 B', pass: value <= 40 } : {}),
    detail: { bytes, counts: rows, measured: what },
  };
}

async function measure(
  dialect: string,
  url: string,
  series: number,
  schema?: number,
): Promise<Figure[]> {
  const db = await sync.openDatabase(url);
  try {
    if (schema === undefined) await db.migrate();
    else {
      await migrate.runMigrations(
        db,
        migrations.MIGRATIONS.filter((m) => m.version <= schema),
      );
      dialect = `${dialect} (schema ${schema}, no rollups)`;
    }
    let inserted = 0;
    let updated = 0;
    const insertMs = await timed(async () => {
      inserted = await upsertAll(db, series, 0);
    });
    const updateMs = await timed(async () => {
      updated = await upsertAll(db, series, 1);
    });
    if (inserted !== series * BUCKETS || updated !== series * BUCKETS) {
      throw new Error(
        `${dialect}: wrote ${inserted}/${updated} rows, expected ${series * BUCKETS}`,
      );
    }
    const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000);
    // Issue 16's target is for PostgreSQL; SQLite's figure is shown beside it.
    const target = dialect === 'PostgreSQL' ? { target: '≥ 100,000 rows/s' } : {};
    const pass = (value: number) => (dialect === 'PostgreSQL' ? { pass: value >= 100_000 } : {});
    if (schema !== undefined) {
      // Only the side-by-side price of the rollup triggers (migration 5).
      return [
        { name: `${dialect} upsert, new rows`, value: rate(inserted, insertMs), unit: 'rows/s' },
        { name: `${dialect} upsert, changed rows`, value: rate(updated, updateMs), unit: 'rows/s' },
      ];
    }
    const figures: Figure[] = [
      {
        name: `${dialect} upsert, new rows`,
        value: rate(inserted, insertMs),
        unit: 'rows/s',
        ...target,
        ...pass(rate(inserted, insertMs)),
        detail: { rows: inserted, ms: Math.round(insertMs), rowsPerTransaction: BUCKETS },
      },
      {
        name: `${dialect} upsert, changed rows`,
        value: rate(updated, updateMs),
        unit: 'rows/s',
        ...target,
        ...pass(rate(updated, updateMs)),
        detail: { rows: updated, ms: Math.round(updateMs), rowsPerTransaction: BUCKETS },
      },
    ];
    if (db.dialect === 'postgres') {
      // A sync writes DEFAULT_SYNC_CONCURRENCY series at once, each on its own connection.
      const concurrency = sync.DEFAULT_SYNC_CONCURRENCY;
      for (const [what, bump] of [
        ['new', 0],
        ['changed', 1],
      ] as const) {
        let rows = 0;
        const ms = await timed(async () => {
          rows = await upsertAll(db, series, bump, concurrency, 'bench-concurrent');
        });
        figures.push({
          name: `${dialect} upsert, ${what} rows, ${concurrency} series at once`,
          value: rate(rows, ms),
          unit: 'rows/s',
          ...target,
          ...pass(rate(rows, ms)),
          detail: { rows, ms: Math.round(ms), rowsPerTransaction: BUCKETS, concurrency },
        });
      }
    }
    figures.push(await bytesPerCount(db, dialect, url));
    return figures;
  } finally {
    await db.close();
  }
}

export async function benchUpsert(series: number): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'braze-bench-db-'));
  const figures: Figure[] = [];
  try {
    figures.push(...(await measure('SQLite', join(dir, 'upsert.db'), series)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const pg = await startTestPostgres();
  try {
    figures.push(...(await measure('PostgreSQL', await pg.createDatabase('bench'), series)));
    figures.push(...(await measure('PostgreSQL', await pg.createDatabase('bench4'), series, 4)));
  } finally {
    await pg.stop();
  }
  return figures;
}
