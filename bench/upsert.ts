/**
 * Upsert throughput of the sync's own write path (`writeWindow`: diff against stored rows,
 * multi-row INSERT … ON CONFLICT, watermark), one transaction per 100-bucket window as a
 * sync commits them: first as inserts, then again with every count changed (updates).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../src/sync/db/types.js';
import { startTestPostgres } from '../test/helpers/postgres.js';
import { counts, sync } from './dist.js';
import { type Figure, timed } from './lib.js';

const DAY = 86_400_000;
const BUCKETS = 100;

async function upsertAll(db: Database, series: number, bump: number): Promise<number> {
  const end = Date.UTC(2026, 10, 1);
  let written = 0;
  for (let s = 0; s < series; s++) {
    const buckets: { time: string; bucketStart: string; count: number }[] = [];
    for (let b = 0; b < BUCKETS; b++) {
      const ms = end - (BUCKETS - b) * DAY;
      const iso = new Date(ms).toISOString();
      buckets.push({ time: iso.slice(0, 10), bucketStart: iso, count: s * 7 + b + bump });
    }
    const key = { event: `Event ${s}`, unit: 'day' as const, appId: '', segmentId: '' };
    const result = await db.transaction((tx) =>
      counts.writeWindow(tx, { workspace: 'bench', key, buckets, fetchedAt: new Date(end) }),
    );
    written += result.inserted + result.updated;
  }
  return written;
}

async function measure(dialect: string, url: string, series: number): Promise<Figure[]> {
  const db = await sync.openDatabase(url);
  try {
    await db.migrate();
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
    return [
      {
        name: `${dialect} upsert, new rows`,
        value: rate(inserted, insertMs),
        unit: 'rows/s',
        detail: { rows: inserted, ms: Math.round(insertMs), rowsPerTransaction: BUCKETS },
      },
      {
        name: `${dialect} upsert, changed rows`,
        value: rate(updated, updateMs),
        unit: 'rows/s',
        detail: { rows: updated, ms: Math.round(updateMs), rowsPerTransaction: BUCKETS },
      },
    ];
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
  } finally {
    await pg.stop();
  }
  return figures;
}
