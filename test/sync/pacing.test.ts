/**
 * A sync bigger than the hourly budget: the client paces on the rate-limit headers, so the
 * run waits for the next window instead of collecting 429s, and `maxShareOfLimit` keeps
 * its share of each window. The emulator and the client share a virtual clock that
 * advances by exactly what the client sleeps, so an "hour" costs no real time.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { RATE_LIMIT_WINDOW_MS } from '../../src/api/constants.js';
import { createBrazeClient } from '../../src/core/client.js';
import { EMULATOR_DEFAULT_KEY, startEmulator } from '../../src/emulator/index.js';
import { openDatabase, syncWorkspace } from '../../src/sync/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { createDatabaseFactory } from './databases.js';
import { bucketsAgo, NOW } from './harness.js';

const factory = createDatabaseFactory();
after(() => factory.close());

test('a sync over the hourly budget waits for the window instead of hitting 429s', async () => {
  const time = createVirtualClock(NOW);
  const limit = 40;
  const emulator = await startEmulator({
    seed: 13,
    events: 20,
    now: time.now,
    port: 0,
    rateLimits: { dataSeries: limit },
  });
  const db = await openDatabase(await factory.fresh('sqlite'));
  try {
    const client = createBrazeClient({
      apiKey: EMULATOR_DEFAULT_KEY,
      endpoint: emulator.url,
      now: time.now,
      sleep: time.sleep,
      maxShareOfLimit: 0.5,
      maxRetryWaitMs: 2 * RATE_LIMIT_WINDOW_MS,
    });
    const summary = await syncWorkspace({
      client,
      db,
      workspace: 'p',
      units: ['day'],
      since: new Date(bucketsAgo('day', 299)),
      now: () => NOW,
      // One request at a time: with the virtual clock, a sleep would otherwise move time
      // under requests still in flight and blur which window they land in.
      concurrency: 1,
    });
    assert.equal(summary.status, 'succeeded');
    assert.equal(summary.windows, 20 * 3);
    assert.equal(summary.rateLimited, 0, 'no 429: the client waited for the next window');
    assert.equal(summary.rowsInserted, 20 * 300);
    const perWindow = new Map<number, number>();
    for (const r of emulator.requests()) {
      if (r.route !== 'dataSeries') continue;
      const w = Math.floor(r.at / RATE_LIMIT_WINDOW_MS);
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
    }
    assert.ok(perWindow.size >= 3, 'the run spanned several rate-limit windows');
    for (const n of perWindow.values())
      assert.ok(n <= limit / 2, `${n} requests in one window, share 0.5 of ${limit}`);
  } finally {
    await db.close();
    await emulator.close();
  }
});
