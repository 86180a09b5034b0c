import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { get, NOW, seriesPath } from './helpers.js';

const KEY = 'test-key-7f3a9c';

describe('auth, permissions, paths and methods', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      now: () => NOW,
      keys: [
        { key: KEY },
        { key: 'list-only', permissions: ['events.list'] },
        { key: 'none', permissions: [] },
      ],
    });
  });
  after(() => emu.close());

  test('any casing of Bearer is accepted', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      const r = await fetch(`${emu.url}/events/list`, {
        headers: { authorization: `${scheme} ${KEY}` },
      });
      assert.equal(r.status, 200, scheme);
    }
  });

  test('a wrong key is a 401 echoing the key, with empty rate-limit headers', async () => {
    const r = await get(emu.url, '/events/list', 'wrong-key');
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { message: 'Invalid API key: wrong-key' });
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      assert.equal(r.headers.get(h), '', h);
    }
    assert.ok(r.headers.get('x-request-id'), 'x-request-id');
  });

  test('a missing header or a quoted key is a 401', async () => {
    assert.equal((await get(emu.url, '/events/list', null)).status, 401);
    const quoted = await get(emu.url, '/events/list', `"${KEY}"`);
    assert.equal(quoted.status, 401);
    assert.equal(quoted.json.message, `Invalid API key: "${KEY}"`);
  });

  test('a key without the permission is a 403 naming it, with rate-limit headers', async () => {
    const cases = [
      ['list-only', '/events', 'events.get'],
      ['list-only', seriesPath({ event: 'x', length: 1 }), 'events.data_series'],
      ['none', '/events/list', 'events.list'],
    ] as const;
    for (const [key, path, permission] of cases) {
      const r = await get(emu.url, path, key);
      assert.equal(r.status, 403, path);
      assert.match(r.json.message, /^Access Denied/);
      assert.ok(r.json.message.includes(permission), r.json.message);
      assert.match(r.headers.get('x-ratelimit-limit') ?? '', /^\d+$/);
    }
    assert.equal((await get(emu.url, '/events/list', 'list-only')).status, 200);
  });

  test('unknown paths are 404, other methods 405; every answer has an x-request-id', async () => {
    const r404 = await get(emu.url, '/events/lists');
    assert.equal(r404.status, 404);
    assert.equal(typeof r404.json.message, 'string');
    const ids = new Set([r404.headers.get('x-request-id')]);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await fetch(`${emu.url}/events/data_series`, {
        method,
        headers: { authorization: `Bearer ${KEY}` },
      });
      assert.equal(r.status, 405, method);
      assert.equal(r.headers.get('allow'), 'GET');
      assert.equal(typeof ((await r.json()) as { message: unknown }).message, 'string');
      ids.add(r.headers.get('x-request-id'));
    }
    assert.equal(ids.size, 5, 'distinct request ids');
  });
});

describe('rate limits', () => {
  test('headers on every authenticated answer; /events/list and /events share a bucket; 429 when exhausted', async () => {
    const emu = await startEmulator({ now: () => NOW, rateLimits: { listing: 3, dataSeries: 2 } });
    try {
      const hour = Math.floor(NOW / 3_600_000);
      const reset = String((hour + 1) * 3600);
      const a = await get(emu.url, '/events/list');
      const b = await get(emu.url, '/events');
      const c = await get(emu.url, '/events/list?page=9');
      assert.deepEqual(
        [a, b, c].map((r) => [
          r.status,
          r.headers.get('x-ratelimit-limit'),
          r.headers.get('x-ratelimit-remaining'),
          r.headers.get('x-ratelimit-reset'),
        ]),
        [
          [200, '3', '2', reset],
          [200, '3', '1', reset],
          [200, '3', '0', reset],
        ],
      );
      const limited = await get(emu.url, '/events');
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.json, { message: 'Rate Limited' });
      assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(limited.headers.get('x-ratelimit-reset'), reset);
      // data_series has its own bucket; a 400 still counts and carries headers.
      const bad = await get(emu.url, seriesPath({ event: 'x', length: 0 }));
      assert.equal(bad.status, 400);
      assert.equal(bad.headers.get('x-ratelimit-remaining'), '1');
      assert.equal((await get(emu.url, seriesPath({ event: 'x', length: 1 }))).status, 200);
      assert.equal((await get(emu.url, seriesPath({ event: 'x', length: 1 }))).status, 429);
      assert.deepEqual(emu.rateLimit('dataSeries'), {
        limit: 2,
        remaining: 0,
        reset: Number(reset),
      });
    } finally {
      await emu.close();
    }
  });

  test('fixed clock-hour windows: the budget resets at the top of the hour, not an hour after the first request', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 10, 26, 13, 59, 0));
    const emu = await startEmulator({ now: clock.now, rateLimits: { listing: 1 } });
    try {
      const first = await get(emu.url, '/events/list');
      assert.equal(
        first.headers.get('x-ratelimit-reset'),
        String(Date.UTC(2026, 10, 26, 14) / 1000),
      );
      assert.equal((await get(emu.url, '/events/list')).status, 429);
      clock.set(Date.UTC(2026, 10, 26, 13, 59, 59, 999));
      assert.equal((await get(emu.url, '/events/list')).status, 429);
      clock.set(Date.UTC(2026, 10, 26, 14, 0, 0));
      const fresh = await get(emu.url, '/events/list');
      assert.equal(fresh.status, 200);
      assert.equal(fresh.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(
        fresh.headers.get('x-ratelimit-reset'),
        String(Date.UTC(2026, 10, 26, 15) / 1000),
      );
    } finally {
      await emu.close();
    }
  });

  test('hourMs scales the window: reset is the next scaled window start in epoch seconds (rounded up)', async () => {
    const clock = createVirtualClock(1_000_000_500);
    const emu = await startEmulator({
      now: clock.now,
      hourMs: 2000,
      rateLimits: { dataSeries: 1 },
    });
    try {
      const path = seriesPath({ event: 'x', length: 1 });
      const r = await get(emu.url, path);
      assert.equal(r.headers.get('x-ratelimit-reset'), String(1_000_002));
      assert.equal((await get(emu.url, path)).status, 429);
      clock.advance(2000);
      assert.equal((await get(emu.url, path)).status, 200);
      const odd = await startEmulator({ now: () => 1_000_000_100, hourMs: 1500 });
      const r2 = await get(odd.url, path);
      // Window [999_999_000, 1_000_000_500): reset = ceil(1_000_000.5) = 1_000_001.
      assert.equal(r2.headers.get('x-ratelimit-reset'), '1000001');
      await odd.close();
    } finally {
      await emu.close();
    }
  });

  test('with the real clock and a 300 ms hour, a client that waits until reset gets through', async () => {
    const emu = await startEmulator({ hourMs: 300, rateLimits: { listing: 1 } });
    try {
      await get(emu.url, '/events/list');
      let r = await get(emu.url, '/events/list');
      if (r.status === 429) {
        const waitMs = Number(r.headers.get('x-ratelimit-reset')) * 1000 - Date.now();
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs) + 5));
        r = await get(emu.url, '/events/list');
      }
      assert.equal(r.status, 200);
    } finally {
      await emu.close();
    }
  });
});
