/**
 * Issue 12's acceptance, as properties over the offsets real zones use and random clocks:
 *
 * - emulator → sync → check finds every planted drop and silence and nothing else, in days
 *   and in hours, with hour buckets on local or UTC hours (the check's hour is then cut on
 *   the edges the sync recorded);
 * - the dashboard API's ranges cover exactly the requested local days; its hourly grids lie
 *   on the recorded hour edges and hold every stored hour;
 * - `export --length N` returns exactly N buckets for N in 1…250, days and hours, with hour
 *   buckets on local or UTC hours — and no request asks for the future (the emulator
 *   answers 400 to a future `ending_at`).
 *
 * Small datasets and a few dozen runs: each run is one emulator and one SQLite file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  addBuckets,
  bucketIndex,
  bucketStartOfIndex,
  bucketsBetween,
  DAY_MS,
  dateOfDayNumber,
  dayNumber,
  floorToBucket,
  formatLocalDate,
  formatUtcOffset,
  type HourBuckets,
  instantMs,
  isBucketStart,
  lastCompleteBucket,
  parseIsoInstant,
} from '../../src/api/time.js';
import { exportRows } from '../../src/export/index.js';
import {
  api,
  check,
  emulatorAndClient,
  expectedFindings,
  findingsOf,
  type Plant,
  startPipeline,
  syncAll,
} from './pipeline.js';

/** Offsets of real zones, the extremes and every odd kind among them. */
const OFFSETS = [-720, -570, -300, 0, 330, 345, 765, 840];

const clock = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) });
const plants = fc.array(fc.constantFrom<Plant>('none', 'silent', 'drop'), {
  minLength: 1,
  maxLength: 5,
});

describe('one model of time across every layer (property)', () => {
  for (const offset of OFFSETS) {
    for (const hourBuckets of ['local', 'utc'] as const) {
      const zone = { utcOffsetMinutes: offset, hourBuckets };
      test(`emulator → sync → check, and dashboard ranges, at ${formatUtcOffset(offset)}, ${hourBuckets} hours`, async () => {
        await fc.assert(
          fc.asyncProperty(
            clock,
            plants,
            fc.nat(20),
            fc.integer({ min: 1, max: 14 }),
            fc.integer({ min: 1, max: 22 }),
            fc.integer({ min: 0, max: 59 }),
            async (now, planted, back, days, hourInDay, minute) => {
              const p = await startPipeline(offset, now, planted, hourBuckets);
              try {
                await syncAll(p, offset, now, ['day', 'hour']);
                assert.deepEqual(findingsOf(await check(p, now)), expectedFindings(planted));
                for (const r of p.emulator.requests())
                  assert.equal(r.status, 200, JSON.stringify(r.query));

                // Dashboard: `from`/`to` are the workspace's local days; `to` is exclusive.
                const event = `Event 0 ${planted[0]}`;
                const today = dayNumber(formatLocalDate(now, offset));
                const from = dateOfDayNumber(today - 1 - back - days);
                const to = dateOfDayNumber(today - 1 - back);
                const body = await api(p.db, now, '/api/event', { event, from, to });
                assert.equal(body.utcOffset, formatUtcOffset(offset));
                const starts = (body.times as number[]).map((s) => s * 1000);
                assert.equal(starts.length, days);
                starts.forEach((ms, i) => {
                  assert.equal(ms, parseIsoInstant(dateOfDayNumber(dayNumber(from) + i), offset));
                  assert.equal(formatLocalDate(ms, offset), dateOfDayNumber(dayNumber(from) + i));
                });
                // Every stored day of the range is in the grid, none falls outside it.
                assert.ok(body.series[0].counts.every((c: number | null) => c !== null));
                // `days=N`: the N local days that end with the last complete one.
                const recent = await api(p.db, now, '/api/overview', { days: String(days) });
                const end = floorToBucket(now, 'day', offset);
                assert.equal(instantMs(recent.to), end);
                assert.equal(instantMs(recent.from), addBuckets(end, 'day', -days));

                // Hours: the grid lies on the recorded hour edges and holds every stored hour.
                const hourDays = 1 + (days % 3);
                const hourTo = dateOfDayNumber(today - 1 - (back % 3));
                const hourFrom = dateOfDayNumber(dayNumber(hourTo) - hourDays);
                const hours = await api(p.db, now, '/api/event', {
                  event,
                  unit: 'hour',
                  from: hourFrom,
                  to: hourTo,
                });
                assert.equal(hours.hourBuckets, hourBuckets);
                const hourStarts = (hours.times as number[]).map((s) => s * 1000);
                assert.equal(hourStarts.length, 24 * hourDays);
                assert.equal(
                  hourStarts[0],
                  floorToBucket(parseIsoInstant(hourFrom, offset)!, 'hour', zone),
                );
                for (const ms of hourStarts) assert.ok(isBucketStart(ms, 'hour', zone), String(ms));
                assert.ok(hours.series[0].counts.every((c: number | null) => c !== null));
                const lastDay = await api(p.db, now, '/api/event', {
                  event,
                  unit: 'hour',
                  days: '1',
                });
                const lastStarts = (lastDay.times as number[]).map((s) => s * 1000);
                assert.equal(lastStarts.length, 24);
                assert.equal(lastStarts.at(-1), lastCompleteBucket('hour', now, zone));
                assert.ok(lastDay.series[0].counts.every((c: number | null) => c !== null));

                // The hourly check, without watermarks so the clock decides: at a moment of
                // the planted day whose last complete hour lies wholly inside it, every
                // planted silence and drop shows in hours too, on the recorded hour edges.
                await p.db.exec('DELETE FROM series_watermarks');
                const plantedDay = bucketStartOfIndex(
                  bucketIndex(now, 'day', offset) - 1,
                  'day',
                  offset,
                );
                const at = addBuckets(plantedDay, 'hour', hourInDay + 1) + minute * 60_000;
                const hourly = await check(p, at, 'hour');
                assert.deepEqual(findingsOf(hourly), expectedFindings(planted));
                for (const f of hourly.findings) {
                  assert.equal(instantMs(f.bucketStart), lastCompleteBucket('hour', at, zone));
                }
                for (const r of p.emulator.requests())
                  assert.equal(r.status, 200, JSON.stringify(r.query));
              } finally {
                await p.close();
              }
            },
          ),
          { numRuns: 3 },
        );
      });
    }
  }

  test('export length N gives exactly N buckets, days and hours, local and UTC hours', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OFFSETS),
        clock,
        fc.integer({ min: 1, max: 250 }),
        fc.constantFrom<'day' | 'hour'>('day', 'hour'),
        fc.constantFrom<HourBuckets>('local', 'utc'),
        fc.option(fc.integer({ min: 1, max: 30 * DAY_MS }), { nil: undefined }),
        async (offset, now, length, unit, hourBuckets, before) => {
          const { emulator, client } = await emulatorAndClient(
            { events: 1 },
            offset,
            now,
            hourBuckets,
          );
          try {
            const endingAt = before === undefined ? undefined : new Date(now - before);
            const rows = [];
            for await (const row of exportRows(client, {
              events: emulator.eventNames(),
              unit,
              length,
              now: () => now,
              ...(endingAt ? { endingAt } : {}),
            })) {
              rows.push(row);
            }
            assert.equal(rows.length, length);
            const starts = rows.map((r) => parseIsoInstant(r.time, offset)!);
            for (let i = 1; i < starts.length; i++) {
              assert.equal(bucketsBetween(starts[i - 1]!, starts[i]!, unit), 1);
            }
            // The last bucket is the one holding the instant before the end (now, or endingAt).
            const end = endingAt?.getTime() ?? now + 1;
            assert.equal(
              starts.at(-1),
              floorToBucket(end - 1, unit, { utcOffsetMinutes: offset, hourBuckets }),
            );
            for (const r of emulator.requests())
              assert.equal(r.status, 200, JSON.stringify(r.query));
          } finally {
            await emulator.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
