/**
 * What brings back a row deleted from `event_counts` (a new-user trial, 2026-11-30), as
 * README.md and src/sync/README.md say: a plain incremental sync does not (the watermark
 * is past it), nor does `--since` for a series already stored (it only extends history
 * back past the oldest stored bucket); `--lookback N` reaching back to it does, and so
 * does deleting the series' watermark. And what a loader must give the `event_counts`
 * view: `fetched_at` is NOT NULL.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openDatabase } from '../../src/sync/index.js';
import { runCli } from '../helpers/cli.js';
import { NOW } from '../helpers/now.js';
import { emulatorSuite } from './helpers.js';

const EVENT = 'Purchase Completed';
/** 30 days before NOW's day (2026-06-15): inside the first run's 100-day backfill. */
const GONE_DAY = '2026-05-16';
const suite = emulatorSuite({
  futureEndingAt: 'accept',
  now: () => NOW,
  data: {
    events: [{ name: EVENT, counts: Object.fromEntries(days().map((d, i) => [d, 100 + i])) }],
  },
});

/** Every day of the first run's backfill, oldest first. */
function days(): string[] {
  const out: string[] = [];
  for (let i = 99; i >= 0; i--) out.push(new Date(NOW - i * 86_400_000).toISOString().slice(0, 10));
  return out;
}

async function sync(db: string, ...flags: string[]) {
  const r = await runCli(['sync', '--db', db, ...flags], { env: suite.env(), now: () => NOW });
  assert.equal(r.code, 0, r.stderr);
}

async function withDb<T>(
  db: string,
  fn: (conn: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
) {
  const conn = await openDatabase(db);
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

async function storedCount(db: string, day: string): Promise<number | null> {
  return withDb(db, async (conn) => {
    const rows = await conn.query<{ count: number }>(
      'SELECT count FROM event_counts WHERE event = ? AND time = ?',
      [EVENT, day],
    );
    return rows[0] === undefined ? null : Number(rows[0].count);
  });
}

async function deleteDay(db: string, day: string): Promise<void> {
  await withDb(db, (conn) =>
    conn.exec('DELETE FROM event_counts WHERE event = ? AND time = ?', [EVENT, day]),
  );
}

describe('re-reading a deleted row', () => {
  test('plain sync and --since do not bring it back; --lookback reaching it does', async () => {
    const db = join(suite.dir(), 'lookback.db');
    await sync(db);
    const expected = 100 + days().indexOf(GONE_DAY);
    assert.equal(await storedCount(db, GONE_DAY), expected);
    await deleteDay(db, GONE_DAY);

    await sync(db);
    assert.equal(await storedCount(db, GONE_DAY), null, 'the watermark is past it');
    await sync(db, '--since', '2026-05-01');
    assert.equal(await storedCount(db, GONE_DAY), null, '--since only extends history back');
    await sync(db, '--lookback', '29');
    assert.equal(await storedCount(db, GONE_DAY), null, '29 days back stops a day short');
    await sync(db, '--lookback', '30');
    assert.equal(await storedCount(db, GONE_DAY), expected);
  });

  test('deleting the series watermark makes the next run a first run from --since', async () => {
    const db = join(suite.dir(), 'watermark.db');
    await sync(db);
    await deleteDay(db, GONE_DAY);
    await withDb(db, (conn) => conn.exec('DELETE FROM series_watermarks WHERE event = ?', [EVENT]));
    await sync(db, '--since', '2026-05-01');
    assert.equal(await storedCount(db, GONE_DAY), 100 + days().indexOf(GONE_DAY));
  });
});

describe('a loader writing the event_counts view', () => {
  test('fetched_at is required; app_id, segment_id and time may be left out', async () => {
    const db = join(suite.dir(), 'loader.db');
    await sync(db);
    await withDb(db, async (conn) => {
      await assert.rejects(
        conn.exec(
          'INSERT INTO event_counts (workspace, event, unit, bucket_start, count) VALUES (?, ?, ?, ?, ?)',
          ['default', 'Loaded', 'day', '2026-06-01T00:00:00.000Z', 7],
        ),
        /NOT NULL/,
      );
      await conn.exec(
        'INSERT INTO event_counts (workspace, event, unit, bucket_start, count, fetched_at) VALUES (?, ?, ?, ?, ?, ?)',
        ['default', 'Loaded', 'day', '2026-06-01T00:00:00.000Z', 7, '2026-06-02T00:00:00.000Z'],
      );
      const rows = await conn.query<{ time: string; app_id: string; count: number }>(
        'SELECT time, app_id, count FROM event_counts WHERE event = ?',
        ['Loaded'],
      );
      assert.deepEqual(
        rows.map((r) => ({ ...r, count: Number(r.count) })),
        [{ time: '2026-06-01', app_id: '', count: 7 }],
      );
    });
  });
});
