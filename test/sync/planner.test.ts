import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type PlannedWindow, planSeriesSync } from '../../src/sync/planner.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const NOW = Date.UTC(2026, 10, 27, 13, 30); // mid-day
const TODAY = Date.UTC(2026, 10, 27);
const show = (ws: PlannedWindow[]) =>
  ws.map((w) => ({
    start: w.start.toISOString(),
    end: w.end.toISOString(),
    length: w.length,
    endingAt: w.endingAt.toISOString(),
  }));

describe('planSeriesSync', () => {
  test('first run: the last 100 days in one request ending now', () => {
    const ws = planSeriesSync({ unit: 'day', now: new Date(NOW) });
    assert.deepEqual(show(ws), [
      { start: iso(TODAY - 99 * DAY), end: iso(TODAY + DAY), length: 100, endingAt: iso(NOW) },
    ]);
  });

  test('first run: 100 hours for hour', () => {
    const ws = planSeriesSync({ unit: 'hour', now: new Date(NOW) });
    assert.equal(ws.length, 1);
    assert.equal(ws[0]!.length, 100);
    assert.equal(ws[0]!.start.toISOString(), iso(Date.UTC(2026, 10, 27, 13) - 99 * HOUR));
  });

  test('first run with --since: windows of at most 100, oldest first, contiguous', () => {
    const ws = planSeriesSync({
      unit: 'day',
      now: new Date(NOW),
      since: new Date(TODAY - 250 * DAY),
    });
    assert.deepEqual(
      ws.map((w) => w.length),
      [100, 100, 51],
    );
    assert.equal(ws[0]!.start.getTime(), TODAY - 250 * DAY);
    assert.equal(ws[1]!.start.getTime(), ws[0]!.end.getTime());
    assert.equal(ws[2]!.endingAt.getTime(), NOW);
  });

  test('later run: current bucket plus lookback, one request', () => {
    const state = { storedFrom: new Date(TODAY - 99 * DAY), syncedThrough: new Date(TODAY) };
    const ws = planSeriesSync({ unit: 'day', now: new Date(NOW), state });
    assert.deepEqual(show(ws), [
      { start: iso(TODAY - 14 * DAY), end: iso(TODAY + DAY), length: 15, endingAt: iso(NOW) },
    ]);
    const hours = planSeriesSync({
      unit: 'hour',
      now: new Date(NOW),
      state: {
        storedFrom: new Date(NOW - 99 * HOUR),
        syncedThrough: new Date(Date.UTC(2026, 10, 27, 13)),
      },
    });
    assert.deepEqual(
      hours.map((w) => w.length),
      [49],
    );
  });

  test('later run: the lookback stops at the first bucket the series was asked to start at', () => {
    // A first sync --since two days ago stored [today − 2, today]; a plain sync re-reads
    // those three days, not the 14 before (which nobody asked for).
    const state = { storedFrom: new Date(TODAY - 2 * DAY), syncedThrough: new Date(TODAY) };
    const plain = planSeriesSync({ unit: 'day', now: new Date(NOW), state });
    assert.deepEqual(show(plain), [
      { start: iso(TODAY - 2 * DAY), end: iso(TODAY + DAY), length: 3, endingAt: iso(NOW) },
    ]);
    // A connector passes its start_date on every read: the same window.
    const again = planSeriesSync({
      unit: 'day',
      now: new Date(NOW),
      state,
      since: state.storedFrom,
    });
    assert.deepEqual(show(again), show(plain));
  });

  test('later run after a long pause: everything since the watermark, fewest requests', () => {
    const state = {
      storedFrom: new Date(TODAY - 400 * DAY),
      syncedThrough: new Date(TODAY - 40 * DAY),
    };
    assert.deepEqual(
      planSeriesSync({ unit: 'day', now: new Date(NOW), state }).map((w) => w.length),
      [41],
    );
    const older = {
      storedFrom: new Date(TODAY - 400 * DAY),
      syncedThrough: new Date(TODAY - 150 * DAY),
    };
    assert.deepEqual(
      planSeriesSync({ unit: 'day', now: new Date(NOW), state: older }).map((w) => w.length),
      [100, 51],
    );
  });

  test('an older --since later extends history backwards, newest first', () => {
    const state = { storedFrom: new Date(TODAY - 99 * DAY), syncedThrough: new Date(TODAY) };
    const ws = planSeriesSync({
      unit: 'day',
      now: new Date(NOW),
      state,
      since: new Date(TODAY - 300 * DAY),
    });
    assert.deepEqual(
      ws.map((w) => w.length),
      [15, 1, 100, 100],
    );
    assert.equal(ws[1]!.end.getTime(), TODAY - 99 * DAY);
    assert.equal(ws[2]!.end.getTime(), ws[1]!.start.getTime());
    assert.equal(ws[3]!.start.getTime(), TODAY - 300 * DAY);
    // a --since inside stored history changes nothing
    assert.deepEqual(
      planSeriesSync({
        unit: 'day',
        now: new Date(NOW),
        state,
        since: new Date(TODAY - 50 * DAY),
      }).map((w) => w.length),
      [15],
    );
    // when everything fits one request, one request
    const small = { storedFrom: new Date(TODAY - 5 * DAY), syncedThrough: new Date(TODAY) };
    assert.deepEqual(
      planSeriesSync({
        unit: 'day',
        now: new Date(NOW),
        state: small,
        since: new Date(TODAY - 60 * DAY),
      }).map((w) => w.length),
      [61],
    );
  });

  test('validates before anything', () => {
    assert.throws(
      () => planSeriesSync({ unit: 'day', now: new Date(NOW), lookback: -1 }),
      RangeError,
    );
    assert.throws(
      () => planSeriesSync({ unit: 'day', now: new Date(NOW), lookback: 1.5 }),
      RangeError,
    );
    assert.throws(
      () => planSeriesSync({ unit: 'day', now: new Date(NOW), since: new Date(NOW + DAY) }),
      RangeError,
    );
  });

  test('property: every bucket from the wanted start to now is covered, windows ≤ 100 and minimal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('day' as const, 'hour' as const),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 120 }),
        fc.option(fc.integer({ min: 0, max: 700 }), { nil: undefined }),
        fc.integer({ min: 0, max: 86_399_999 }),
        (unit, fromAgo, throughAgoRaw, lookback, sinceAgo, offsetInDay) => {
          const size = unit === 'day' ? DAY : HOUR;
          const now = TODAY + (offsetInDay % size);
          const current = Math.ceil(now / size) * size - size; // last bucket starting before now
          const throughAgo = Math.min(throughAgoRaw, fromAgo);
          const state = {
            storedFrom: new Date(current - fromAgo * size),
            syncedThrough: new Date(current - throughAgo * size),
          };
          const since = sinceAgo === undefined ? undefined : new Date(current - sinceAgo * size);
          const ws = planSeriesSync({ unit, now: new Date(now), state, since, lookback });
          const covered = new Set<number>();
          for (const w of ws) {
            assert.ok(w.length >= 1 && w.length <= 100);
            assert.equal(w.end.getTime() - w.start.getTime(), w.length * size);
            assert.ok(w.endingAt.getTime() <= now);
            for (let t = w.start.getTime(); t < w.end.getTime(); t += size) covered.add(t);
          }
          const forward = Math.min(current - throughAgo * size, current - lookback * size);
          const storedFrom = state.storedFrom.getTime();
          // The lookback never reaches before the first bucket asked for: the stored
          // range's start, or an older since.
          const back = Math.min(since?.getTime() ?? storedFrom, storedFrom);
          for (let t = Math.max(forward, back); t < now; t += size)
            assert.ok(covered.has(t), `bucket ${iso(t)} missing`);
          for (const t of covered) assert.ok(t >= back, `bucket ${iso(t)} before ${iso(back)}`);
          for (let t = back; t < storedFrom; t += size)
            assert.ok(covered.has(t), `bucket ${iso(t)} missing`);
          const needed = (from: number, to: number) =>
            Math.max(0, Math.ceil((to - from) / size / 100));
          assert.ok(
            ws.length <= needed(Math.max(forward, storedFrom), now) + needed(back, storedFrom),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
