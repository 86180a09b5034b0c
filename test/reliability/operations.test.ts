/**
 * What an SRE tries first on a tool that runs from cron: Ctrl-C and SIGTERM mid-run, a
 * host that does not resolve, a pipe closed early, a rate-limit window an hour (or a
 * year) away, a server clock that disagrees with ours. Each ends cleanly, quickly and
 * with a state the next run picks up.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import { isBrazeRateLimitError } from '../../src/core/errors.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/index.js';
import { ensureBuilt, startCli } from '../helpers/cli.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const KEY = 'ops-test-key-1c9e';
let emulator: Emulator;
let dir: string;
const servers: TestServer[] = [];

before(async () => {
  await ensureBuilt();
  emulator = await startEmulator({ seed: 2, events: 40, keys: [{ key: KEY }] });
  dir = await mkdtemp(join(tmpdir(), 'braze-ops-'));
});
after(async () => {
  await emulator.close();
  for (const s of servers) await s.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Resolves once the emulator has received `n` data_series requests: the child is past its
 * start-up (signal handlers in place) and inside the sync, however loaded the machine.
 */
async function dataSeriesReceived(n: number): Promise<void> {
  while (emulator.requests().filter((r) => r.route === 'dataSeries').length < n) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts the built CLI in the temp folder with the emulator's key and endpoint. */
function start(args: string[], env: Record<string, string> = {}) {
  const running = startCli(args, {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      CI: '1',
      NO_COLOR: '1',
      BRAZE_EVENTS_CONFIG: join(dir, 'none.json'),
      BRAZE_API_KEY: KEY,
      BRAZE_REST_ENDPOINT: emulator.url,
      ...env,
    },
  });
  return Object.assign(running.child, { done: running.done, waitFor: running.waitFor });
}

describe('interrupted runs', () => {
  test('Ctrl-C during `export --out FILE` leaves no file, no temp file, exit 130', async () => {
    emulator.addFault({ kind: 'delay', route: 'dataSeries', delayMs: 100 });
    try {
      const out = join(dir, 'counts.csv');
      const child = start(['export', '--all', '--out', out, '--concurrency', '2']);
      await child.waitFor('stderr', /export: \d+\/40/);
      child.kill('SIGINT');
      const exit = await child.done;
      assert.equal(exit.code, 130, exit.stderr);
      const left = (await readdir(dir)).filter((f) => f.includes('counts'));
      assert.deepEqual(left, [], 'neither the file nor a temp file is left');
      assert.equal(exit.stderr.trim().split('\n').at(-1)?.includes('    at '), false, 'no stack');
    } finally {
      emulator.clearFaults();
    }
  });

  test('SIGTERM during `sync`: the next run completes and the killed run is not left "running"', async () => {
    const db = join(dir, 'ops.db');
    // 40 series, 4 at a time, 400 ms each: about 4 s, killed after the first answer.
    emulator.addFault({ kind: 'delay', route: 'dataSeries', delayMs: 400 });
    emulator.clearRequests();
    const child = start(['sync', '--db', db]);
    try {
      await dataSeriesReceived(1);
      child.kill('SIGTERM');
      const first = await child.done;
      assert.equal(first.code, 143, `SIGTERM's code, as export: ${first.stderr}`);
    } finally {
      emulator.clearFaults();
    }
    const again = await start(['sync', '--db', db]).done;
    assert.equal(again.code, 0, again.stderr);
    const conn = await openDatabase(db);
    try {
      const runs = await conn.query<{ status: string }>('SELECT status FROM sync_runs ORDER BY id');
      assert.deepEqual(
        runs.map((r) => r.status).filter((s) => s === 'running'),
        [],
        `run statuses: ${runs.map((r) => r.status).join(', ')}`,
      );
      assert.equal(runs.at(-1)?.status, 'succeeded');
      const [{ n } = { n: 0 }] = await conn.query<{ n: number }>(
        'SELECT count(DISTINCT event) AS n FROM event_counts',
      );
      assert.equal(Number(n), 40);
    } finally {
      await conn.close();
    }
  });
});

describe("interrupted runs say what they did and exit with the signal's code", () => {
  test('Ctrl-C during `sync`: exit 130; the summary says series and windows done of planned', async () => {
    const db = join(dir, 'int.db');
    // 40 series of one window each, 2 at a time, 300 ms each: stopped after a few.
    emulator.addFault({ kind: 'delay', route: 'dataSeries', delayMs: 300 });
    emulator.clearRequests();
    const child = start(['sync', '--db', db, '--concurrency', '2']);
    let exit: Awaited<typeof child.done>;
    try {
      await dataSeriesReceived(2);
      child.kill('SIGINT');
      exit = await child.done;
    } finally {
      emulator.clearFaults();
    }
    assert.equal(exit.code, 130, exit.stderr);
    const m = exit.stderr.match(
      /sync interrupted: workspace "default", 40 of 40 events, (\d+) of 40 series done, 0 failed, (?:(\d+) cut short, )?(\d+) not attempted \(day\), (\d+) of 40 windows written in/,
    );
    assert.ok(m, exit.stderr);
    const [done, cutShort, notAttempted, windows] = [m[1], m[2], m[3], m[4]].map((n) =>
      Number(n ?? 0),
    ) as [number, number, number, number];
    assert.ok(done < 40, exit.stderr);
    assert.ok(notAttempted > 0, exit.stderr);
    assert.equal(done + cutShort + notAttempted, 40, 'every series is counted once');
    assert.equal(windows, done, 'one window per series');
    assert.match(exit.stderr, /error: sync interrupted: what was written is kept/);
    const conn = await openDatabase(db);
    try {
      const [{ n } = { n: 0 }] = await conn.query<{ n: number }>(
        'SELECT count(DISTINCT event) AS n FROM event_counts',
      );
      assert.equal(Number(n), done, 'the summary counts what was stored');
    } finally {
      await conn.close();
    }
  });

  test('SIGTERM during `export`: exit 143', async () => {
    emulator.addFault({ kind: 'delay', route: 'dataSeries', delayMs: 100 });
    try {
      const child = start(['export', '--all', '--out', join(dir, 'term.csv')]);
      await child.waitFor('stderr', /export: \d+\/40/);
      child.kill('SIGTERM');
      const exit = await child.done;
      assert.equal(exit.code, 143, exit.stderr);
      assert.match(exit.stderr, /error: export interrupted/);
    } finally {
      emulator.clearFaults();
    }
  });
});

describe('bad flags', () => {
  test('every command refuses bad flags with exit 2, one line, and sends no request', async () => {
    const cases = [
      ['series', 'A', '--length', '0'],
      ['series', 'A', '--length', '1e3'],
      ['series', 'A', '--unit', 'week'],
      ['series', 'A', '--since', '2026-02-30'],
      ['series', 'A', '--since', '2026-10-02', '--until', '2026-10-01'],
      ['series', 'A', '--ending-at', 'yesterday'],
      ['export', '--all', '--format', 'xml'],
      ['export', '--all', '--concurrency', '0'],
      ['export', '--event', ''],
      ['sync', '--unit', 'day,week'],
      ['sync', '--max-share', '0'],
      ['sync', '--max-share', '1.5'],
      ['sync', '--lookback', '-1'],
      ['sync', '--db', 'mysql://x/y'],
      ['check', '--drop', '150'],
      ['check', '--unit', 'minute'],
      ['serve', '--port', '70000'],
      ['list', '--max-retries', 'many'],
      ['list', '--timeout', '0'],
    ];
    const before = emulator.requests().length;
    for (const args of cases) {
      const exit = await start(args, { BRAZE_EVENTS_DB: join(dir, 'flags.db') }).done;
      const lines = exit.stderr.trim().split('\n');
      assert.equal(exit.code, 2, `${args.join(' ')} → ${exit.code}: ${exit.stderr}`);
      assert.equal(lines.length, 1, `${args.join(' ')} → ${exit.stderr}`);
    }
    assert.equal(emulator.requests().length, before, 'no request reached the emulator');
  });
});

describe('network and pipes', () => {
  test('a host that does not resolve: one clear line, exit 1, quickly', async () => {
    const exit = await start(['list', '--max-retries', '0'], {
      BRAZE_REST_ENDPOINT: 'https://braze-events-test.invalid',
    }).done;
    assert.equal(exit.code, 1, exit.stderr);
    const lines = exit.stderr.trim().split('\n');
    // Not a Braze REST host: first the one-line warning that the key goes there (issue 15).
    assert.equal(lines.length, 2, exit.stderr);
    assert.match(
      lines[0]!,
      /warning: endpoint https:\/\/braze-events-test\.invalid is not a Braze REST host: the API key will be sent there/,
    );
    assert.match(lines[1]!, /braze-events-test\.invalid|ENOTFOUND|network|resolve/i);
  });

  test('stdout closed early (`| head -1`) ends quietly with exit 0', async () => {
    const child = start(['list']);
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    child.stdout?.destroy();
    const exit = await child.done;
    assert.equal(exit.code, 0, exit.stderr);
    assert.ok(!/Error|at /.test(exit.stderr), exit.stderr);
  });
});

describe('rate-limit windows and clocks', () => {
  test('a 429 whose window resets in a year throws at once with resetAt, no year-long sleep', async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 365 * 86_400;
    const server = await startTestServer((_req, res) => {
      res.writeHead(429, {
        'content-type': 'application/json',
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(resetAt),
      });
      res.end('{"message":"Over rate limit"}');
    });
    servers.push(server);
    const client = createBrazeClient({ apiKey: KEY, endpoint: server.url });
    const error = await client.listEventNames().catch((e: unknown) => e);
    assert.ok(isBrazeRateLimitError(error), String(error));
    assert.equal(error.resetAt?.getTime(), resetAt * 1000);
    assert.equal(server.requests.length, 1, 'no retry before the window resets');
    // The next call is refused by pacing without being sent.
    await assert.rejects(client.listEventNames(), (e) => isBrazeRateLimitError(e));
    assert.equal(server.requests.length, 1);
  });

  test('a server clock an hour behind (reset already past, remaining 0) does not stall the client', async () => {
    const server = await startTestServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-ratelimit-limit': '1000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 3600),
      });
      res.end('{"events":["A"],"message":"success"}');
    });
    servers.push(server);
    const client = createBrazeClient({
      apiKey: KEY,
      endpoint: server.url,
      maxRetryWaitMs: 1000,
    });
    for (let i = 0; i < 5; i++) assert.deepEqual((await client.listEventNames()).events, ['A']);
    assert.equal(server.requests.length, 5);
  });
});
