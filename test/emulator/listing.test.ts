import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { get, NOW } from './helpers.js';

describe('GET /events/list', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 3, now: () => NOW });
  });
  after(() => emu.close());

  test('0-based pages of 250 sorted names: 250, 250, 112, then empty', async () => {
    const pages: string[][] = [];
    for (let page = 0; page < 4; page++) {
      const r = await get(emu.url, page === 0 ? '/events/list' : `/events/list?page=${page}`);
      assert.equal(r.status, 200);
      assert.equal(r.json.message, 'success');
      pages.push(r.json.events);
    }
    assert.deepEqual(
      pages.map((p) => p.length),
      [250, 250, 112, 0],
    );
    const all = pages.flat();
    assert.deepEqual(all, emu.eventNames());
    assert.deepEqual(all, [...all].sort(), 'sorted by UTF-16 code unit');
    assert.equal(new Set(all).size, 612);
  });

  test('names include spaces, & % / quotes, non-ASCII and emoji', () => {
    const names = emu.eventNames();
    for (const ch of [' ', '&', '%', '/', '"', "'", 'é', '🎉', '?', '#', '+']) {
      assert.ok(
        names.some((n) => n.includes(ch)),
        `a name with ${ch}`,
      );
    }
    assert.ok(
      names.some((n) => /[A-Z]/.test(n)) && names.some((n) => /^[a-z]/.test(n)),
      'mixed case',
    );
  });

  for (const bad of ['-1', 'abc', '1.5', '', '1e3']) {
    test(`page=${JSON.stringify(bad)} is a 400 naming page`, async () => {
      const r = await get(emu.url, `/events/list?page=${encodeURIComponent(bad)}`);
      assert.equal(r.status, 400);
      assert.match(r.json.message, /'page'/);
    });
  }
});

describe('GET /events', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: 3, now: () => NOW });
  });
  after(() => emu.close());

  test('follows the Link chain over all 13 pages of up to 50, prev after the first', async () => {
    let path: string | null = '/events';
    const names: string[] = [];
    let pages = 0;
    while (path !== null) {
      const r = await get(emu.url, path);
      assert.equal(r.status, 200);
      pages++;
      for (const e of r.json.events) {
        assert.deepEqual(Object.keys(e).sort(), [
          'description',
          'included_in_analytics_report',
          'name',
          'status',
          'tag_names',
        ]);
        assert.equal(e.status, 'Active');
        names.push(e.name);
      }
      const link = r.headers.get('link') ?? '';
      const next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
      const prev = /<([^>]+)>; rel="prev"/.exec(link)?.[1];
      assert.equal(
        prev === undefined,
        pages === 1,
        `prev only after the first page (page ${pages})`,
      );
      if (next !== undefined) {
        assert.equal(r.json.events.length, 50);
        const url = new URL(next);
        assert.equal(url.origin, emu.url);
        assert.equal(url.pathname, '/events');
        path = `${url.pathname}${url.search}`;
      } else {
        path = null;
      }
    }
    assert.equal(pages, 13);
    assert.deepEqual(names, emu.eventNames());
  });

  test('prev of page 3 points at page 2', async () => {
    const linkPath = (link: string | null, rel: string) => {
      const target = new RegExp(`<([^>]+)>; rel="${rel}"`).exec(link ?? '')?.[1];
      assert.ok(target, `a rel="${rel}" link in ${link}`);
      const url = new URL(target);
      return `${url.pathname}${url.search}`;
    };
    const first = await get(emu.url, '/events');
    const second = await get(emu.url, linkPath(first.headers.get('link'), 'next'));
    const third = await get(emu.url, linkPath(second.headers.get('link'), 'next'));
    const back = await get(emu.url, linkPath(third.headers.get('link'), 'prev'));
    assert.deepEqual(back.json, second.json);
    assert.notDeepEqual(third.json, second.json);
  });

  for (const bad of ['nope', 'c2tpcDo5OTk5OQ==', Buffer.from('skip:-1').toString('base64'), '']) {
    test(`a bad cursor ${JSON.stringify(bad)} is Braze's invalid-cursor 400`, async () => {
      const r = await get(emu.url, `/events?cursor=${encodeURIComponent(bad)}`);
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, {
        errors: [
          {
            id: 'invalid-cursor',
            message: "'cursor' is not valid",
            parameters: ['cursor'],
            parameter_values: [bad],
          },
        ],
        message: 'Invalid Request',
      });
    });
  }

  test('no Link header when everything fits on one page; relative links on request', async () => {
    const small = await startEmulator({ events: 30, now: () => NOW });
    const rel = await startEmulator({ events: 120, linkStyle: 'relative', now: () => NOW });
    try {
      const r = await get(small.url, '/events');
      assert.equal(r.json.events.length, 30);
      assert.equal(r.headers.get('link'), null);
      const r2 = await get(rel.url, '/events');
      assert.match(r2.headers.get('link')!, /^<\/events\?cursor=[^>]+>; rel="next"$/);
    } finally {
      await small.close();
      await rel.close();
    }
  });
});
