import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { get, NOW, seriesPath } from './helpers.js';

const DAY = 86_400_000;

describe('GET /events/data_series', () => {
  let emu: Emulator;
  let event: string;
  before(async () => {
    emu = await startEmulator({ seed: 11, now: () => NOW });
    event = 'Purchase Completed';
  });
  after(() => emu.close());

  test('exactly `length` ascending, zero-filled day buckets before a date-only ending_at', async () => {
    const r = await get(emu.url, seriesPath({ event, length: 100, ending_at: '2026-11-20' }));
    assert.equal(r.status, 200);
    assert.equal(r.json.message, 'success');
    const data = r.json.data as { time: string; count: number }[];
    assert.equal(data.length, 100);
    assert.equal(data.at(-1)?.time, '2026-11-19', 'the day of ending_at itself is excluded');
    for (let i = 0; i < data.length; i++) {
      assert.equal(
        data[i]!.time,
        new Date(Date.UTC(2026, 10, 19) - (99 - i) * DAY).toISOString().slice(0, 10),
      );
      assert.ok(Number.isInteger(data[i]!.count) && data[i]!.count >= 0, `count ${data[i]!.count}`);
    }
  });

  test('default unit is day and default ending_at is now (current day last, partial)', async () => {
    const r = await get(emu.url, seriesPath({ event, length: 3 }));
    assert.deepEqual(
      r.json.data.map((p: { time: string }) => p.time),
      ['2026-11-24', '2026-11-25', '2026-11-26'],
    );
  });

  test('a datetime ending_at includes the bucket it falls in; offsets incl. one-digit and + as space', async () => {
    const cases: [string, string][] = [
      ['2026-11-20T00:00:01Z', '2026-11-20'],
      ['2026-11-20T00:00:00Z', '2026-11-19'],
      ['2026-11-19T23:59:59-05:00', '2026-11-20'],
      ['2026-11-19T23:59:59-5:00', '2026-11-20'],
      ['2026-11-20T03:00:00 05:00', '2026-11-19'],
      ['2026-11-20T12:00:00.123456+01:00', '2026-11-20'],
    ];
    for (const [endingAt, last] of cases) {
      const r = await get(emu.url, seriesPath({ event, length: 2, ending_at: endingAt }));
      assert.equal(r.status, 200, endingAt);
      assert.equal(r.json.data.at(-1).time, last, endingAt);
    }
  });

  test('hour buckets: 100 max, ISO datetimes, ending on the hour before ending_at', async () => {
    const r = await get(
      emu.url,
      seriesPath({ event, length: 100, unit: 'hour', ending_at: '2026-11-20T10:00:00Z' }),
    );
    assert.equal(r.json.data.length, 100);
    assert.equal(r.json.data.at(-1).time, '2026-11-20T09:00:00+00:00');
    assert.equal(r.json.data[0].time, '2026-11-16T06:00:00+00:00');
  });

  test('unknown events answer zeros, as Braze does for names it has never seen', async () => {
    const r = await get(
      emu.url,
      seriesPath({ event: 'never seen', length: 5, ending_at: '2026-11-20' }),
    );
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.json.data.map((p: { count: number }) => p.count),
      [0, 0, 0, 0, 0],
    );
  });

  test('event names with & % / + # ? and emoji round-trip through the query string', async () => {
    for (const name of emu.eventNames().filter((n) => /[&%/+#?🎉]/u.test(n))) {
      const r = await get(
        emu.url,
        seriesPath({ event: name, length: 100, ending_at: '2026-10-01' }),
      );
      const truth = emu.groundTruth({ event: name, length: 100, endingAt: '2026-10-01' });
      assert.deepEqual(r.json.data, truth, name);
    }
  });

  const invalid: [Record<string, string>, string][] = [
    [{ length: '5' }, 'event'],
    [{ event: '', length: '5' }, 'event'],
    [{ event: 'x' }, 'length'],
    [{ event: 'x', length: '0' }, 'length'],
    [{ event: 'x', length: '101' }, 'length'],
    [{ event: 'x', length: '2.5' }, 'length'],
    [{ event: 'x', length: '-1' }, 'length'],
    [{ event: 'x', length: 'ten' }, 'length'],
    [{ event: 'x', length: '5', unit: 'week' }, 'unit'],
    [{ event: 'x', length: '5', unit: 'DAY' }, 'unit'],
    [{ event: 'x', length: '5', ending_at: 'yesterday' }, 'ending_at'],
    [{ event: 'x', length: '5', ending_at: '2026-02-30' }, 'ending_at'],
    [{ event: 'x', length: '5', ending_at: '2026-11-20T25:00:00Z' }, 'ending_at'],
    [{ event: 'x', length: '5', app_id: 'no-such-app' }, 'app_id'],
    [{ event: 'x', length: '5', segment_id: 'no-such-segment' }, 'segment_id'],
  ];
  for (const [params, name] of invalid) {
    test(`400 naming ${name} for ${JSON.stringify(params)}`, async () => {
      const r = await get(emu.url, seriesPath(params));
      assert.equal(r.status, 400);
      assert.deepEqual(Object.keys(r.json), ['message']);
      assert.ok(r.json.message.includes(`'${name}'`), r.json.message);
    });
  }

  test('hour time forms and bucket zones are configurable', async () => {
    const forms = [
      ['z', { zoneOffsetMinutes: 0 }, '2026-11-20T09:00:00Z'],
      ['fractional', { zoneOffsetMinutes: 0 }, '2026-11-20T09:00:00.000Z'],
      ['offset', { zoneOffsetMinutes: -300 }, '2026-11-20T04:00:00-05:00'],
      ['z', { zoneOffsetMinutes: 330 }, '2026-11-20T09:30:00Z'],
    ] as const;
    for (const [hourFormat, zone, last] of forms) {
      const e = await startEmulator({ seed: 11, hourFormat, ...zone, now: () => NOW });
      try {
        const r = await get(
          e.url,
          seriesPath({ event, length: 2, unit: 'hour', ending_at: '2026-11-20T10:00:00Z' }),
        );
        assert.equal(r.json.data.at(-1).time, last, `${hourFormat} ${zone.zoneOffsetMinutes}`);
      } finally {
        await e.close();
      }
    }
  });

  test('a date-only ending_at is midnight in the bucket zone', async () => {
    const e = await startEmulator({ seed: 11, zoneOffsetMinutes: -300, now: () => NOW });
    try {
      const r = await get(
        e.url,
        seriesPath({ event, length: 24, unit: 'hour', ending_at: '2026-11-20' }),
      );
      assert.equal(r.json.data.at(-1).time, '2026-11-19T23:00:00-05:00');
      const d = await get(e.url, seriesPath({ event, length: 1, ending_at: '2026-11-20' }));
      assert.equal(d.json.data[0].time, '2026-11-19');
      const sum = r.json.data.reduce((s: number, p: { count: number }) => s + p.count, 0);
      assert.equal(sum, d.json.data[0].count, 'local hours sum to the local day');
    } finally {
      await e.close();
    }
  });
});
