import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type Emulator,
  type FaultKind,
  parseFaultSpec,
  startEmulator,
} from '../../src/emulator/index.js';
import { get, NOW, seriesPath } from './helpers.js';

const SERIES = seriesPath({ event: 'Purchase Completed', length: 30, ending_at: '2026-11-01' });

describe('faults', () => {
  let emu: Emulator;
  let normal: string;
  before(async () => {
    emu = await startEmulator({ seed: 2, now: () => NOW });
    normal = (await get(emu.url, SERIES)).text;
  });
  after(() => emu.close());

  const statusFaults: [FaultKind, number, RegExp][] = [
    ['429', 429, /^application\/json/],
    ['500', 500, /^application\/json/],
    ['502', 502, /^text\/html/],
    ['503', 503, /^application\/json/],
    ['504', 504, /^text\/html/],
    ['202', 202, /^application\/json/],
  ];
  for (const [kind, status, type] of statusFaults) {
    test(`${kind}: status ${status}, then the next request is normal`, async () => {
      emu.addFault({ kind, route: 'dataSeries', count: 1 });
      const r = await get(emu.url, SERIES);
      assert.equal(r.status, status);
      assert.match(r.headers.get('content-type') ?? '', type);
      if (kind === '202') assert.deepEqual(r.json, { message: 'queued' });
      if (kind === '502') assert.match(r.text, /<html>[\s\S]*502 Bad Gateway/);
      if (kind === '429') {
        assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
        assert.match(r.headers.get('x-ratelimit-reset') ?? '', /^\d+$/);
      }
      assert.equal((await get(emu.url, SERIES)).text, normal);
    });
  }

  test('reset: the connection dies without an answer', async () => {
    emu.addFault({ kind: 'reset', count: 1 });
    await assert.rejects(get(emu.url, SERIES), TypeError);
    assert.equal((await get(emu.url, SERIES)).status, 200);
  });

  test('hang: no answer until the client gives up', async () => {
    emu.addFault({ kind: 'hang', count: 1 });
    await assert.rejects(
      fetch(`${emu.url}${SERIES}`, {
        headers: { authorization: 'Bearer emulator-key' },
        signal: AbortSignal.timeout(200),
      }),
      (err: Error) => err.name === 'TimeoutError',
    );
  });

  test('slow and delay: the normal body, late', async () => {
    emu.addFault({ kind: 'slow', count: 1, delayMs: 10 });
    assert.equal((await get(emu.url, SERIES)).text, normal);
    emu.addFault({ kind: 'delay', count: 1, delayMs: 20 });
    assert.equal((await get(emu.url, SERIES)).text, normal);
  });

  test('a delay composes with a failure: the failure is answered, late (trial 2026-11-30)', async () => {
    // A `delay` on every request used to shadow every rule added after it: the 503 never
    // fired. A delay now delays whatever the request is answered, and the rules go on.
    emu.clearRequests();
    emu.addFault({ kind: 'delay', route: '*', delayMs: 5 });
    emu.addFault({ kind: '503', route: 'dataSeries', count: 2 });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await get(emu.url, SERIES)).status);
      assert.deepEqual(statuses, [503, 503, 200]);
      const log = emu.requests().map((r) => ({ fault: r.fault, delayMs: r.delayMs }));
      assert.deepEqual(log, [
        { fault: '503', delayMs: 5 },
        { fault: '503', delayMs: 5 },
        { fault: 'delay', delayMs: 5 },
      ]);
      // A probabilistic failure after a delay fires too (the trial's 10% 503 never did).
      emu.clearFaults();
      emu.addFault({ kind: 'delay', route: '*', delayMs: 1 });
      emu.addFault({ kind: '503', route: 'dataSeries', probability: 0.5 });
      const more = [];
      for (let i = 0; i < 20; i++) more.push((await get(emu.url, SERIES)).status);
      assert.ok(more.includes(503) && more.includes(200), more.join(' '));
    } finally {
      emu.clearFaults();
    }
  });

  test('truncated, invalid JSON, wrong content type, HTML page', async () => {
    emu.addFault({ kind: 'truncated', count: 1 });
    const t = await get(emu.url, SERIES);
    assert.equal(t.status, 200);
    assert.ok(normal.startsWith(t.text) && t.text.length < normal.length, 'a prefix');
    assert.throws(() => JSON.parse(t.text), SyntaxError);
    emu.addFault({ kind: 'invalid-json', count: 1 });
    const i = await get(emu.url, SERIES);
    assert.match(i.headers.get('content-type') ?? '', /^application\/json/);
    assert.throws(() => JSON.parse(i.text), SyntaxError);
    emu.addFault({ kind: 'content-type', count: 1 });
    const c = await get(emu.url, SERIES);
    assert.match(c.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(c.text, normal);
    emu.addFault({ kind: 'html', count: 1 });
    const h = await get(emu.url, SERIES);
    assert.equal(h.status, 200);
    assert.match(h.text, /^<!DOCTYPE html>/);
  });

  test('a script: the next 3 requests to one route fail, other routes are untouched', async () => {
    emu.addFault(parseFaultSpec('503:data_series:3'));
    assert.equal((await get(emu.url, '/events/list')).status, 200);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(emu.url, SERIES)).status);
    assert.deepEqual(statuses, [503, 503, 503, 200]);
    assert.deepEqual(emu.faults(), []);
  });

  test('400/404 for one event: only that name is refused, after auth, naming it', async () => {
    emu.clearRequests();
    emu.addFault({ kind: '400', event: '$Purchase' });
    emu.addFault(parseFaultSpec('404@Gone Event'));
    const reserved = await get(emu.url, seriesPath({ event: '$Purchase', length: 3 }));
    assert.equal(reserved.status, 400);
    assert.deepEqual(reserved.json, { message: "Invalid 'event' parameter: $Purchase" });
    // Braze's own answer: after the rate limit was counted, so it carries its headers.
    assert.match(reserved.headers.get('x-ratelimit-remaining') ?? '', /^\d+$/);
    const gone = await get(emu.url, seriesPath({ event: 'Gone Event', length: 3 }));
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json, { message: 'Event not found: Gone Event' });
    assert.equal((await get(emu.url, SERIES)).status, 200);
    assert.equal((await get(emu.url, '/events/list')).status, 200);
    // A wrong key is still a 401: the refusal is Braze's, behind authentication.
    const unauth = await get(emu.url, seriesPath({ event: '$Purchase', length: 3 }), 'bad');
    assert.equal(unauth.status, 401);
    assert.equal((await get(emu.url, seriesPath({ event: '$Purchase', length: 3 }))).status, 400);
    assert.deepEqual(
      emu.requests().map((r) => r.fault ?? null),
      ['400', '404', null, null, '400', '400'],
    );
    emu.clearFaults();
  });

  test('the request log records faults; faults come before auth', async () => {
    emu.clearRequests();
    emu.addFault({ kind: '500', route: '/events/list', count: 1 });
    assert.equal((await get(emu.url, '/events/list', 'bad key')).status, 500);
    emu.addFault({ kind: 'reset', route: 'list', count: 1 });
    await assert.rejects(get(emu.url, '/events/list'));
    const log = emu.requests();
    assert.deepEqual(
      log.map((e) => [e.route, e.fault, e.status]),
      [
        ['eventsList', '500', 500],
        ['eventsList', 'reset', 0],
      ],
    );
  });
});

describe('probabilistic faults are deterministic under the seed', () => {
  async function pattern(seed: number): Promise<number[]> {
    const emu = await startEmulator({ seed, faults: [{ kind: '503', probability: 0.3 }] });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await get(emu.url, '/events/list')).status);
      return statuses;
    } finally {
      await emu.close();
    }
  }

  test('same seed, same failures; a probability of 0.3 fails some but not all', async () => {
    const a = await pattern(9);
    const b = await pattern(9);
    assert.deepEqual(a, b);
    const failures = a.filter((s) => s === 503).length;
    assert.ok(failures > 3 && failures < 25, `${failures} of 40`);
    assert.notDeepEqual(await pattern(10), a);
  });

  test('fault specs parse and reject nonsense', () => {
    assert.deepEqual(parseFaultSpec('reset:*:5%'), {
      kind: 'reset',
      route: '*',
      probability: 0.05,
    });
    assert.deepEqual(parseFaultSpec('slow:events:2:50'), {
      kind: 'slow',
      route: 'events',
      count: 2,
      delayMs: 50,
    });
    assert.deepEqual(parseFaultSpec('429'), { kind: '429', route: '*' });
    assert.deepEqual(parseFaultSpec('400@$Purchase'), {
      kind: '400',
      route: 'dataSeries',
      event: '$Purchase',
    });
    // Everything after the first @ is the name, colons and @ included.
    assert.deepEqual(parseFaultSpec('404:data_series:2@Old: a@b'), {
      kind: '404',
      route: 'dataSeries',
      count: 2,
      event: 'Old: a@b',
    });
    assert.throws(() => parseFaultSpec('400@'), RangeError);
    assert.throws(() => parseFaultSpec('418'), RangeError);
    assert.throws(() => parseFaultSpec('503:nowhere'), RangeError);
    assert.throws(() => parseFaultSpec('503:*:0'), RangeError);
    assert.throws(() => parseFaultSpec('503:*:150%'), RangeError);
  });
});

describe('close()', () => {
  test('destroys hung and slow connections so nothing waits', async () => {
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => 'answered',
        (err: Error) => err.name,
      );
    const emu = await startEmulator({ faults: [{ kind: 'hang' }] });
    const pending = settle(
      fetch(`${emu.url}/events/list`, { headers: { authorization: 'Bearer emulator-key' } }),
    );
    const slow = await startEmulator({ faults: [{ kind: 'slow', delayMs: 60_000 }] });
    const trickling = settle(
      fetch(`${slow.url}/events/list`, { headers: { authorization: 'Bearer emulator-key' } }).then(
        (r) => r.text(),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all([emu.close(), slow.close()]);
    assert.equal(await pending, 'TypeError');
    assert.equal(await trickling, 'TypeError');
  });
});
