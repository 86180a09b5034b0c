/**
 * No silent gap: a data_series answer with a bucket missing (a proxy in front of the
 * emulator drops one) must not be stored as a complete series with its watermark moved.
 * The sync may fail loudly, or store nothing with a hole in it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase, syncWorkspace } from '../../src/sync/index.js';
import { testServers } from '../helpers/http-server.js';
import { clock, NOW } from '../sync/harness.js';

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
      const client = createBrazeClient({
        apiKey: 'emulator-key',
        endpoint: proxy.url,
        now: () => NOW,
        sleep: async () => {},
      });
      let failed = false;
      try {
        await syncWorkspace({ client, db, workspace: 'w', now: clock });
      } catch {
        failed = true;
      }
      const rows = await db.query<{ event: string; n: number }>(
        'SELECT event, count(*) AS n FROM event_counts GROUP BY event',
      );
      const marks = await db.query<{ event: string }>('SELECT event FROM series_watermarks');
      // Either the run failed loudly, or nothing stored has a hole in it.
      assert.ok(
        failed || rows.every((r) => Number(r.n) === 100),
        `sync succeeded and stored ${JSON.stringify(rows)} rows with watermarks for ${marks.length} series: a silent gap`,
      );
    } finally {
      await db.close();
    }
  });
});
