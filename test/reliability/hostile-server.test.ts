/**
 * A hostile (or broken) server: an endless body, a 50 MB body, deeply nested JSON, a
 * header flood, a server that accepts and never answers, a body that stalls half-way, and a
 * redirect or a next link elsewhere. The client must end with a clear error in bounded
 * time and memory.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import {
  isBrazeNetworkError,
  isBrazeResponseShapeError,
  isBrazeTimeoutError,
} from '../../src/core/errors.js';
import { createVirtualClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const MB = 1024 * 1024;
const servers: Array<{ close(): Promise<void> }> = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

/** A client for a hostile server: few retries, instant backoff, a short timeout. */
function hostileClient(url: string, extra: { maxResponseBytes?: number; timeoutMs?: number } = {}) {
  const time = createVirtualClock();
  return createBrazeClient({
    apiKey: 'hostile-test-key',
    endpoint: url,
    maxRetries: 1,
    timeoutMs: extra.timeoutMs ?? 2000,
    now: time.now,
    sleep: time.sleep,
    ...(extra.maxResponseBytes !== undefined ? { maxResponseBytes: extra.maxResponseBytes } : {}),
  });
}

/** Runs `fn`, sampling RSS meanwhile; returns its error and the RSS growth in bytes. */
async function measure(fn: () => Promise<unknown>): Promise<{ error: unknown; growth: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  let error: unknown;
  try {
    await fn();
  } catch (e) {
    error = e;
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { error, growth: peak - base };
}

const listPage = (client: ReturnType<typeof hostileClient>) => client.listEventNames();

describe('hostile bodies', () => {
  test('an endless body is cut at maxResponseBytes (default 10 MB) with a clear error', async () => {
    let sent = 0;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"events":["');
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        // Stop at 400 MB at most: a client without a cap would have blown far past the bound.
        while (sent < 400 * MB && res.write(chunk)) sent += chunk.length;
        if (sent < 400 * MB && !res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => {
        sent = Number.POSITIVE_INFINITY;
      });
      pump();
    });
    const { error, growth } = await measure(() => listPage(hostileClient(server.url)));
    assert.ok(isBrazeResponseShapeError(error), `shape error, got ${String(error)}`);
    assert.match((error as Error).message, /maxResponseBytes/);
    assert.ok(growth < 200 * MB, `RSS grew ${Math.round(growth / MB)} MB`);
  });

  test('a declared 50 MB body is refused without reading it', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * MB) });
      res.write('{"events":[');
      // Never sends the rest: a client that tried to read it would hang until the timeout.
    });
    const { error, growth } = await measure(() =>
      listPage(hostileClient(server.url, { timeoutMs: 30_000 })),
    );
    assert.ok(isBrazeResponseShapeError(error), `shape error, got ${String(error)}`);
    assert.ok(growth < 100 * MB, `RSS grew ${Math.round(growth / MB)} MB`);
  });

  test('a real 50 MB body (chunked) ends in a clear error within the cap', async () => {
    // Built before measuring, so the RSS growth is the client's, not this server's.
    const body = Buffer.alloc(50 * MB, 'a');
    body.write('{"events":["', 0);
    body.write('"]}', body.length - 3);
    const server = await serve((_req, res) => {
      // Written in pieces without Content-Length: chunked, so only the cap can stop it.
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let at = 0; at < body.length; at += MB) res.write(body.subarray(at, at + MB));
      res.end();
    });
    const { error, growth } = await measure(() => listPage(hostileClient(server.url)));
    assert.ok(isBrazeResponseShapeError(error), `shape error, got ${String(error)}`);
    assert.ok(growth < 150 * MB, `RSS grew ${Math.round(growth / MB)} MB`);
  });

  test('deeply nested JSON is a shape error, not a stack overflow', async () => {
    const depth = 200_000;
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      res.end(
        req.url?.startsWith('/events/data_series')
          ? `{"data":${nested},"message":"success"}`
          : `{"events":${nested},"message":"success"}`,
      );
    });
    const client = hostileClient(server.url);
    await assert.rejects(listPage(client), (e) => isBrazeResponseShapeError(e));
    await assert.rejects(client.getEventSeries({ event: 'A', length: 3 }), (e) =>
      isBrazeResponseShapeError(e),
    );
  });

  test('a huge error page is excerpted, not copied into the error', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end(`<html>${'<p>overloaded</p>'.repeat(200_000)}</html>`);
    });
    const { error } = await measure(() => listPage(hostileClient(server.url)));
    assert.ok(error instanceof Error);
    assert.ok(error.message.length < 2000, `message of ${error.message.length} chars`);
    assert.ok(JSON.stringify(error).length < 5000, 'JSON.stringify(error) stays small');
  });
});

describe('hostile headers and connections', () => {
  test('a header flood ends in a clear network error, not a hang', async () => {
    const raw = await rawServer((socket) => {
      socket.once('data', () => {
        let head = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n';
        for (let i = 0; i < 20_000; i++) head += `x-flood-${i}: ${'v'.repeat(40)}\r\n`;
        socket.end(`${head}\r\n{"events":[],"message":"success"}`);
      });
    });
    const { error, growth } = await measure(() => listPage(hostileClient(raw.url)));
    assert.ok(isBrazeNetworkError(error), `network error, got ${String(error)}`);
    assert.ok(growth < 100 * MB, `RSS grew ${Math.round(growth / MB)} MB`);
  });

  test('one enormous rate-limit header is ignored, the answer still parsed', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-ratelimit-remaining': '9'.repeat(8000),
        link: `<${'/x'.repeat(4000)}>; rel="next"`,
      });
      res.end('{"events":["A"],"message":"success"}');
    });
    const page = await listPage(hostileClient(server.url));
    assert.deepEqual(page.events, ['A']);
    assert.equal(page.rateLimit.remaining, null);
  });

  test('a server that accepts and never answers ends in a timeout error', async () => {
    const raw = await rawServer(() => {
      // Accept the connection, read the request, say nothing.
    });
    const client = hostileClient(raw.url, { timeoutMs: 300 });
    const { error } = await measure(() => listPage(client));
    assert.ok(isBrazeTimeoutError(error), `timeout error, got ${String(error)}`);
    assert.equal(client.stats().requests, 2, 'one attempt and one retry');
  });

  test('a body that stalls half-way ends in a timeout error', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"events":["A",');
    });
    const { error } = await measure(() => listPage(hostileClient(server.url, { timeoutMs: 300 })));
    assert.ok(isBrazeTimeoutError(error), `timeout error, got ${String(error)}`);
  });

  test('a Link rel="next" to another origin is refused, and that origin gets nothing', async () => {
    let stolen = 0;
    const elsewhere = await serve((_req, res) => {
      stolen++;
      res.end('{"events":[],"message":"success"}');
    });
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        link: `<${elsewhere.url}/events?cursor=abc>; rel="next"`,
      });
      res.end(
        '{"events":[{"name":"A","description":"","included_in_analytics_report":false,"status":"Active","tag_names":[]}],"message":"success"}',
      );
    });
    const client = hostileClient(server.url);
    await assert.rejects(
      (async () => {
        for await (const _ of client.events()) {
          // read every page
        }
      })(),
      (e) => isBrazeResponseShapeError(e),
    );
    assert.equal(stolen, 0, 'the other origin got no request');
  });

  test('a redirect is not followed with the key', async () => {
    let followed = 0;
    const target = await serve((_req, res) => {
      followed++;
      res.end('{"events":[],"message":"success"}');
    });
    const server = await serve((_req, res) => {
      res.writeHead(302, { location: `${target.url}/events/list` });
      res.end();
    });
    await assert.rejects(listPage(hostileClient(server.url)));
    assert.equal(followed, 0, 'the redirect target got no request');
  });
});

/** A raw TCP server for answers node:http will not produce (header floods, silence). */
async function rawServer(onConnection: (socket: Socket) => void): Promise<{ url: string }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  servers.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
  return { url: `http://127.0.0.1:${port}` };
}
