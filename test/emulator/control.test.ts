import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { get, NOW, seriesPath } from './helpers.js';

const KEY = 'secret-key-ABC123';

async function control(emu: Emulator, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(`${emu.url}/_emulator/${path}`, init);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('control API under /_emulator/ (no auth, not logged, not rate limited)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({
      seed: 4,
      now: () => NOW,
      keys: [{ key: KEY }],
      rateLimits: { dataSeries: 2 },
    });
  });
  after(() => emu.close());

  test('health and workspace', async () => {
    const h = await control(emu, 'GET', 'health');
    assert.equal(h.status, 200);
    assert.deepEqual(h.json, {
      status: 'ok',
      seed: 4,
      events: 612,
      now: new Date(NOW).toISOString(),
    });
    const w = await control(emu, 'GET', 'workspace');
    assert.deepEqual(w.json.apps, emu.apps());
    assert.deepEqual(w.json.segments, emu.segments());
  });

  test('the request log: decoded query, redacted authorization, status; DELETE clears it', async () => {
    await control(emu, 'DELETE', 'requests');
    await get(emu.url, seriesPath({ event: 'a & b/ü', length: 3 }), KEY);
    await get(emu.url, '/events/list', 'wrong');
    const log = (await control(emu, 'GET', 'requests')).json.requests as Record<string, unknown>[];
    assert.equal(log.length, 2);
    assert.deepEqual(log[0]!.query, { event: 'a & b/ü', length: '3' });
    assert.equal(log[0]!.path, '/events/data_series');
    assert.equal(log[0]!.status, 200);
    assert.equal((log[0]!.headers as Record<string, string>).authorization, 'Bearer [REDACTED]');
    assert.equal(log[1]!.status, 401);
    assert.ok(!JSON.stringify(log).includes(KEY), 'no key in the log');
    assert.ok(!JSON.stringify(emu.requests()).includes(KEY), 'no key in requests()');
    await control(emu, 'DELETE', 'requests');
    assert.deepEqual(emu.requests(), []);
  });

  test('ground truth equals data_series and ignores rate limits and faults', async () => {
    const q = {
      event: 'Purchase Completed',
      length: '20',
      unit: 'hour',
      ending_at: '2026-11-26T10:00:00Z',
    };
    const http = await get(emu.url, seriesPath(q), KEY);
    assert.equal(http.status, 200);
    assert.equal((await get(emu.url, seriesPath(q), KEY)).status, 429);
    await control(emu, 'POST', 'faults', { kind: '503', count: 5 });
    const truth = await control(emu, 'GET', `ground-truth?${new URLSearchParams(q)}`);
    assert.deepEqual(truth.json.data, http.json.data);
    const bad = await control(emu, 'GET', 'ground-truth?event=x&length=500');
    assert.equal(bad.status, 400);
    assert.match(String(bad.json.message), /'length'/);
    await control(emu, 'DELETE', 'faults');
  });

  test('faults: POST rules or specs, GET lists them, DELETE clears', async () => {
    const added = await control(emu, 'POST', 'faults', [
      '502:list:2',
      { kind: 'reset', route: 'events', probability: 0.5 },
    ]);
    assert.deepEqual(added.json.faults, [
      { kind: '502', route: 'eventsList', count: 2 },
      { kind: 'reset', route: 'events', probability: 0.5 },
    ]);
    assert.equal((await get(emu.url, '/events/list', KEY)).status, 502);
    assert.deepEqual(((await control(emu, 'GET', 'faults')).json.faults as unknown[]).length, 2);
    const bad = await control(emu, 'POST', 'faults', { kind: 'teapot' });
    assert.equal(bad.status, 400);
    await control(emu, 'DELETE', 'faults');
    assert.deepEqual(emu.faults(), []);
  });

  test('restate, anomalies, clock, rate limits', async () => {
    const q = { event: 'Purchase Completed', length: 3 };
    const before = emu.groundTruth(q);
    assert.equal(
      (await control(emu, 'POST', 'restate', { days: 2, factor: 3, event: q.event })).status,
      200,
    );
    const after = emu.groundTruth(q);
    assert.equal(after[0]!.count, before[0]!.count);
    assert.notEqual(after[2]!.count, before[2]!.count);
    assert.deepEqual((await control(emu, 'GET', 'anomalies')).json.anomalies, emu.anomalies());
    const clock = await control(emu, 'POST', 'clock', { now: '2026-01-01T00:00:00Z' });
    assert.equal(clock.json.now, '2026-01-01T00:00:00.000Z');
    assert.equal(emu.now(), Date.UTC(2026, 0, 1));
    const limits = await control(emu, 'GET', 'rate-limits');
    assert.deepEqual(limits.json.dataSeries, {
      limit: 2,
      remaining: 2,
      reset: Date.UTC(2026, 0, 1, 1) / 1000,
    });
    assert.equal((await control(emu, 'POST', 'clock', { now: 'soon' })).status, 400);
    assert.equal((await control(emu, 'GET', 'nothing-here')).status, 404);
    emu.setClock(() => NOW);
  });
});
