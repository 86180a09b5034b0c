/**
 * HTTP behaviours that need exact control of the server's answer (hung responses, endless
 * bodies, precise headers), over real HTTP against a tiny local server. API behaviour
 * against the emulator lives in client.test.ts.
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { createBrazeClient } from '../../src/core/client.js';
import {
  isBrazeAuthError,
  isBrazeHttpError,
  isBrazeNetworkError,
  isBrazeRateLimitError,
  isBrazeResponseShapeError,
  isBrazeTimeoutError,
} from '../../src/core/errors.js';
import { displayUrl } from '../../src/core/transport.js';
import type { BrazeClientOptions } from '../../src/core/types.js';
import { USER_AGENT } from '../../src/core/version.js';
import { createVirtualClock } from '../helpers/clock.js';
import { sendJson, type TestServer, testServers } from '../helpers/http-server.js';
import { recordingLogger, TEST_KEY } from './helpers.js';

const serve = testServers();

/** The virtual clock of these tests, at 12:00 UTC unless a test needs another instant. */
const fakeTime = (start = Date.UTC(2026, 0, 1, 12, 0)) => createVirtualClock(start);

function client(server: TestServer, options: Partial<BrazeClientOptions> = {}) {
  return createBrazeClient({ apiKey: TEST_KEY, endpoint: server.url, ...options });
}

describe('transport over real HTTP', () => {
  test('sends Bearer auth, Accept and a User-Agent naming the package and version', async () => {
    const server = await serve((_req, res) =>
      sendJson(res, 200, { events: [], message: 'success' }),
    );
    await client(server, { userAgent: 'my-app/1.2' }).listEventNames();
    const [request] = server.requests;
    assert.equal(request?.headers.authorization, `Bearer ${TEST_KEY}`);
    assert.equal(request?.headers['user-agent'], `my-app/1.2 ${USER_AGENT}`);
    assert.match(USER_AGENT, /^braze-events\/\d+\.\d+\.\d+/);
    assert.equal(request?.headers.accept, 'application/json');
  });

  test('a hung response ends in a timeout error after timeoutMs; retries are timed out too', async () => {
    const server = await serve(() => {
      // Never answer.
    });
    const time = fakeTime();
    const started = performance.now();
    await assert.rejects(
      client(server, { timeoutMs: 150, maxRetries: 1, sleep: time.sleep }).listEventNames(),
      (e: unknown) => {
        assert.ok(isBrazeTimeoutError(e));
        assert.equal(e.timeoutMs, 150);
        assert.match(e.message, /GET \/events\/list\?page=0 timed out after 150 ms/);
        return true;
      },
    );
    assert.ok(performance.now() - started >= 290);
    assert.equal(server.requests.length, 2);
    assert.equal(time.sleeps.length, 1);
  });

  test('HTML error pages keep their status; 502 is retried with backoff', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(
        '<html><body><h1>502 Bad Gateway</h1>\n<hr><center>cloudflare</center></body></html>',
      );
    });
    const time = fakeTime();
    await assert.rejects(
      client(server, { maxRetries: 2, sleep: time.sleep, now: time.now }).listEventNames(),
      (e: unknown) => {
        assert.ok(isBrazeHttpError(e));
        assert.equal(e.status, 502);
        assert.match(e.message, /502 Bad Gateway — <html><body><h1>502 Bad Gateway<\/h1> <hr>/);
        return true;
      },
    );
    assert.equal(server.requests.length, 3);
    assert.equal(time.sleeps.length, 2);
  });

  test('400/401/403/404 are not retried', async () => {
    for (const status of [400, 401, 403, 404]) {
      const server = await serve((_req, res) => sendJson(res, status, { message: 'nope' }));
      await assert.rejects(
        client(server).listEventNames(),
        (e: unknown) => isBrazeHttpError(e) && e.status === status,
      );
      assert.equal(server.requests.length, 1, String(status));
    }
  });

  test('429 with x-ratelimit-reset 2 s ahead: exactly one retry, not before the reset', async () => {
    const time = fakeTime(Date.UTC(2026, 0, 1, 12, 59, 58));
    const server = await serve((_req, res, i) => {
      const reset = String(Date.UTC(2026, 0, 1, 13, 0) / 1000);
      if (i === 0) {
        sendJson(
          res,
          429,
          { message: 'Over rate limit' },
          {
            'x-ratelimit-limit': '1000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': reset,
          },
        );
      } else {
        sendJson(
          res,
          200,
          { events: ['a'], message: 'success' },
          {
            'x-ratelimit-limit': '1000',
            'x-ratelimit-remaining': '999',
            'x-ratelimit-reset': String(Date.UTC(2026, 0, 1, 14, 0) / 1000),
          },
        );
      }
    });
    const c = client(server, { now: time.now, sleep: time.sleep });
    const result = await c.listEventNames();
    assert.deepEqual(result.events, ['a']);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(time.sleeps, [2000]);
    assert.deepEqual(c.stats(), { requests: 2, retries: 1, rateLimited: 1, waitedMs: 2000 });
    assert.equal(result.rateLimit.remaining, 999);
    assert.deepEqual(c.rateLimit('listing')?.resetAt, new Date(Date.UTC(2026, 0, 1, 14, 0)));
  });

  test('429 whose reset is beyond maxRetryWaitMs throws with resetAt, without waiting', async () => {
    const time = fakeTime(Date.UTC(2026, 0, 1, 12, 10));
    const server = await serve((_req, res) =>
      sendJson(
        res,
        429,
        { message: 'Over rate limit' },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Date.UTC(2026, 0, 1, 13, 0) / 1000),
        },
      ),
    );
    await assert.rejects(
      client(server, { now: time.now, sleep: time.sleep, maxRetryWaitMs: 60_000 }).listEventNames(),
      (e: unknown) => {
        assert.ok(isBrazeRateLimitError(e));
        assert.deepEqual(e.resetAt, new Date(Date.UTC(2026, 0, 1, 13, 0)));
        return true;
      },
    );
    assert.deepEqual(time.sleeps, []);
    assert.equal(server.requests.length, 1);
  });

  test('202 {"message":"queued"} is retried', async () => {
    const server = await serve((_req, res, i) =>
      i === 0
        ? sendJson(res, 202, { message: 'queued' })
        : sendJson(res, 200, { events: ['x'], message: 'success' }),
    );
    const time = fakeTime();
    const result = await client(server, { sleep: time.sleep, now: time.now }).listEventNames();
    assert.deepEqual(result.events, ['x']);
    assert.equal(server.requests.length, 2);
  });

  test('connection refused is a network error, retried', async () => {
    const server = await serve(() => {});
    const url = server.url;
    await server.close();
    const time = fakeTime();
    await assert.rejects(
      createBrazeClient({
        apiKey: TEST_KEY,
        endpoint: url,
        maxRetries: 2,
        sleep: time.sleep,
      }).listEventNames(),
      (e: unknown) => isBrazeNetworkError(e) && /ECONNREFUSED/.test(e.message),
    );
    assert.equal(time.sleeps.length, 2);
  });

  test('redirects are not followed (the key must not travel elsewhere)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: 'https://example.com/steal' });
      res.end();
    });
    await assert.rejects(
      client(server).listEventNames(),
      (e: unknown) => isBrazeHttpError(e) && e.status === 302,
    );
    assert.equal(server.requests.length, 1);
  });

  test('a wrong shape on 200 is a shape error with a key-free excerpt; non-JSON is retried', async () => {
    const bodies: Array<[string, number]> = [
      ['{"events": [1, 2]}', 1],
      [`{"events": "Bearer ${TEST_KEY}"}`, 1],
      ['[]', 1],
      ['{"data": [{"time": "2024-01-01", "count": -1}]}', 1],
      [`not json ${TEST_KEY}`, 2],
      ['{"events": ["a", "b"', 2],
    ];
    for (const [body, requests] of bodies) {
      const server = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
      await assert.rejects(
        client(server, { maxRetries: 1, backoff: { baseMs: 1, floorMs: 1 } }).listEventNames(),
        (e: unknown) => {
          assert.ok(isBrazeResponseShapeError(e), body);
          assert.equal(e.transient, requests > 1);
          assert.ok(!e.message.includes(TEST_KEY));
          assert.ok(!JSON.stringify(e).includes(TEST_KEY));
          return true;
        },
      );
      assert.equal(server.requests.length, requests, body);
    }
  });

  test('the caller signal aborts a request and a retry wait', async () => {
    const server = await serve(() => {});
    const controller = new AbortController();
    const pending = client(server).listEventNames({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    await assert.rejects(pending, /user cancelled/);

    const failing = await serve((_req, res) => sendJson(res, 503, { message: 'busy' }));
    const c2 = new AbortController();
    const retrying = client(failing, {
      backoff: { baseMs: 60_000, floorMs: 60_000 },
    }).listEventNames({
      signal: c2.signal,
    });
    setTimeout(() => c2.abort(new Error('stop waiting')), 100);
    await assert.rejects(retrying, /stop waiting/);
    assert.equal(failing.requests.length, 1);
  });

  test('one signal over many requests: one abort listener at most, and an abort stops them all', async () => {
    // Answers after a moment, so some requests wait on maxConcurrency while others fly;
    // once `hang` is set, never answers.
    let hang = false;
    const server = await serve((_req, res) => {
      if (!hang) setTimeout(() => sendJson(res, 200, { events: ['a'], message: 'success' }), 5);
    });
    const c = client(server, { maxConcurrency: 2 });
    const controller = new AbortController();
    const { signal } = controller;
    const abortListeners = () => getEventListeners(signal, 'abort').length;
    let most = 0;
    const watch = setInterval(() => {
      most = Math.max(most, abortListeners());
    }, 1);
    try {
      const done = await Promise.all(Array.from({ length: 6 }, () => c.listEventNames({ signal })));
      assert.equal(done.length, 6);
      assert.equal(abortListeners(), 0, 'no listener is left once the requests are done');

      hang = true;
      const stopped = Array.from({ length: 4 }, () => c.listEventNames({ signal }));
      while (server.requests.length < 8) await new Promise((r) => setTimeout(r, 5));
      most = Math.max(most, abortListeners());
      controller.abort(new Error('user cancelled'));
      for (const result of await Promise.allSettled(stopped)) {
        assert.equal(result.status, 'rejected');
        assert.match(String((result as PromiseRejectedResult).reason), /user cancelled/);
      }
    } finally {
      clearInterval(watch);
    }
    // Two were on the wire when the abort came; the other two never left the semaphore.
    assert.equal(server.requests.length, 8);
    assert.equal(most, 1);
    assert.equal(abortListeners(), 0);
  });

  test('events() follows Link rel="next", relative and absolute; refuses another origin', async () => {
    const event = (name: string) => ({
      name,
      description: `about ${name}`,
      included_in_analytics_report: true,
      status: 'Active',
      tag_names: ['t'],
    });
    const server = await serve((req, res) => {
      const cursor = new URL(req.url ?? '/', 'http://x').searchParams.get('cursor');
      if (cursor === null) {
        sendJson(
          res,
          200,
          { events: [event('a'), event('b')], message: 'success' },
          {
            link: '</events?cursor=c2tpcDoy>; rel="next"',
          },
        );
      } else if (cursor === 'c2tpcDoy') {
        sendJson(
          res,
          200,
          { events: [event('c')], message: 'success' },
          {
            link: `<${server.url}/events?cursor=c2tpcDow>; rel="prev", <${server.url}/events?cursor=end>; rel="next"`,
          },
        );
      } else {
        sendJson(
          res,
          200,
          { events: [event('d')], message: 'success' },
          { link: '</events?cursor=c2tpcDow>; rel="prev"' },
        );
      }
    });
    const names: string[] = [];
    for await (const e of client(server).events()) names.push(e.name);
    assert.deepEqual(names, ['a', 'b', 'c', 'd']);
    assert.deepEqual(
      server.requests.map((r) => r.query.cursor ?? null),
      [null, 'c2tpcDoy', 'end'],
    );

    const first: string[] = [];
    for await (const e of client(server).events({ maxItems: 1 })) {
      first.push(e.name);
      assert.deepEqual(e, {
        name: 'a',
        description: 'about a',
        includedInAnalyticsReport: true,
        status: 'Active',
        tagNames: ['t'],
      });
    }
    assert.deepEqual(first, ['a']);

    const evil = await serve((_req, res) =>
      sendJson(
        res,
        200,
        { events: [event('a')], message: 'success' },
        { link: '<https://evil.example/events?cursor=x>; rel="next"' },
      ),
    );
    await assert.rejects(async () => {
      for await (const _ of client(evil).events()) {
      }
    }, /another origin/);
    assert.equal(evil.requests.length, 1);
  });

  test('maxConcurrency bounds requests in flight; per-call options override the client', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await serve((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        sendJson(res, 200, { events: [], message: 'success' });
      }, 30);
    });
    const c = client(server, { maxConcurrency: 2 });
    await Promise.all([0, 1, 2, 3, 4, 5].map((page) => c.listEventNames({ page })));
    assert.equal(peak, 2);
    assert.equal(server.requests.length, 6);

    const hung = await serve(() => {});
    await assert.rejects(
      client(hung, { timeoutMs: 60_000 }).listEventNames({ timeoutMs: 100, maxRetries: 0 }),
      (e: unknown) => isBrazeTimeoutError(e) && e.timeoutMs === 100,
    );
  });

  test('a 401 echoing the key never leaks it: messages, logs, JSON, inspect', async () => {
    const server = await serve((_req, res) =>
      sendJson(
        res,
        401,
        { message: `Invalid API key: ${TEST_KEY}` },
        {
          'x-ratelimit-limit': '',
          'x-ratelimit-remaining': '',
          'x-ratelimit-reset': '',
          'x-request-id': 'r-401',
        },
      ),
    );
    const logger = recordingLogger();
    const c = client(server, { logger });
    const error = await c.listEventNames().catch((e: unknown) => e);
    assert.ok(isBrazeAuthError(error));
    assert.equal(error.requestId, 'r-401');
    assert.match(
      error.message,
      /401 Unauthorized — Invalid API key: \[REDACTED\] \(request id r-401\)/,
    );
    const renderings = [
      error.message,
      String(error.stack),
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      JSON.stringify(c),
      inspect(c, { depth: 10, showHidden: true }),
      ...logger.lines,
    ];
    for (const text of renderings) assert.ok(!text.includes(TEST_KEY), text);
    assert.ok(logger.lines.length > 0);
  });
});

describe('displayUrl', () => {
  test('keeps path and query; drops scheme, authority (credentials included) and fragment', () => {
    assert.equal(
      displayUrl('https://rest.iad-01.braze.com/events/list?page=2'),
      '/events/list?page=2',
    );
    assert.equal(
      displayUrl('https://user:secret@x.braze.com/events?cursor=a#frag'),
      '/events?cursor=a',
    );
    assert.equal(displayUrl('http://127.0.0.1:4010'), '/');
    assert.equal(displayUrl('http://127.0.0.1:4010?x=1'), '/?x=1');
    assert.equal(displayUrl('HTTPS://X.BRAZE.COM/events'), '/events');
    assert.equal(displayUrl('https://proxy.example/braze/events/list'), '/braze/events/list');
  });
});
