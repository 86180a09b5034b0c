/**
 * No silent gap: a data_series answer with a bucket missing (a proxy in front of the
 * emulator drops one) must not be stored as a complete series with its watermark moved.
 * With strict completeness (the default) the sync fails loudly and stores nothing.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import { DEFAULT_MAX_RETRIES } from '../../src/core/defaults.js';
import { isBrazeResponseShapeError } from '../../src/core/errors.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase, SyncFailedError, syncWorkspace } from '../../src/sync/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { testServers } from '../helpers/http-server.js';
import { clock } from '../sync/harness.js';

const serve = testServers();

describe('a data_series answer with a bucket missing', () => {
  let emulator: Emulator;
  let dir: string;
  after(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the sync does not store the series as complete with a gap', async () => {
    emulator = await startEmulator({ seed: 3, events: 2, now: clock });
    // A proxy that forwards to the emulator and drops the 50th bucket of every series.
    const proxy = await serve(async (req, res) => {
      const upstream = await fetch(`${emulator.url}${req.url}`, {
        headers: { authorization: String(req.headers.authorization) },
      });
      const text = await upstream.text();
      const headers: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        headers[name] = value;
      });
      delete headers['content-length'];
      delete headers['content-encoding'];
      let body = text;
      if (req.url?.startsWith('/events/data_series') && upstream.ok) {
        const json = JSON.parse(text) as { data: unknown[] };
        json.data.splice(49, 1);
        body = JSON.stringify(json);
      }
      res.writeHead(upstream.status, headers);
      res.end(body);
    });
    dir = await mkdtemp(join(tmpdir(), 'braze-gap-'));
    const db = await openDatabase(join(dir, 'gap.db'));
    try {
      const time = createVirtualClock();
      const client = createBrazeClient({
        apiKey: 'emulator-key',
        endpoint: proxy.url,
        now: time.now,
        sleep: time.sleep,
      });
      // Strict completeness (the default): the client retries the short answer, then the
      // series fails; the sync fails loudly and stores nothing of either series.
      const failure = await syncWorkspace({ client, db, workspace: 'w', now: clock }).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(failure instanceof SyncFailedError, `the sync fails loudly: ${String(failure)}`);
      assert.ok(isBrazeResponseShapeError(failure.cause), String(failure.cause));
      assert.match(failure.message, /^2 of 2 series failed: /);
      assert.match(failure.message, /expected 100 buckets, got 99; bucket 2026-04-26 missing/);
      const rows = await db.query<{ event: string; n: number }>(
        'SELECT event, count(*) AS n FROM event_counts GROUP BY event',
      );
      const marks = await db.query<{ event: string }>('SELECT event FROM series_watermarks');
      assert.deepEqual(rows, [], 'no row of a series with a hole');
      assert.deepEqual(marks, [], 'no watermark moved');
      const runs = await db.query<{ status: string }>('SELECT status FROM sync_runs');
      assert.deepEqual(runs, [{ status: 'failed' }]);
      // What reached the server: each series asked 1 + DEFAULT_MAX_RETRIES times, no more.
      const asked = emulator.requests().filter((r) => r.route === 'dataSeries');
      assert.equal(asked.length, 2 * (1 + DEFAULT_MAX_RETRIES));
    } finally {
      await db.close();
    }
  });
});
