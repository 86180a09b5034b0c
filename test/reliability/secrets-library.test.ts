/**
 * Secrets in the library: with a recognisable key, no error (message, stack, cause chain,
 * JSON.stringify, util.inspect with hidden fields), no log line or its fields, no client
 * object and no database file holds the key — nor any 12-character piece of it, which is
 * what a key cut in half by an excerpt would leave.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { createBrazeClient } from '../../src/core/client.js';
import type { Logger } from '../../src/core/types.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { exportEvents } from '../../src/export/index.js';
import { openDatabase, syncWorkspace } from '../../src/sync/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { clock } from '../sync/harness.js';
import { FAULT_OUTCOMES, MATRIX_FAULTS } from './helpers.js';

const KEY = 'sk-lib-8b2f60d4e1c7-SECRET-canary';
const WRONG_KEY = 'sk-wrong-77c3a9f02d-SECRET-canary';

/** Every 12-character window of a key: a partial key is still a leak. */
function pieces(key: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 12 <= key.length; i++) out.push(key.slice(i, i + 12));
  return out;
}

function assertNoKey(text: string, where: string, keys = [KEY, WRONG_KEY]) {
  for (const key of keys) {
    for (const piece of pieces(key)) {
      assert.ok(
        !text.includes(piece),
        `${where} holds ${JSON.stringify(piece)}: ${text.slice(0, 600)}`,
      );
    }
  }
}

/** Every rendering of an error a program or a log shipper might produce. */
function renderings(error: unknown): string[] {
  const out: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < 6; depth++) {
    if (e instanceof Error) out.push(e.message, e.stack ?? '', String(e));
    out.push(JSON.stringify(e) ?? '', inspect(e, { showHidden: true, depth: null }));
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

let emulator: Emulator;
let dir: string;
const servers: TestServer[] = [];
const logs: string[] = [];
const logger: Logger = {
  debug: (m, f) => logs.push(m, JSON.stringify(f ?? {})),
  info: (m, f) => logs.push(m, JSON.stringify(f ?? {})),
  warn: (m, f) => logs.push(m, JSON.stringify(f ?? {})),
  error: (m, f) => logs.push(m, JSON.stringify(f ?? {})),
};

before(async () => {
  emulator = await startEmulator({ seed: 4, events: 5, now: clock, keys: [{ key: KEY }] });
  dir = await mkdtemp(join(tmpdir(), 'braze-secrets-lib-'));
});
after(async () => {
  await emulator.close();
  for (const s of servers) await s.close();
  await rm(dir, { recursive: true, force: true });
});

/** A client on a virtual clock: waits (backoff, rate-limit resets) advance it instantly. */
const client = (key: string, endpoint = emulator.url, maxRetries = 1) => {
  const time = createVirtualClock();
  return createBrazeClient({
    apiKey: key,
    endpoint,
    maxRetries,
    timeoutMs: 300,
    logger,
    now: time.now,
    sleep: time.sleep,
  });
};

async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  assert.fail('expected a failure');
}

describe('errors', () => {
  test('401 whose body echoes the key (as Braze does)', async () => {
    const error = await failure(() => client(WRONG_KEY).listEventNames());
    for (const text of renderings(error)) assertNoKey(text, 'the 401 error');
    assert.match((error as Error).message, /401/);
  });

  test('every emulator fault, through each endpoint', async () => {
    // Every kind that ends in an error (the ones read through have no error to render).
    for (const kind of MATRIX_FAULTS.filter((k) => FAULT_OUTCOMES[k]!.permanent !== 'read')) {
      emulator.clearFaults();
      emulator.addFault({ kind, route: '*' });
      const c = client(KEY, emulator.url, 0);
      const errors = [
        await failure(() => c.listEventNames()),
        await failure(async () => {
          for await (const _ of c.events()) break;
        }),
        await failure(() => c.getEventSeries({ event: 'A', length: 3 })),
      ];
      emulator.clearFaults();
      for (const error of errors) for (const text of renderings(error)) assertNoKey(text, kind);
    }
  });

  test('network errors carry no key in their cause chain', async () => {
    const error = await failure(() => client(KEY, 'http://127.0.0.1:9').listEventNames());
    for (const text of renderings(error)) assertNoKey(text, 'the network error');
  });

  test('a server echoing the key anywhere in a long, whitespace-padded body', async () => {
    // Pad so that the key straddles every cut an excerpt might make (200, 800 characters…).
    for (const pad of [0, 150, 190, 195, 380, 760, 775, 780, 785, 790, 795, 799, 1590, 3190]) {
      const server = await startTestServer((_req, res) => {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `${' '.repeat(pad)}Invalid API key: ${KEY}` }));
      });
      servers.push(server);
      const error = await failure(() => client(KEY, server.url).listEventNames());
      for (const text of renderings(error)) assertNoKey(text, `the 401 error (pad ${pad})`);
      const html = await startTestServer((_req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end(`<html>${' \n'.repeat(pad)}<p>bad gateway for ${KEY}</p></html>`);
      });
      servers.push(html);
      const e2 = await failure(() => client(KEY, html.url, 0).listEventNames());
      for (const text of renderings(e2)) assertNoKey(text, `the 502 error (pad ${pad})`);
    }
  });

  test('a key echoed in x-request-id and Link headers', async () => {
    const server = await startTestServer((_req, res) => {
      res.writeHead(500, {
        'x-request-id': `req-${KEY}`,
        link: `</events?cursor=${KEY}>; rel="next"`,
      });
      res.end('{"message":"boom"}');
    });
    servers.push(server);
    const error = await failure(() => client(KEY, server.url, 0).listEventNames());
    for (const text of renderings(error)) assertNoKey(text, 'the 500 error');
  });

  test('invalid client options never echo the key', () => {
    for (const options of [
      { apiKey: `"${KEY}"`, endpoint: 'US-01' },
      { apiKey: `${KEY} extra`, endpoint: 'US-01' },
      { apiKey: KEY, endpoint: `https://user:${KEY}@rest.iad-01.braze.com` },
      // BRAZE_API_KEY and BRAZE_REST_ENDPOINT swapped by mistake: the key lands in `endpoint`.
      { apiKey: KEY, endpoint: KEY },
    ]) {
      let error: unknown;
      try {
        createBrazeClient(options);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof Error, `refused: ${JSON.stringify(options.endpoint)}`);
      for (const text of renderings(error)) assertNoKey(text, 'the option error');
    }
  });
});

describe('objects, logs and files', () => {
  test('the client object', () => {
    const c = client(KEY);
    assertNoKey(JSON.stringify(c) ?? '', 'JSON.stringify(client)');
    assertNoKey(inspect(c, { showHidden: true, depth: null }), 'inspect(client)');
  });

  test('a sync and an export write no key to the database or the log', async () => {
    const file = join(dir, 'secrets.db');
    const db = await openDatabase(file);
    try {
      await syncWorkspace({ client: client(KEY), db, workspace: 'w', now: clock, logger });
      let text = '';
      await exportEvents(client(KEY), { length: 10 }, 'csv', (chunk) => {
        text += chunk;
      });
      assertNoKey(text, 'the export');
      const failed = await failure(() =>
        syncWorkspace({ client: client(WRONG_KEY), db, workspace: 'w', now: clock, logger }),
      );
      for (const t of renderings(failed)) assertNoKey(t, 'the SyncFailedError');
    } finally {
      await db.close();
    }
    for (const name of await readdir(dir)) {
      assertNoKey((await readFile(join(dir, name))).toString('latin1'), `file ${name}`);
    }
    assert.ok(logs.length > 10, `${logs.length} log lines checked`);
    for (const line of logs) assertNoKey(line, 'a log line');
  });
});
