/**
 * Issue 15, item 4, "An `ending_at` in the future" (a user reports
 * Braze answering 400 to it; shared BRAZE_API.md, "Added 2026-11-29"); what to build:
 * item 5, "Never ask for the future": every command caps `ending_at` at the request time.
 * `sync` already does (product.test.ts).
 *
 * Written as a pending file; run on 2026-11-29 against main at 84efb42 all three failed on
 * assertNoFutureEndingAt, e.g. `ending_at=2026-11-30T00:00:00Z lies 1713433 ms after the
 * request arrived` (series and the hourly export send the next midnight/hour) and
 * `ending_at=2026-11-30T18:30:00Z lies 68313000 ms after …` (+05:30 export); the CLI then
 * exits 1 with `error: Braze answered 400: ending_at must not be in the future
 * (GET /events/data_series); request id …`. All three pass since main's d234e3b and the
 * time module merged with it (92957d5), so this is now a test.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureBuilt } from '../helpers/cli.js';
import {
  assertNoFutureEndingAt,
  assertTruth,
  bucketStartOf,
  cli,
  parseCsv,
  standin,
} from './harness.js';

before(ensureBuilt, { timeout: 300_000 });

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('product vs stand-in that answers 400 to a future ending_at', () => {
  it('series X --since 7d: no future ending_at, the 7 days before and today, the ground truth', async () => {
    const s = await standin({ rejectFutureEndingAt: true });
    const started = Date.now();
    const r = await cli(s, ['series', 'standin-event-001', '--since', '7d', '--format', 'csv']);
    const ended = Date.now();
    assertNoFutureEndingAt(s);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout);
    assertTruth(s, rows, 'standin-event-001', 'day', { from: started, to: ended });
    const first = bucketStartOf(s, 'day', rows[0]!.time);
    assert.ok(
      first >= s.bucketFloor('day', started - 7 * DAY) &&
        first <= s.bucketFloor('day', ended - 7 * DAY),
    );
  });

  it('export --unit hour --since 30h: no future ending_at, the ground truth up to this hour', async () => {
    const s = await standin({ rejectFutureEndingAt: true });
    const started = Date.now();
    const r = await cli(s, 'export --event standin-event-001 --unit hour --since 30h');
    const ended = Date.now();
    assertNoFutureEndingAt(s);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout);
    assertTruth(s, rows, 'standin-event-001', 'hour', { from: started, to: ended });
    const first = Date.parse(rows[0]!.time);
    assert.ok(
      first >= s.bucketFloor('hour', started - 30 * HOUR) &&
        first <= s.bucketFloor('hour', ended - 30 * HOUR),
    );
  });

  it('export --length 150 at +05:30: no future ending_at, 150 days ending today', async () => {
    const s = await standin({ rejectFutureEndingAt: true, dayOffsetMinutes: 330 });
    const started = Date.now();
    const r = await cli(
      s,
      'export --event standin-event-001 --length 150 --bucket-utc-offset +05:30',
    );
    assertNoFutureEndingAt(s);
    assert.equal(r.code, 0, r.stderr);
    const rows = parseCsv(r.stdout);
    assert.equal(
      assertTruth(s, rows, 'standin-event-001', 'day', { from: started, to: Date.now() }),
      150,
    );
  });
});
