/**
 * Hour buckets on UTC hours at +05:30 (`hourBuckets: 'utc'`), through every layer after the
 * sync: the alignment the sync recorded reaches the dashboard's grid and the check, and a
 * check asking for the other alignment is refused. Before, the dashboard built its grid at
 * HH:30Z while the rows sat at HH:00Z (index 0 empty, the newest hour dropped), and the
 * check cut its hours on local hours whatever the sync had stored.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addBuckets,
  type BucketZone,
  floorToBucket,
  isBucketStart,
  lastCompleteBucket,
} from '../../src/api/time.js';
import { checkDatabase } from '../../src/check/index.js';
import {
  api,
  check,
  expectedFindings,
  findingsOf,
  type Plant,
  startPipeline,
  syncAll,
} from './pipeline.js';

const NOW = Date.parse('2026-11-20T21:10:00Z'); // 02:40 on 2026-11-21 at +05:30
const ZONE: Required<BucketZone> = { utcOffsetMinutes: 330, hourBuckets: 'utc' };
const PLANTS: Plant[] = ['silent', 'drop', 'none'];

describe('UTC hours at +05:30, after the sync', () => {
  test('the dashboard and the check use the recorded alignment; a contradicting one is refused', async () => {
    const p = await startPipeline(330, NOW, PLANTS, 'utc');
    try {
      await syncAll(p, 330, NOW, ['day', 'hour']);

      const { workspaces } = await api(p.db, NOW, '/api/workspaces', {});
      assert.equal(workspaces[0].utcOffsetMinutes, 330);
      assert.equal(workspaces[0].hourBuckets, 'utc');

      // One day of hours: 24 buckets on UTC hours, ending with the last complete one.
      const body = await api(p.db, NOW, '/api/event', {
        event: 'Event 2 none',
        unit: 'hour',
        days: '1',
      });
      assert.equal(body.hourBuckets, 'utc');
      const starts = (body.times as number[]).map((s) => s * 1000);
      assert.equal(starts.length, 24);
      for (const ms of starts) assert.ok(isBucketStart(ms, 'hour', ZONE), String(ms));
      assert.equal(starts.at(-1), lastCompleteBucket('hour', NOW, ZONE));
      assert.deepEqual(
        body.series[0].counts.map((c: number | null) => c === null),
        new Array(24).fill(false),
        'every stored hour is on the grid',
      );

      // The check, without watermarks: the clock decides, on the recorded UTC hours. At
      // 12:10Z the last complete hour, 11:00Z–12:00Z, lies inside the planted local day.
      await p.db.exec('DELETE FROM series_watermarks');
      const inPlantedDay = Date.parse('2026-11-20T12:10:00Z');
      const report = await check(p, inPlantedDay, 'hour');
      assert.deepEqual(findingsOf(report), expectedFindings(PLANTS));
      for (const f of report.findings) {
        assert.equal(
          f.bucketStart,
          new Date(floorToBucket(addBuckets(inPlantedDay, 'hour', -1), 'hour', ZONE)).toISOString(),
        );
      }
      assert.deepEqual(
        findingsOf(
          await checkDatabase(p.db, {
            now: () => inPlantedDay,
            minVolume: 1,
            unit: 'hour',
            hourBuckets: 'utc',
          }),
        ),
        expectedFindings(PLANTS),
      );
      await assert.rejects(
        checkDatabase(p.db, { now: () => inPlantedDay, unit: 'hour', hourBuckets: 'local' }),
        (e: unknown) => {
          assert.ok(e instanceof RangeError);
          assert.equal(
            e.message,
            'hourBuckets local contradicts workspace "w", whose hours were synced on UTC hours at UTC+05:30: ' +
              'the check reads the recorded alignment, so leave it out (or pass hourBuckets utc)',
          );
          return true;
        },
      );
    } finally {
      await p.close();
    }
  });
});
