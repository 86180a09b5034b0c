import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../src/sync/db/index.js';
import { insertRows } from '../../src/sync/db/insert-rows.js';
import type { Queryable, SqlValue } from '../../src/sync/db/types.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';

const factory = createDatabaseFactory();
after(() => factory.close());

for (const dialect of DIALECTS) {
  describe(`insertRows (${dialect})`, () => {
    test('one statement per batch, every row stored once, the tail clause applied', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        await db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT, n INTEGER)');
        // What reached the database: each statement and its parameters.
        const sent: { sql: string; params: readonly SqlValue[] }[] = [];
        const counting: Queryable = {
          dialect: db.dialect,
          query: (sql, params) => db.query(sql, params),
          lockHolder: (name) => db.lockHolder(name),
          heldLockNames: (prefix) => db.heldLockNames(prefix),
          exec: (sql, params = []) => {
            sent.push({ sql, params });
            return db.exec(sql, params);
          },
        };
        const rows = [1, 2, 3, 4, 5].map((k) => [k, `v${k}`, k * 10]);
        await insertRows(counting, 'INSERT INTO t (k, v, n)', rows, '', 2);
        assert.deepEqual(
          sent.map((s) => s.params.length),
          [6, 6, 3],
        );
        assert.deepEqual(await db.query('SELECT k, v, n FROM t ORDER BY k'), [
          { k: 1, v: 'v1', n: 10 },
          { k: 2, v: 'v2', n: 20 },
          { k: 3, v: 'v3', n: 30 },
          { k: 4, v: 'v4', n: 40 },
          { k: 5, v: 'v5', n: 50 },
        ]);

        sent.length = 0;
        await insertRows(
          counting,
          'INSERT INTO t (k, v, n)',
          [
            [2, 'two', 0],
            [6, 'v6', 60],
          ],
          'ON CONFLICT (k) DO UPDATE SET v = excluded.v',
        );
        assert.equal(sent.length, 1);
        assert.deepEqual(await db.query('SELECT k, v, n FROM t WHERE k IN (2, 6) ORDER BY k'), [
          { k: 2, v: 'two', n: 20 },
          { k: 6, v: 'v6', n: 60 },
        ]);

        sent.length = 0;
        await insertRows(counting, 'INSERT INTO t (k, v, n)', []);
        assert.equal(sent.length, 0, 'no rows, no statement');
      } finally {
        await db.close();
      }
    });
  });
}
