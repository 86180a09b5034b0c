/**
 * Self-tests of the stand-in: raw HTTP, no product code, each asserting what the docs say
 * (docs/BRAZE_API.md, the shared "Added 2026-11-29" section, braze-recorded-answers.json).
 */

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, describe, it } from 'node:test';
import { createVirtualClock } from '../helpers/clock.js';
import {
  defaultEventNames,
  parseEndingAt,
  type Standin,
  type StandinOptions,
  standinCount,
  startStandin,
} from './server.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaders: string[];
  body: string;
}

/** One GET with node:http, so duplicated headers are seen as sent. */
function get(base: string, path: string, key: string | null): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
      agent: false,
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const started: Standin[] = [];
after(() => Promise.all(started.map((s) => s.close())));

async function standin(
  options: StandinOptions = {},
): Promise<Standin & { get(p: string): Promise<Raw> }> {
  const s = await startStandin(options);
  started.push(s);
  return Object.assign(s, { get: (p: string) => get(s.url, p, s.apiKey) });
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** A fixed clock: 2026-11-29T10:20:30.500Z. */
const T0 = Date.UTC(2026, 10, 29, 10, 20, 30, 500);

describe('stand-in: authentication', () => {
  it('401 echoes the key it was sent, with empty rate-limit headers (recorded answer)', async () => {
    const s = await standin();
    const r = await get(s.url, '/events/list', 'WRONG-KEY-123');
    assert.equal(r.status, 401);
    assert.deepEqual(JSON.parse(r.body), { message: 'Invalid API key: WRONG-KEY-123' });
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      assert.equal(r.headers[h], '', h);
    }
    assert.equal((await get(s.url, '/events/list', null)).status, 401);
  });

  it('accepts any casing of Bearer; the log never holds the authorization header', async () => {
    const s = await standin();
    const r = await new Promise<number>((resolve, reject) => {
      request(`${s.url}/events/list?page=0`, { headers: { authorization: `bEaReR ${s.apiKey}` } })
        .on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject)
        .end();
    });
    assert.equal(r, 200);
    assert.equal(s.log.length, 1);
    assert.equal(s.log[0]!.path, '/events/list');
    assert.deepEqual(s.log[0]!.query, { page: '0' });
    assert.equal(s.log[0]!.status, 200);
    assert.equal(s.log[0]!.headers.authorization, undefined);
    assert.ok(!JSON.stringify(s.log).includes(s.apiKey));
  });

  it('404 for an unknown path', async () => {
    const s = await standin();
    assert.equal((await s.get('/events/nope')).status, 404);
  });
});

describe('stand-in: GET /events/list', () => {
  it('250 names a page from page 0, alphabetical, the last page short, then empty', async () => {
    const names = defaultEventNames(600).reverse();
    const s = await standin({ events: names });
    const pages: string[][] = [];
    for (let p = 0; p < 4; p++) {
      const r = await s.get(`/events/list?page=${p}`);
      assert.equal(r.status, 200);
      const body = JSON.parse(r.body) as { events: string[]; message: string };
      assert.equal(body.message, 'success');
      pages.push(body.events);
    }
    assert.deepEqual(
      pages.map((p) => p.length),
      [250, 250, 100, 0],
    );
    assert.deepEqual(pages.flat(), [...names].sort());
    assert.deepEqual(JSON.parse((await s.get('/events/list')).body).events, pages[0]);
  });

  it('rate-limit headers: the shared 1,000/hour listing bucket, reset at the top of the hour', async () => {
    const s = await standin({ now: () => T0, listingLimit: 3 });
    const a = await s.get('/events/list');
    const b = await s.get('/events');
    const c = await s.get('/events/list?page=1');
    const d = await s.get('/events');
    const reset = String(Date.UTC(2026, 10, 29, 11) / 1000);
    assert.deepEqual(
      [a, b, c].map((r) => [
        r.status,
        r.headers['x-ratelimit-remaining'],
        r.headers['x-ratelimit-reset'],
      ]),
      [
        [200, '2', reset],
        [200, '1', reset],
        [200, '0', reset],
      ],
    );
    assert.equal(d.status, 429);
    assert.deepEqual(JSON.parse(d.body), { message: 'Over rate limit' });
    assert.equal(d.headers['x-ratelimit-remaining'], '0');
    assert.equal(d.headers['x-ratelimit-limit'], '3');
    assert.equal(d.headers['x-ratelimit-reset'], reset);
  });

  it('ignore-page: every page is page 0', async () => {
    const s = await standin({ events: defaultEventNames(300), listPaging: 'ignore-page' });
    const p0 = JSON.parse((await s.get('/events/list?page=0')).body).events;
    const p1 = JSON.parse((await s.get('/events/list?page=1')).body).events;
    assert.equal(p0.length, 250);
    assert.deepEqual(p1, p0);
  });

  it('repeat-last: any page past the end repeats the last one', async () => {
    const s = await standin({ events: defaultEventNames(500), listPaging: 'repeat-last' });
    const p1 = JSON.parse((await s.get('/events/list?page=1')).body).events;
    assert.equal(p1.length, 250);
    assert.deepEqual(JSON.parse((await s.get('/events/list?page=2')).body).events, p1);
    assert.deepEqual(JSON.parse((await s.get('/events/list?page=9')).body).events, p1);
  });
});

describe('stand-in: GET /events', () => {
  it('50 a page, following Link rel="next" visits every event once, prev after page 1', async () => {
    const names = defaultEventNames(120);
    const s = await standin({ events: names });
    const seen: string[] = [];
    const links: Array<string | undefined> = [];
    let path: string | undefined = '/events';
    while (path !== undefined) {
      const r = await s.get(path);
      assert.equal(r.status, 200);
      const body = JSON.parse(r.body) as { events: Array<{ name: string; status: string }> };
      assert.ok(body.events.length <= 50);
      assert.ok(body.events.every((e) => e.status === 'Active'));
      seen.push(...body.events.map((e) => e.name));
      const link = r.headers.link as string | undefined;
      links.push(link);
      path = /<([^>]+)>; rel="next"/.exec(link ?? '')?.[1];
    }
    assert.deepEqual(seen, names);
    assert.equal(links.length, 3);
    assert.ok(!links[0]!.includes('rel="prev"'));
    assert.match(links[1]!, /rel="prev",<[^>]+>; rel="next"$/);
    assert.ok(!links[2]!.includes('rel="next"'));
  });

  it('no Link header when one page holds all; a bad cursor is 400 invalid-cursor', async () => {
    const s = await standin({ events: defaultEventNames(7) });
    const r = await s.get('/events');
    assert.equal(r.headers.link, undefined);
    assert.equal(JSON.parse(r.body).events.length, 7);
    const bad = await s.get('/events?cursor=bad-cursor');
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).errors[0].id, 'invalid-cursor');
  });
});

describe('stand-in: GET /events/data_series', () => {
  it('a date ending_at: exactly `length` days before it, ascending, zero-filled, the ground truth', async () => {
    const s = await standin({ now: () => T0 });
    const r = await s.get('/events/data_series?event=A%20%26%20B&length=100&ending_at=2026-11-01');
    assert.equal(r.status, 200);
    const body = JSON.parse(r.body) as { data: Array<{ time: string; count: number }> };
    assert.equal(body.data.length, 100);
    assert.equal(body.data[99]!.time, '2026-10-31');
    assert.equal(body.data[0]!.time, '2026-07-24');
    for (const [i, p] of body.data.entries()) {
      const start = Date.UTC(2026, 6, 24) + i * DAY;
      assert.equal(p.count, standinCount('A & B', 'day', start), p.time);
    }
    assert.ok(
      body.data.some((p) => p.count === 0),
      'some buckets are zero',
    );
    assert.equal(s.log[0]!.query.event, 'A & B');
  });

  it('no ending_at: the last bucket is the current one; a datetime with a one-digit offset', async () => {
    const s = await standin({ now: () => T0 });
    const cur = JSON.parse((await s.get('/events/data_series?event=E&length=2&unit=hour')).body);
    assert.deepEqual(
      cur.data.map((p: { time: string }) => p.time),
      ['2026-11-29T09:00:00Z', '2026-11-29T10:00:00Z'],
    );
    // 2026-11-28T23:59:59-5:00 is 2026-11-29T04:59:59Z: the last hour starts at 04:00Z.
    const off = await s.get(
      `/events/data_series?event=E&length=1&unit=hour&ending_at=${encodeURIComponent('2026-11-28T23:59:59-5:00')}`,
    );
    assert.equal(JSON.parse(off.body).data[0].time, '2026-11-29T04:00:00Z');
    assert.equal(parseEndingAt('2026-02-30', 0), Number.NaN);
  });

  it('400 for a missing event, a length outside 1..100, a bad unit or ending_at', async () => {
    const s = await standin({ now: () => T0 });
    for (const q of [
      'length=5',
      'event=E&length=0',
      'event=E&length=101',
      'event=E&length=5&unit=week',
      'event=E&length=5&ending_at=yesterday',
    ]) {
      const r = await s.get(`/events/data_series?${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(typeof JSON.parse(r.body).message, 'string');
    }
  });

  for (const [offset, minutes] of [
    ['+05:30', 330],
    ['-05:00', -300],
  ] as const) {
    it(`day buckets at ${offset}: time is the local date, buckets start at local midnight`, async () => {
      const s = await standin({ now: () => T0, dayOffsetMinutes: minutes });
      const r = await s.get('/events/data_series?event=E&length=3');
      const data = JSON.parse(r.body).data as Array<{ time: string; count: number }>;
      // At T0 (10:20Z) the local date is 2026-11-29 both at +05:30 and at -05:00.
      assert.deepEqual(
        data.map((p) => p.time),
        ['2026-11-27', '2026-11-28', '2026-11-29'],
      );
      const start = Date.UTC(2026, 10, 29) - minutes * 60_000;
      assert.equal(data[2]!.count, standinCount('E', 'day', start));
      assert.equal(s.bucketFloor('day', T0), start);
      // A date ending_at is local midnight of that date: D itself excluded.
      const d = JSON.parse(
        (await s.get('/events/data_series?event=E&length=1&ending_at=2026-11-10')).body,
      );
      assert.equal(d.data[0].time, '2026-11-09');
    });
  }

  for (const [form, expected] of [
    ['Z', '2026-11-29T10:00:00Z'],
    ['+00:00', '2026-11-29T10:00:00+00:00'],
    ['fractional', '2026-11-29T10:00:00.000Z'],
  ] as const) {
    it(`hour time written as ${form}`, async () => {
      const s = await standin({ now: () => T0, hourTimeForm: form });
      const data = JSON.parse(
        (await s.get('/events/data_series?event=E&length=1&unit=hour')).body,
      ).data;
      assert.deepEqual(data, [
        { time: expected, count: standinCount('E', 'hour', T0 - (T0 % HOUR)) },
      ]);
    });
  }

  it('hour buckets at +05:30 start on UTC hours by default, on local hours when asked', async () => {
    const utc = await standin({ now: () => T0, dayOffsetMinutes: 330 });
    const local = await standin({ now: () => T0, dayOffsetMinutes: 330, hourBuckets: 'local' });
    const q = '/events/data_series?event=E&length=2&unit=hour';
    assert.deepEqual(
      JSON.parse((await utc.get(q)).body).data.map((p: { time: string }) => p.time),
      ['2026-11-29T09:00:00Z', '2026-11-29T10:00:00Z'],
    );
    // T0 is 15:50:30 at +05:30: the local hour began at 15:00 local, 09:30Z.
    assert.deepEqual(
      JSON.parse((await local.get(q)).body).data.map((p: { time: string }) => p.time),
      ['2026-11-29T08:30:00Z', '2026-11-29T09:30:00Z'],
    );
    assert.equal(local.bucketFloor('hour', T0), Date.UTC(2026, 10, 29, 9, 30));
  });

  it('failing events answer 400 with a JSON message; the others answer 200', async () => {
    const s = await standin({ now: () => T0, failingEvents: ['$Purchase'] });
    const bad = await s.get('/events/data_series?event=%24Purchase&length=3');
    assert.equal(bad.status, 400);
    assert.equal(typeof JSON.parse(bad.body).message, 'string');
    assert.ok(!bad.body.includes('$Purchase'));
    assert.equal((await s.get('/events/data_series?event=Other&length=3')).status, 200);
  });

  it('a future ending_at answers 400; now and the past answer 200', async () => {
    const s = await standin({ now: () => T0, rejectFutureEndingAt: true });
    const q = (e: string) =>
      `/events/data_series?event=E&length=3&unit=hour&ending_at=${encodeURIComponent(e)}`;
    assert.equal((await s.get(q('2026-11-29T11:00:00Z'))).status, 400);
    assert.equal((await s.get(q('2026-11-30'))).status, 400);
    assert.equal((await s.get(q(new Date(T0).toISOString()))).status, 200);
    assert.equal((await s.get(q('2026-11-29'))).status, 200);
    assert.equal((await s.get('/events/data_series?event=E&length=3')).status, 200);
  });
});

describe('stand-in: rate-limit faults', () => {
  it('short window: 200s reset at the top of the hour, then a 429 whose reset is 1-2 s away', async () => {
    const clock = createVirtualClock(T0);
    const s = await standin({ now: clock.now, shortWindow429: { after: 2 } });
    const ok = await s.get('/events/data_series?event=E&length=1');
    assert.equal(ok.headers['x-ratelimit-reset'], String(Date.UTC(2026, 10, 29, 11) / 1000));
    await s.get('/events/data_series?event=E&length=1');
    const limited = await s.get('/events/data_series?event=E&length=1');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['x-ratelimit-remaining'], '0');
    const reset = Number(limited.headers['x-ratelimit-reset']);
    assert.equal(reset, Math.ceil(T0 / 1000) + 1);
    clock.set(reset * 1000 - 1);
    assert.equal((await s.get('/events/data_series?event=E&length=1')).status, 429);
    clock.set(reset * 1000);
    assert.equal((await s.get('/events/data_series?event=E&length=1')).status, 200);
    // The listing endpoints are not affected.
    assert.equal((await s.get('/events/list')).status, 200);
  });

  it('edge 429: HTML, Retry-After: 1, none of Braze’s headers; then 200', async () => {
    const s = await standin({ edge429: { after: 1 } });
    assert.equal((await s.get('/events/data_series?event=E&length=1')).status, 200);
    const r = await s.get('/events/data_series?event=E&length=1');
    assert.equal(r.status, 429);
    assert.equal(r.headers['retry-after'], '1');
    assert.match(String(r.headers['content-type']), /text\/html/);
    assert.match(r.body, /^<html>/);
    assert.ok(!Object.keys(r.headers).some((h) => h.startsWith('x-ratelimit-')));
    assert.equal((await s.get('/events/data_series?event=E&length=1')).status, 200);
  });

  it('edge 502: HTML, none of Braze’s headers', async () => {
    const s = await standin({ edge502: { after: 0, times: 2, path: '/events/list' } });
    const r = await s.get('/events/list');
    assert.equal(r.status, 502);
    assert.match(r.body, /502 Bad Gateway/);
    assert.ok(!Object.keys(r.headers).some((h) => h.startsWith('x-ratelimit-')));
    assert.equal((await s.get('/events/list')).status, 502);
    assert.equal((await s.get('/events/list')).status, 200);
  });

  it('duplicated headers: each x-ratelimit-* appears twice', async () => {
    const s = await standin({ duplicateHeaders: true });
    const r = await s.get('/events/list');
    const names = r.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase());
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) {
      assert.equal(names.filter((n) => n === h).length, 2, h);
    }
  });
});
