/**
 * Bounded listing and errors that say why (issue 15, items 3 and 7), against a real server
 * on port 0 that misbehaves the way Braze's undocumented corners allow.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import { isBrazeResponseShapeError } from '../../src/core/errors.js';
import type { ClientNotice } from '../../src/core/types.js';
import { createVirtualClock } from '../helpers/clock.js';
import { sendJson, type TestServer, testServers } from '../helpers/http-server.js';
import { TEST_KEY } from './helpers.js';

const serve = testServers();
const names = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${prefix}${String(from + i).padStart(5, '0')}`);

function client(server: TestServer, notices: ClientNotice[] = []) {
  return createBrazeClient({
    apiKey: TEST_KEY,
    endpoint: server.url,
    onNotice: (n) => notices.push(n),
    sleep: createVirtualClock().sleep,
    maxRetries: 1,
  });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('GET /events/list is bounded', () => {
  test('a server that ignores `page` costs two requests, not a thousand, and says so', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, { message: 'success', events: names('e', 0, 250) }),
    );
    const notices: ClientNotice[] = [];
    const listed = await collect(client(server, notices).eventNames());
    assert.equal(listed.length, 250);
    assert.equal(server.requests.length, 2);
    assert.equal(notices.length, 1);
    assert.equal(notices[0]?.kind, 'listing');
    assert.match(notices[0]!.message, /stopped on page 1: it repeats names already listed/);
  });

  test('overlapping pages yield each name once, and say how many were dropped', async () => {
    const pages = [names('e', 0, 250), names('e', 200, 450), names('e', 440, 460)];
    const server = await serve((req, res) =>
      sendJson(res, 200, {
        message: 'success',
        events: pages[Number(req.url?.split('page=')[1])] ?? [],
      }),
    );
    const notices: ClientNotice[] = [];
    const listed = await collect(client(server, notices).eventNames());
    assert.deepEqual(listed, names('e', 0, 460));
    assert.equal(server.requests.length, 3);
    assert.match(
      notices[0]!.message,
      /listed 460 names; 60 names repeated across pages were dropped/,
    );
  });

  test('maxPages caps a listing that never ends', async () => {
    const server = await serve((req, res) => {
      const page = Number(req.url?.split('page=')[1]);
      sendJson(res, 200, { message: 'success', events: names(`p${page}-`, 0, 250) });
    });
    const notices: ClientNotice[] = [];
    const listed = await collect(client(server, notices).eventNames({ maxPages: 3 }));
    assert.equal(listed.length, 750);
    assert.equal(server.requests.length, 3);
    assert.match(notices[0]!.message, /at its cap of 3 pages \(maxPages\)/);
  });

  test('the default cap is documented and bounded by the hourly listing budget', async () => {
    const { DEFAULT_MAX_LISTING_PAGES } = await import('../../src/core/defaults.js');
    assert.ok(DEFAULT_MAX_LISTING_PAGES.eventsList < 1000);
    assert.ok(DEFAULT_MAX_LISTING_PAGES.events <= 1000);
  });

  test('a null name says which page and which index, with the request id', async () => {
    const server = await serve((req, res) => {
      const page = Number(req.url?.split('page=')[1]);
      const events: unknown[] = page < 3 ? names(`p${page}-`, 0, 250) : ['a', null];
      sendJson(res, 200, { message: 'success', events }, { 'x-request-id': `req-${page}` });
    });
    await assert.rejects(collect(client(server).eventNames()), (e: unknown) => {
      assert.ok(isBrazeResponseShapeError(e));
      assert.equal(e.requestId, 'req-3');
      assert.match(e.message, /null name at events\[1\] on page 3/);
      assert.match(e.message, /GET \/events\/list\?page=3 answered 200/);
      assert.match(e.message, /request id req-3/);
      return true;
    });
  });
});

describe('GET /events is bounded', () => {
  test('a repeated cursor stops the listing with a notice; events are yielded once', async () => {
    const server = await serve((req, res) => {
      const cursor = new URL(req.url ?? '/', 'http://x').searchParams.get('cursor');
      const event = (name: string) => ({
        name,
        description: '',
        included_in_analytics_report: false,
        status: 'Active',
        tag_names: [],
      });
      const page = cursor === null ? [event('a'), event('b')] : [event('b'), event('c')];
      res.setHeader('link', '</events?cursor=Y3Vy>; rel="next"');
      sendJson(res, 200, { message: 'success', events: page });
    });
    const notices: ClientNotice[] = [];
    const events = await collect(client(server, notices).events());
    assert.deepEqual(
      events.map((e) => e.name),
      ['a', 'b', 'c'],
    );
    assert.equal(server.requests.length, 2);
    assert.match(
      notices[0]!.message,
      /repeats a cursor already read.*\(1 repeated events dropped\)/,
    );
  });
});

describe('a data_series answer with a hole names the missing bucket', () => {
  test('bucket 2026-11-03 missing, with the request id', async () => {
    const server = await serve((_req, res) =>
      sendJson(
        res,
        200,
        {
          message: 'success',
          data: [
            { time: '2026-11-01', count: 1 },
            { time: '2026-11-02', count: 2 },
            { time: '2026-11-04', count: 4 },
          ],
        },
        { 'x-request-id': 'abc-123' },
      ),
    );
    await assert.rejects(
      client(server).getEventSeries({ event: 'E', length: 4, endingAt: '2026-11-05' }),
      (e: unknown) => {
        assert.ok(isBrazeResponseShapeError(e));
        assert.match(e.message, /expected 4 buckets, got 3; bucket 2026-11-03 missing/);
        assert.match(e.message, /request id abc-123/);
        return true;
      },
    );
  });
});

test('GET /events: a fresh cursor on a page of events already listed stops the listing', async () => {
  let n = 0;
  const server = await serve((_req, res) => {
    n++;
    res.setHeader('link', `</events?cursor=c${n}>; rel="next"`);
    sendJson(res, 200, {
      message: 'success',
      events: [
        {
          name: 'same',
          description: '',
          included_in_analytics_report: false,
          status: 'Active',
          tag_names: [],
        },
      ],
    });
  });
  const notices: ClientNotice[] = [];
  const events = await collect(client(server, notices).events());
  assert.deepEqual(
    events.map((e) => e.name),
    ['same'],
  );
  assert.equal(server.requests.length, 2);
  assert.match(notices[0]!.message, /stopped on page 1: it repeats events already listed/);
});
