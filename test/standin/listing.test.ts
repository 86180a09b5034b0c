/**
 * Passing since branch trust-client (2026-11-30), renamed from listing.pending.ts:
 * issue 15, item 2, "A server that ignores `page`" on GET
 * /events/list, and the variant that repeats the last page past the end (shared
 * BRAZE_API.md, "Added 2026-11-29": "a client must not loop if the last page comes back
 * again or `page` is ignored"); what to build: item 3, "Bounded listing".
 *
 * What it printed while pending: run on 2026-11-29 at 23:34 UTC against branch `standin` (main at 84efb42),
 * `node --import tsx --test test/standin/listing.pending.ts`: all three fail with
 * `still running after 30029 ms` (list, both variants; stdout held page 0 again and again;
 * the stand-in logged 1,000 /events/list requests, the whole hourly budget, within seconds,
 * then the product waited for the next window) and, for sync, `still running after
 * 60053 ms: … sync interrupted: workspace "default", 0 of 0 events … requests 1000 …
 * budget left: listing 0/1000 until 2026-11-30T00:00:00.000Z`.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuilt } from '../helpers/cli.js';
import { assertTruth, cli, requestsTo, standin, storedRows, tempDir } from './harness.js';
import { defaultEventNames } from './server.js';

before(ensureBuilt, { timeout: 300_000 });

/** Each /events/list request spends the workspace's shared 1,000/hour listing budget. */
const MAX_LISTING_REQUESTS = 3;

describe('product vs stand-in: /events/list that ignores `page` or repeats the last page', () => {
  it('ignore-page: list stops, prints each name of page 0 once, within 3 listing requests', async () => {
    const s = await standin({ events: defaultEventNames(300), listPaging: 'ignore-page' });
    const r = await cli(s, ['list'], { timeoutMs: 30_000 });
    assert.equal(r.timedOut, false, `still running after ${r.ms} ms: ${r.stderr.slice(-500)}`);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}, stderr: ${r.stderr.slice(-500)}`);
    const listing = requestsTo(s, '/events/list').length;
    assert.ok(listing <= MAX_LISTING_REQUESTS, `${listing} listing requests`);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean), s.events.slice(0, 250));
  });

  it('repeat-last: list prints all 500 names once, within 3 listing requests', async () => {
    const s = await standin({ events: defaultEventNames(500), listPaging: 'repeat-last' });
    const r = await cli(s, ['list'], { timeoutMs: 30_000 });
    assert.equal(r.timedOut, false, `still running after ${r.ms} ms: ${r.stderr.slice(-500)}`);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}, stderr: ${r.stderr.slice(-500)}`);
    const listing = requestsTo(s, '/events/list').length;
    assert.ok(listing <= MAX_LISTING_REQUESTS, `${listing} listing requests`);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean), s.events);
  });

  it('ignore-page: sync finishes within 3 listing requests and stores every name it saw', async () => {
    const s = await standin({ events: defaultEventNames(300), listPaging: 'ignore-page' });
    const dir = tempDir();
    const db = join(dir, 's.db');
    const started = Date.now();
    const r = await cli(s, ['sync', '--db', db], { cwd: dir, timeoutMs: 60_000 });
    assert.equal(r.timedOut, false, `still running after ${r.ms} ms: ${r.stderr.slice(-500)}`);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}, stderr: ${r.stderr.slice(-500)}`);
    const listing = requestsTo(s, '/events/list').length;
    assert.ok(listing <= MAX_LISTING_REQUESTS, `${listing} listing requests`);
    const rows = storedRows(db);
    for (const event of s.events.slice(0, 250)) {
      assertTruth(s, rows, event, 'day', { from: started, to: Date.now() });
    }
  });
});
