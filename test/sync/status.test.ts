/**
 * The one sync-status reader (src/sync/status.ts) that `braze-events status` and the
 * dashboard's sync page share: runs newest first, watermarks per unit, the series lagging
 * behind the freshest one of their unit, on both dialects.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openDatabase, readStatus, readSyncState } from '../../src/sync/index.js';
import { createDatabaseFactory, DIALECTS } from './databases.js';

const factory = createDatabaseFactory();
after(() => factory.close());

const MARK =
  'INSERT INTO series_watermarks (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const RUN =
  'INSERT INTO sync_runs (workspace, started_at, finished_at, status, units, requests, retries, rate_limited, rows_inserted, rows_updated, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

for (const dialect of DIALECTS) {
  describe(`sync status reader (${dialect})`, () => {
    test('runs newest first, units summed up, lagging series stalest first', async () => {
      const db = await openDatabase(await factory.fresh(dialect), { migrate: true });
      try {
        for (const [event, unit, app, through, complete] of [
          ['a', 'day', '', '2026-03-05T00:00:00.000Z', '2026-03-04T00:00:00.000Z'],
          ['a', 'day', 'ios', '2026-03-03T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
          ['b', 'day', '', '2026-03-04T00:00:00.000Z', null],
          ['a', 'hour', '', '2026-03-05T10:00:00.000Z', '2026-03-05T09:00:00.000Z'],
          ['other-workspace', 'day', '', '2026-01-01T00:00:00.000Z', null],
        ] as const) {
          const workspace = event === 'other-workspace' ? 'w2' : 'w';
          await db.exec(MARK, [workspace, event, unit, app, '', through, complete, through]);
        }
        await db.exec(RUN, [
          'w',
          '2026-03-04T00:00:00.000Z',
          '2026-03-04T00:01:00.000Z',
          'failed',
          'day',
          7,
          2,
          1,
          10,
          0,
          'Braze answered 503',
        ]);
        await db.exec(RUN, [
          'w',
          '2026-03-05T00:00:00.000Z',
          null,
          'running',
          'day,hour',
          3,
          0,
          0,
          4,
          5,
          null,
        ]);

        const state = await readSyncState(db, 'w', { runs: 5, lagging: 1 });
        // Ids are the database's: newest first is the higher one first.
        const [newer, older] = state.runs;
        assert.ok(state.runs.length === 2 && newer!.id > older!.id);
        assert.deepEqual(
          state.runs.map(({ id: _id, ...run }) => run),
          [
            {
              startedAt: '2026-03-05T00:00:00.000Z',
              finishedAt: null,
              heartbeatAt: null,
              status: 'running',
              units: 'day,hour',
              requests: 3,
              retries: 0,
              rateLimited: 0,
              rowsInserted: 4,
              rowsUpdated: 5,
              error: null,
              // Written here without a sync holding the lock: its process is gone.
              processGone: true,
            },
            {
              startedAt: '2026-03-04T00:00:00.000Z',
              finishedAt: '2026-03-04T00:01:00.000Z',
              heartbeatAt: null,
              status: 'failed',
              units: 'day',
              requests: 7,
              retries: 2,
              rateLimited: 1,
              rowsInserted: 10,
              rowsUpdated: 0,
              error: 'Braze answered 503',
              processGone: false,
            },
          ],
        );
        assert.deepEqual(state.units, [
          {
            unit: 'day',
            series: 3,
            breakdownSeries: 1,
            stalest: '2026-03-03T00:00:00.000Z',
            freshest: '2026-03-05T00:00:00.000Z',
            completeThrough: '2026-03-04T00:00:00.000Z',
            updatedAt: '2026-03-05T00:00:00.000Z',
          },
          {
            unit: 'hour',
            series: 1,
            breakdownSeries: 0,
            stalest: '2026-03-05T10:00:00.000Z',
            freshest: '2026-03-05T10:00:00.000Z',
            completeThrough: '2026-03-05T09:00:00.000Z',
            updatedAt: '2026-03-05T10:00:00.000Z',
          },
        ]);
        // Two day series are behind `a`; the limit keeps the stalest.
        assert.deepEqual(state.lagging, [
          {
            event: 'a',
            unit: 'day',
            appId: 'ios',
            segmentId: '',
            syncedThrough: '2026-03-03T00:00:00.000Z',
            completeThrough: '2026-03-02T00:00:00.000Z',
            updatedAt: '2026-03-03T00:00:00.000Z',
          },
        ]);
        assert.deepEqual(
          (await readSyncState(db, 'w')).lagging.map((m) => [m.event, m.appId]),
          [
            ['a', 'ios'],
            ['b', ''],
          ],
        );

        // `status` reads the same state, plus its counts and extremes.
        const [ws] = await readStatus(db, { workspace: 'w', runs: 1 });
        assert.deepEqual(ws?.runs, state.runs.slice(0, 1));
        assert.deepEqual(ws?.units, state.units);
        assert.equal(ws?.series, 4);
        assert.equal(ws?.freshest?.syncedThrough, '2026-03-05T10:00:00.000Z');
        assert.deepEqual([ws?.stalest?.event, ws?.stalest?.appId], ['a', 'ios']);
      } finally {
        await db.close();
      }
    });
  });
}
