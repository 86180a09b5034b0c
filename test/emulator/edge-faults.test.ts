/**
 * The fault kinds that mirror the contract suite's recorded answers (issue 15, item 10),
 * checked with plain fetch and node:http, not the project's client.
 */
import assert from 'node:assert/strict';
import { get as httpGet } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { get, NOW, seriesPath } from './helpers.js';

const SERIES = seriesPath({ event: 'Purchase Completed', length: 3, ending_at: '2026-11-01' });

describe('edge and contract faults', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 2, now: () => NOW, events: 300 });
  });
  after(() => emu.close());

  test('401-echo: the key sent, echoed; rate-limit headers present but empty', async () => {
    emu.addFault({ kind: '401-echo', count: 1 });
    const r = await get(emu.url, SERIES, 'some-key-sent');
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, { message: 'Invalid API key: some-key-sent' });
    assert.equal(r.headers.get('x-ratelimit-limit'), '');
    assert.equal(r.headers.get('x-ratelimit-reset'), '');
  });

  test('429: reset at the top of the hour; 429-minute: reset at the next minute', async () => {
    emu.addFault({ kind: '429', count: 1 });
    const hourly = await get(emu.url, SERIES);
    assert.equal(
      Number(hourly.headers.get('x-ratelimit-reset')),
      Date.UTC(2026, 10, 26, 14) / 1000,
    );
    emu.addFault({ kind: '429-minute', count: 1 });
    const minute = await get(emu.url, SERIES);
    assert.equal(minute.status, 429);
    assert.equal(minute.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(Number(minute.headers.get('x-ratelimit-reset')), (NOW + 60_000) / 1000);
  });

  test('proxy-429: HTML from the edge, Retry-After, none of Braze’s headers', async () => {
    emu.addFault({ kind: 'proxy-429', count: 1, delayMs: 2000 });
    const r = await get(emu.url, SERIES);
    assert.equal(r.status, 429);
    assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(r.headers.get('server'), 'cloudflare');
    assert.equal(r.headers.get('retry-after'), '2');
    assert.equal(r.headers.get('x-ratelimit-remaining'), null);
    assert.match(r.text, /429 Too Many Requests/);
  });

  test('duplicate-headers: each x-ratelimit header twice, different values', async () => {
    emu.addFault({ kind: 'duplicate-headers', count: 1 });
    const r = await get(emu.url, SERIES);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('x-ratelimit-remaining') ?? '', /^\d+, \d+$/);
  });

  test('truncated-close: half the announced body, then the connection closes', async () => {
    emu.addFault({ kind: 'truncated-close', count: 1 });
    const url = new URL(SERIES, emu.url);
    const outcome = await new Promise<string>((resolve) => {
      httpGet(url, { headers: { authorization: 'Bearer emulator-key' } }, (res) => {
        let got = 0;
        res.on('data', (c: Buffer) => (got += c.length));
        res.on('error', () => resolve(`aborted after ${got} of ${res.headers['content-length']}`));
        res.on('end', () => resolve('complete'));
      }).on('error', (e) => resolve(`error ${e.message}`));
    });
    assert.match(outcome, /^aborted after \d+ of \d+$/);
  });

  test('ignore-page: every page of /events/list is page 0', async () => {
    emu.addFault({ kind: 'ignore-page', route: 'eventsList', count: 2 });
    const p0 = await get(emu.url, '/events/list?page=0');
    const p1 = await get(emu.url, '/events/list?page=1');
    assert.equal(p0.json.events.length, 250);
    assert.deepEqual(p1.json.events, p0.json.events);
  });

  test('repeat-cursor: the next link of /events points back to the page just read', async () => {
    emu.addFault({ kind: 'repeat-cursor', route: 'events', count: 1 });
    const r = await get(emu.url, '/events?cursor=c2tpcDo1MA%3D%3D');
    assert.match(r.headers.get('link') ?? '', /\/events\?cursor=c2tpcDo1MA%3D%3D>; rel="next"$/);
  });
});

test('the new kinds parse as CLI fault specs', async () => {
  const { parseFaultSpec } = await import('../../src/emulator/index.js');
  assert.deepEqual(parseFaultSpec('proxy-429:data_series:5%:2000'), {
    kind: 'proxy-429',
    route: 'dataSeries',
    probability: 0.05,
    delayMs: 2000,
  });
  assert.deepEqual(parseFaultSpec('ignore-page:list'), {
    kind: 'ignore-page',
    route: 'eventsList',
  });
  assert.throws(() => parseFaultSpec('proxy-430'), /fault kind must be one of .*repeat-cursor/);
});
