/**
 * A window's write (`writeWindow`) is all or nothing with the run's counters, and on
 * PostgreSQL it is one statement that moves the data version exactly once (migration 11:
 * one bump per transaction, a rolled-back savepoint's bump undone with it).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { DATA_VERSION_SQL } from '../../src/sync/db/data-changes.js';
import { type Database, openDatabase } from '../../src/sync/db/index.js';
import { writeWindow } from '../../src/sync/store/counts.js';
import { startRun } from '../../src/sync/store/runs.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';

const factory = createDatabaseFactory();
after(() => factory.close());

const END = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;

/** `n` day buckets ending at END, counts `base + i`. */
function days(n: number, base: number) {
  return Array.from({ length: n }, (_, i) => {
    const iso = new Date(END - (n - i) * DAY).toISOString();
    return { time: iso.slice(0, 10), bucketStart: iso, count: base + i };
  });
}

const key = (event: string) => ({ event, unit: 'day' as const, appId: '', segmentId: '' });

async function dataVersion(db: Database): Promise<number> {
  const [row] = await db.query<{ v: number }>(DATA_VERSION_SQL);
  return Number(row!.v);
}

for (const dialect of DIALECTS) {
  describe(`writeWindow (${dialect})`, () => {
    test('records each window in its run: its rows added, request counters raised, in any commit order', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        await db.migrate();
        const id = await startRun(db, 'w', 'day', new Date(END));
        const run = async () => {
          const [row] = await db.query<Record<string, number>>(
            'SELECT requests, retries, rate_limited, rows_inserted, rows_updated FROM sync_runs WHERE id = ?',
            [id],
          );
          return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
        };
        const snapshot = { requests: 7, retries: 2, rateLimited: 1 };
        // Four windows answered before any commits: one snapshot of the client's counters.
        const written = await Promise.all(
          ['A', 'B', 'C', 'D'].map((event) =>
            writeWindow(db, {
              workspace: 'w',
              key: key(event),
              buckets: days(10, 0),
              fetchedAt: new Date(END),
              run: { id, requests: snapshot },
            }),
          ),
        );
        assert.deepEqual(
          written.map((w) => w.inserted),
          [10, 10, 10, 10],
        );
        assert.deepEqual(await run(), {
          requests: 7,
          retries: 2,
          rate_limited: 1,
          rows_inserted: 40,
          rows_updated: 0,
        });
        const changed = await writeWindow(db, {
          workspace: 'w',
          key: key('A'),
          buckets: days(10, 5).map((b, i) => (i < 6 ? { ...b, count: i } : b)),
          fetchedAt: new Date(END),
          run: { id, requests: { requests: 9, retries: 3, rateLimited: 1 } },
        });
        assert.deepEqual(changed, { inserted: 0, updated: 4, unchanged: 6 });
        // A window whose snapshot is older than what is stored commits last: nothing goes back.
        await writeWindow(db, {
          workspace: 'w',
          key: key('B'),
          buckets: days(10, 0),
          fetchedAt: new Date(END),
          run: { id, requests: { requests: 8, retries: 2, rateLimited: 2 } },
        });
        assert.deepEqual(await run(), {
          requests: 9,
          retries: 3,
          rate_limited: 2,
          rows_inserted: 40,
          rows_updated: 4,
        });
      } finally {
        await db.close();
      }
    });

    test('a failure saving the counters leaves neither rows nor watermark', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        await db.migrate();
        const id = await startRun(db, 'w', 'day', new Date(END));
        // Any write to sync_runs fails from now on.
        await db.exec(
          dialect === 'sqlite'
            ? `CREATE TRIGGER refuse BEFORE UPDATE ON sync_runs BEGIN SELECT RAISE(ABORT, 'refused'); END;`
            : `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
               BEGIN RAISE EXCEPTION 'refused'; END $$;
               CREATE TRIGGER refuse BEFORE UPDATE ON sync_runs FOR EACH ROW EXECUTE FUNCTION refuse();`,
        );
        await assert.rejects(
          writeWindow(db, {
            workspace: 'w',
            key: key('E'),
            buckets: days(10, 0),
            fetchedAt: new Date(END),
            run: { id, requests: { requests: 1, retries: 0, rateLimited: 0 } },
          }),
          /refused/,
        );
        const [counts] = await db.query<{ n: number }>('SELECT count(*) AS n FROM counts');
        const [series] = await db.query<{ n: number }>('SELECT count(*) AS n FROM series');
        assert.equal(Number(counts!.n), 0);
        assert.equal(Number(series!.n), 0);
      } finally {
        await db.close();
      }
    });
  });
}

/** Runs `fn` on a fresh, migrated PostgreSQL database. */
async function onPostgres(fn: (db: Database) => Promise<void>): Promise<void> {
  const db = await openDatabase(await factory.fresh('postgres'));
  try {
    await db.migrate();
    await fn(db);
  } finally {
    await db.close();
  }
}

/** Writes event E's `n` days ending at END, counts `base + i`. */
const writeE = (db: Database, n: number, base: number) =>
  writeWindow(db, {
    workspace: 'w',
    key: key('E'),
    buckets: days(n, base),
    fetchedAt: new Date(END),
  });

describe('PostgreSQL data version: one bump per writing transaction', () => {
  test('a window moves it by exactly one, new or changed; a read-only statement not at all', () =>
    onPostgres(async (db) => {
      const start = await dataVersion(db);
      const write = (base: number) => writeE(db, 100, base);
      assert.equal((await write(0)).inserted, 100);
      assert.equal(await dataVersion(db), start + 1, 'a new series: series and counts inserted');
      assert.equal((await write(1)).updated, 100);
      assert.equal(await dataVersion(db), start + 2, 'every count changed');
      await db.query('SELECT count(*) FROM counts');
      assert.equal(await dataVersion(db), start + 2);
    }));

  test('several writes in one transaction bump once; a rolled-back savepoint takes its bump back', () =>
    onPostgres(async (db) => {
      await writeE(db, 5, 0);
      const start = await dataVersion(db);
      await db.transaction(async (tx) => {
        await tx.exec('UPDATE counts SET count = count + 1');
        await tx.exec("UPDATE series SET updated_at = '2026-06-01T00:00:00Z'");
        await tx.exec('UPDATE counts SET count = count + 1');
      });
      assert.equal(await dataVersion(db), start + 1);
      await db.transaction(async (tx) => {
        await tx.exec('SAVEPOINT a');
        await tx.exec('UPDATE counts SET count = count + 1');
        await tx.exec('ROLLBACK TO SAVEPOINT a');
        await tx.exec('UPDATE counts SET count = count + 1');
      });
      assert.equal(await dataVersion(db), start + 2, 'the write after the rollback bumped again');
      await db.transaction(async (tx) => {
        await tx.exec('UPDATE counts SET count = count + 1');
        await tx.exec('SAVEPOINT a');
        await tx.exec('UPDATE counts SET count = count + 1');
        await tx.exec('ROLLBACK TO SAVEPOINT a');
      });
      assert.equal(await dataVersion(db), start + 3, 'the bump before the savepoint stays');
    }));

  test('a value of the bump setting set for the whole session does not switch bumps off', () =>
    onPostgres(async (db) => {
      await writeE(db, 5, 0);
      const start = await dataVersion(db);
      await db.transaction(async (tx) => {
        for (const value of ['yes', 'on', '1']) {
          await tx.exec(`SELECT set_config('braze_events.data_changed', '${value}', false)`);
        }
        await tx.exec('UPDATE counts SET count = count + 1');
      });
      assert.equal(await dataVersion(db), start + 1);
    }));

  test('TRUNCATE counts empties count_blocks too', () =>
    onPostgres(async (db) => {
      await writeE(db, 40, 1);
      const blocks = async () => {
        const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM count_blocks');
        return Number(row!.n);
      };
      assert.ok((await blocks()) >= 3, '40 days span at least three 16-day blocks');
      await db.exec('TRUNCATE counts');
      assert.equal(await blocks(), 0);
    }));

  test('counts and count_blocks leave room on each page for updates in place', () =>
    onPostgres(async (db) => {
      const rows = await db.query<{ name: string; options: string[] | null }>(
        `SELECT relname AS name, reloptions AS options FROM pg_class
          WHERE relname IN ('counts', 'count_blocks') AND relkind = 'r' ORDER BY relname`,
      );
      assert.deepEqual(rows, [
        { name: 'count_blocks', options: ['fillfactor=70'] },
        { name: 'counts', options: ['fillfactor=85'] },
      ]);
    }));
});
