/**
 * The two HTTP senders — node:http (the default) and a user-supplied `fetch` — must behave
 * alike where it matters: bodies whole and capped (after decompression), time-outs and
 * aborts that really stop the request, redirects never followed, a cut connection an
 * error. Each case runs against a tiny real server for both.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createBrazeClient } from '../../src/core/client.js';
import {
  isBrazeHttpError,
  isBrazeNetworkError,
  isBrazeResponseShapeError,
  isBrazeTimeoutError,
} from '../../src/core/errors.js';
import type { BrazeClientOptions } from '../../src/core/types.js';
import { createVirtualClock } from '../helpers/clock.js';
import { sendJson, type TestServer, testServers } from '../helpers/http-server.js';
import { TEST_KEY } from './helpers.js';

const serve = testServers();

const SENDERS: Array<[string, Partial<BrazeClientOptions>]> = [
  ['node:http (default)', {}],
  ['fetch', { fetch: (input, init) => globalThis.fetch(input, init) }],
];

for (const [sender, senderOptions] of SENDERS) {
  const client = (server: TestServer, options: Partial<BrazeClientOptions> = {}) =>
    createBrazeClient({ apiKey: TEST_KEY, endpoint: server.url, ...senderOptions, ...options });

  describe(`HTTP sender: ${sender}`, () => {
    test('a UTF-8 character split across two writes arrives whole', async () => {
      const body = Buffer.from(JSON.stringify({ events: ['Café ✓ 🎉'], message: 'success' }));
      const cut = body.indexOf(Buffer.from('🎉')) + 2;
      const server = await serve(async (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(body.subarray(0, cut));
        await new Promise((r) => setTimeout(r, 20));
        res.end(body.subarray(cut));
      });
      assert.deepEqual((await client(server).listEventNames()).events, ['Café ✓ 🎉']);
    });

    test('a hung server and a body stalled mid-way both time out', async () => {
      const hung = await serve(() => {});
      await assert.rejects(
        client(hung, { timeoutMs: 100, maxRetries: 0 }).listEventNames(),
        isBrazeTimeoutError,
      );
      const stalled = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"events": [');
      });
      await assert.rejects(
        client(stalled, { timeoutMs: 100, maxRetries: 0 }).listEventNames(),
        isBrazeTimeoutError,
      );
    });

    test('an endless body is cut at maxResponseBytes', async () => {
      const server = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (res.write(chunk)) {}
          res.once('drain', pump);
        };
        res.write('{"events":[');
        pump();
        res.on('close', () => res.removeAllListeners('drain'));
      });
      await assert.rejects(
        client(server, { maxResponseBytes: 1024 * 1024, maxRetries: 0 }).listEventNames(),
        (e: unknown) => isBrazeResponseShapeError(e) && /maxResponseBytes/.test(e.message),
      );
    });

    test('a declared oversized content-length is refused before reading', async () => {
      const server = await serve((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(50 * 1024 * 1024),
        });
        res.write('{');
      });
      await assert.rejects(
        client(server, { maxRetries: 0 }).listEventNames(),
        isBrazeResponseShapeError,
      );
    });

    test('a small gzip body that inflates past maxResponseBytes is cut', async () => {
      // The declared length counts compressed bytes, so it must not be taken as the cap.
      const bomb = gzipSync(`{"events":[${'"x",'.repeat(400_000)}"x"]}`);
      assert.ok(bomb.byteLength < 64 * 1024);
      const server = await serve((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(bomb.byteLength),
        });
        res.end(bomb);
      });
      await assert.rejects(
        client(server, { maxResponseBytes: 1024 * 1024, maxRetries: 0 }).listEventNames(),
        (e: unknown) => isBrazeResponseShapeError(e) && /maxResponseBytes/.test(e.message),
      );
    });

    test('a gzip body within the cap is decoded', async () => {
      const body = gzipSync(JSON.stringify({ events: ['a', 'b'], message: 'success' }));
      const server = await serve((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': String(body.byteLength),
        });
        res.end(body);
      });
      assert.deepEqual((await client(server).listEventNames()).events, ['a', 'b']);
    });

    test('a connection cut mid-body is a network error, and it is retried', async () => {
      const server = await serve((req, res, index) => {
        if (index > 0) return sendJson(res, 200, { events: ['ok'], message: 'success' });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"events": [');
        setTimeout(() => req.socket.destroy(), 20);
      });
      const noRetry = client(server, { maxRetries: 0 }).listEventNames();
      await assert.rejects(noRetry, isBrazeNetworkError);
      const retried = await client(server, { sleep: createVirtualClock().sleep }).listEventNames();
      assert.deepEqual(retried.events, ['ok']);
    });

    test('a redirect is an error and is not followed', async () => {
      const server = await serve((_req, res) => {
        res.writeHead(307, { location: '/events/list?page=1' });
        res.end();
      });
      await assert.rejects(
        client(server).listEventNames(),
        (e: unknown) => isBrazeHttpError(e) && e.status === 307,
      );
      assert.equal(server.requests.length, 1);
    });

    test('the caller signal stops a request in flight; the server sees it closed', async () => {
      let closed = false;
      const server = await serve((req) => {
        req.socket.on('close', () => {
          closed = true;
        });
      });
      const controller = new AbortController();
      const pending = client(server).listEventNames({ signal: controller.signal });
      setTimeout(() => controller.abort(new Error('user cancelled')), 50);
      await assert.rejects(pending, /user cancelled/);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(closed, true);
    });
  });
}

describe('HTTPS', () => {
  test('the certificate is verified: a self-signed server is refused, nothing is read', async () => {
    // A throwaway self-signed certificate for 127.0.0.1, made with Debian's openssl.
    const dir = mkdtempSync(join(tmpdir(), 'braze-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      let answered = 0;
      const server = createHttpsServer(
        { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
        (_req, res) => {
          answered++;
          sendJson(res, 200, { events: ['secret'], message: 'success' });
        },
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        for (const [, senderOptions] of SENDERS) {
          await assert.rejects(
            createBrazeClient({
              apiKey: TEST_KEY,
              endpoint,
              maxRetries: 0,
              ...senderOptions,
            }).listEventNames(),
            (e: unknown) => isBrazeNetworkError(e) && /certificate/i.test(e.message),
          );
        }
        assert.equal(answered, 0);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
