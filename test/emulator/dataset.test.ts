import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type EmulatorDataset, startEmulator } from '../../src/emulator/index.js';
import { get, NOW, seriesPath } from './helpers.js';

const DATA: EmulatorDataset = {
  apps: [{ id: 'app-ios', name: 'iOS' }],
  segments: [{ id: 'seg-vip', name: 'VIP' }],
  events: [
    {
      name: 'Signup',
      description: 'A new account',
      included_in_analytics_report: true,
      tag_names: ['growth'],
      counts: { '2026-11-01': 48, '2026-11-02T05': 7, '2026-11-02T06': 3 },
      apps: { 'app-ios': { '2026-11-01': 30 } },
      segments: { 'seg-vip': { '2026-11-01': 4 } },
    },
    { name: 'App Open' },
  ],
};

describe('explicit data set', () => {
  test('serves exactly the given counts, days spread over hours, sorted names', async () => {
    const emu = await startEmulator({ data: DATA, now: () => NOW });
    try {
      assert.deepEqual((await get(emu.url, '/events/list')).json.events, ['App Open', 'Signup']);
      const events = (await get(emu.url, '/events')).json.events;
      assert.deepEqual(events[1], {
        name: 'Signup',
        description: 'A new account',
        included_in_analytics_report: true,
        status: 'Active',
        tag_names: ['growth'],
      });
      const day = await get(
        emu.url,
        seriesPath({ event: 'Signup', length: 3, ending_at: '2026-11-03' }),
      );
      assert.deepEqual(day.json.data, [
        { time: '2026-10-31', count: 0 },
        { time: '2026-11-01', count: 48 },
        { time: '2026-11-02', count: 10 },
      ]);
      const hours = await get(
        emu.url,
        seriesPath({ event: 'Signup', length: 24, unit: 'hour', ending_at: '2026-11-02' }),
      );
      assert.ok(
        hours.json.data.every((p: { count: number }) => p.count === 2),
        'a day of 48 spreads as 2 per hour',
      );
      const app = await get(
        emu.url,
        seriesPath({ event: 'Signup', length: 1, ending_at: '2026-11-02', app_id: 'app-ios' }),
      );
      assert.equal(app.json.data[0].count, 30);
      const seg = await get(
        emu.url,
        seriesPath({ event: 'Signup', length: 1, ending_at: '2026-11-02', segment_id: 'seg-vip' }),
      );
      assert.equal(seg.json.data[0].count, 4);
      assert.deepEqual(emu.anomalies(), []);
    } finally {
      await emu.close();
    }
  });

  test('a malformed data set is rejected with a message naming the problem', async () => {
    await assert.rejects(startEmulator({ data: {} as EmulatorDataset }), /events/);
    await assert.rejects(
      startEmulator({ data: { events: [{ name: 'A', counts: { '2026-13-01x': 1 } }] } }),
      /YYYY-MM-DD/,
    );
    await assert.rejects(
      startEmulator({ data: { events: [{ name: 'A', counts: { '2026-11-01': -1 } }] } }),
      /non-negative/,
    );
    await assert.rejects(
      startEmulator({ data: { events: [{ name: 'A' }, { name: 'A' }] } }),
      /duplicate/,
    );
    await assert.rejects(
      startEmulator({ data: { events: [{ name: 'A', apps: { nope: {} } }] } }),
      /unknown app/,
    );
  });
});

describe('options are validated at the boundary', () => {
  test('bad options throw RangeError/TypeError naming the option', async () => {
    await assert.rejects(startEmulator({ events: -1 }), /events/);
    await assert.rejects(startEmulator({ hourMs: 0 }), /hourMs/);
    await assert.rejects(startEmulator({ zoneOffsetMinutes: 1440 }), /zoneOffsetMinutes/);
    await assert.rejects(startEmulator({ anchor: 'soon' }), /anchor/);
    await assert.rejects(startEmulator({ keys: [{ key: '' }] }), /key/);
    await assert.rejects(startEmulator({ rateLimits: { listing: 1.5 } }), /rateLimits.listing/);
  });
});
