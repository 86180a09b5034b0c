/**
 * A bucket that ends while its answer is on the way may hold a partial count: the window's
 * complete watermark is judged at the time the request was sent, not answered.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabase } from '../../src/sync/index.js';
import type { SyncClient } from '../../src/sync/types.js';
import { syncWindow } from '../../src/sync/window.js';
import { createVirtualClock } from '../helpers/clock.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 10, 29, 11, 59, 30);

describe('syncWindow: complete_through', () => {
  let dir: string;
  after(() => rm(dir, { recursive: true, force: true }));

  test('an hour that ended during a slow request is not marked complete', async () => {
    dir = await mkdtemp(join(tmpdir(), 'braze-events-window-'));
    const db = await openDatabase(join(dir, 'w.db'), { migrate: true });
    const clock = createVirtualClock(T);
    // Braze answers after 60 s: the 11:00 hour ends at 12:00 while the answer travels, and
    // its count in the answer was taken before that.
    const client = {
      bucketZone: { hourBuckets: 'local' },
      async getEventSeries() {
        clock.advance(60_000);
        return {
          data: [10, 11, 12].map((count, i) => ({
            time: new Date(Date.UTC(2026, 10, 29, 9 + i)).toISOString(),
            count,
          })),
          rateLimit: undefined,
        };
      },
    } as unknown as SyncClient;
    try {
      await syncWindow({
        client,
        db,
        workspace: 'w',
        key: { event: 'E', unit: 'hour', appId: '', segmentId: '' },
        window: {
          start: new Date(Date.UTC(2026, 10, 29, 9)),
          end: new Date(Date.UTC(2026, 10, 29, 12)),
          length: 3,
          endingAt: new Date(T),
        },
        now: clock.now,
        utcOffsetMinutes: 0,
        signal: undefined,
      });
      const [row] = await db.query<{ complete_through: string | null }>(
        'SELECT complete_through FROM series_watermarks WHERE workspace = ? AND event = ?',
        ['w', 'E'],
      );
      assert.equal(
        new Date(String(row?.complete_through)).getTime(),
        Date.UTC(2026, 10, 29, 10),
        'the 10:00 hour is the newest complete one; 11:00 was still running when asked',
      );
      assert.ok(clock.now() > T + HOUR / 120, 'the request did take its minute');
    } finally {
      await db.close();
    }
  });
});
