import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import {
  openDatabase,
  parseDatabaseUrl,
  redactDatabaseUrl,
  resolveDatabaseUrl,
} from '../../src/sync/db/index.js';
import { toPostgresPlaceholders } from '../../src/sync/db/placeholders.js';
import { pgTimestampToIso } from '../../src/sync/db/timestamps.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';

describe('database URLs', () => {
  test('parses paths, sqlite: and postgres URLs', () => {
    assert.deepEqual(parseDatabaseUrl('data/x.db'), { dialect: 'sqlite', path: 'data/x.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:/tmp/x.db'), {
      dialect: 'sqlite',
      path: '/tmp/x.db',
    });
    assert.deepEqual(parseDatabaseUrl('sqlite:///tmp/x.db'), {
      dialect: 'sqlite',
      path: '/tmp/x.db',
    });
    assert.deepEqual(parseDatabaseUrl('postgresql://u@h/db'), {
      dialect: 'postgres',
      url: 'postgresql://u@h/db',
    });
    assert.throws(() => parseDatabaseUrl('mysql://h/db'), /unsupported scheme "mysql:"/);
    assert.throws(() => parseDatabaseUrl(' '), TypeError);
    assert.throws(() => parseDatabaseUrl('sqlite:'), TypeError);
  });
  test('flag, then env, then the default file', () => {
    assert.equal(resolveDatabaseUrl('a.db', { BRAZE_EVENTS_DB: 'b.db' }), 'a.db');
    assert.equal(resolveDatabaseUrl(undefined, { BRAZE_EVENTS_DB: 'b.db' }), 'b.db');
    assert.equal(resolveDatabaseUrl(undefined, {}), './braze-events.db');
  });
  test('redacts postgres passwords', () => {
    assert.equal(redactDatabaseUrl('postgres://u:p%40ss@h:5/db'), 'postgres://u:***@h:5/db');
    // pg also reads a password from the query.
    assert.equal(
      redactDatabaseUrl('postgres://app@db.internal/analytics?password=s3cret&sslmode=require'),
      'postgres://app@db.internal/analytics?password=***&sslmode=require',
    );
    assert.equal(
      redactDatabaseUrl('postgresql://u:a@h/db?sslmode=require&PASSWORD=b#x'),
      'postgresql://u:***@h/db?sslmode=require&PASSWORD=***#x',
    );
    assert.equal(
      redactDatabaseUrl('postgres://h/db?%70%61ssword=s3cret'),
      'postgres://h/db?%70%61ssword=***',
    );
    assert.equal(
      redactDatabaseUrl('postgres://h/db?sslmode=require'),
      'postgres://h/db?sslmode=require',
    );
  });
  test('placeholders skip literals, identifiers and comments', () => {
    assert.equal(
      toPostgresPlaceholders(`SELECT ?, '?''?', "a?" -- ?\n, ? /* ? */ , ?`),
      `SELECT $1, '?''?', "a?" -- ?\n, $2 /* ? */ , $3`,
    );
  });
  test('pg timestamps become ISO UTC', () => {
    assert.equal(pgTimestampToIso('2026-11-27 05:00:00+00'), '2026-11-27T05:00:00.000Z');
    assert.equal(pgTimestampToIso('2026-11-27 05:00:00.5+02'), '2026-11-27T03:00:00.500Z');
    assert.equal(pgTimestampToIso('2026-11-27 05:00:00.123456-05:30'), '2026-11-27T10:30:00.123Z');
    assert.equal(pgTimestampToIso('infinity'), 'infinity');
  });
});

const factory = createDatabaseFactory();
after(() => factory.close());

for (const dialect of DIALECTS) {
  describe(`openDatabase (${dialect})`, () => {
    test('migrates idempotently and reads the contract schema', async () => {
      const db = await openDatabase(await factory.fresh(dialect));
      try {
        assert.equal(db.dialect, dialect);
        assert.deepEqual(await db.migrate(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert.deepEqual(await db.migrate(), []);
        const applied = await db.query<{ version: number; applied_at: string }>(
          'SELECT * FROM schema_migrations ORDER BY version',
        );
        assert.deepEqual(
          applied.map((m) => Number(m.version)),
          [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        );
        for (const m of applied) {
          assert.match(m.applied_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        }
        await db.exec(
          `INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            'w',
            'e?',
            'day',
            '',
            '',
            '2026-11-01',
            '2026-11-01T00:00:00.000Z',
            9_007_199_254,
            new Date(Date.UTC(2026, 10, 2)),
          ],
        );
        const rows = await db.query('SELECT * FROM event_counts');
        assert.deepEqual(rows, [
          {
            workspace: 'w',
            event: 'e?',
            unit: 'day',
            app_id: '',
            segment_id: '',
            time: '2026-11-01',
            bucket_start: '2026-11-01T00:00:00.000Z',
            count: 9_007_199_254,
            fetched_at: '2026-11-02T00:00:00.000Z',
          },
        ]);
      } finally {
        await db.close();
      }
    });

    test('a failed transaction leaves nothing behind', async () => {
      const db = await openDatabase(await factory.fresh(dialect), { migrate: true });
      try {
        await assert.rejects(
          db.transaction(async (tx) => {
            await tx.exec('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
              99,
              new Date(),
            ]);
            throw new Error('boom');
          }),
          /boom/,
        );
        const rows = await db.query(
          'SELECT version FROM schema_migrations WHERE version = ?',
          [99],
        );
        assert.deepEqual(rows, []);
      } finally {
        await db.close();
      }
    });

    test('a lock is exclusive across connections until released', async () => {
      const url = await factory.fresh(dialect);
      const a = await openDatabase(url, { migrate: true });
      const b = await openDatabase(url);
      try {
        const held = await a.tryLock('sync:w');
        assert.ok('release' in held);
        const refused = await b.tryLock('sync:w');
        assert.ok('holder' in refused);
        const other = await b.tryLock('sync:other');
        assert.ok('release' in other);
        await other.release();
        await held.release();
        const again = await b.tryLock('sync:w');
        assert.ok('release' in again);
        await again.release();
      } finally {
        await a.close();
        await b.close();
      }
    });

    test('refuses a database migrated by a newer version', async () => {
      const db = await openDatabase(await factory.fresh(dialect), { migrate: true });
      try {
        await db.exec('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
          999,
          new Date(),
        ]);
        await assert.rejects(db.migrate(), /schema version 999 is newer/);
      } finally {
        await db.close();
      }
    });
  });
}
