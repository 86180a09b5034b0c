/**
 * `braze-events serve` over PostgreSQL while the server is away (the CLI, spawned): API
 * requests answer 503 with a Retry-After and the dashboard's own message (never the sync's
 * "run sync again", never the password) within --db-reconnect-timeout, and 200 again on the
 * same serve once the server is back. A database error that is not "server away" stays 500.
 */
import assert from 'node:assert/strict';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type Dashboard, databaseAwayMessage, startDashboard } from '../../src/dashboard/index.js';
import type { Queryable } from '../../src/sync/db/types.js';
import { DatabaseUnavailableError } from '../../src/sync/index.js';
import { startCli } from '../helpers/cli.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { BREAKDOWN_EVENT, seedDatabase } from './seed.js';

const PASSWORD = 'serve-away-s3cret-pw';

/**
 * An answer must come long before the sync's bound (60 s) and the pool's own connect
 * timeout (30 s): a request still open after this fails the test instead of hanging it.
 */
const ANSWER_BY_MS = 15_000;

async function get(
  url: string,
): Promise<{ status: number; retryAfter: string | null; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(ANSWER_BY_MS) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
}

/**
 * A TCP relay to the server on 127.0.0.1:`port` that can go silent as a host dropping off
 * the network does for a new connection: accepted, then nothing, no refusal. Open
 * connections are cut when it goes silent (as a failover cuts them).
 */
async function startRelay(port: number) {
  let silent = false;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  };
  const server = createServer((client) => {
    track(client);
    if (silent) return;
    const upstream = connect(port, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cutAll = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    port: (server.address() as AddressInfo).port,
    silence() {
      silent = true;
      cutAll();
    },
    restore() {
      silent = false;
      cutAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        cutAll();
        server.close(() => resolve());
      }),
  };
}

describe('braze-events serve while PostgreSQL is away', () => {
  let pg: TestPostgres;
  let url: string;
  before(async () => {
    pg = await startTestPostgres();
    const plain = await pg.createDatabase('away');
    // Trust authentication ignores the password; it is there to be hidden.
    url = plain.replace('postgres@', `postgres:${PASSWORD}@`);
    const db = await seedDatabase(url, { extraEvents: 3 });
    await db.close();
  });
  after(async () => {
    await pg.stop();
  });

  test('503 with the dashboard message and Retry-After while down, 200 again once back', async () => {
    const serve = startCli(['serve', '--db', url, '--port', '0', '--db-reconnect-timeout', '1'], {
      source: true,
      timeoutMs: 120_000,
    });
    try {
      const base = (await serve.waitFor('stdout', /\n/)).split('\n')[0]!;
      assert.equal((await get(`${base}/api/overview?days=7`)).status, 200);

      await pg.halt();
      for (const path of [
        '/api/overview?days=7',
        '/api/sync',
        '/api/workspaces',
        '/api/anomalies',
        `/api/event?event=${encodeURIComponent(BREAKDOWN_EVENT)}`,
      ]) {
        const answer = await get(`${base}${path}`);
        assert.equal(answer.status, 503, `${path}: ${answer.body}`);
        assert.match(answer.retryAfter ?? '', /^[1-9]\d*$/, path);
        const { error } = JSON.parse(answer.body) as { error: string };
        assert.match(
          error,
          /^the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/away \(password hidden\) is not answering \(.*ECONNREFUSED.*\); the dashboard retries on the next request$/,
          path,
        );
        assert.doesNotMatch(error, /run sync again/, path);
        assert.ok(!answer.body.includes(PASSWORD), `${path}: the password is not in the body`);
      }

      await pg.restart(0);
      const back = await get(`${base}/api/overview?days=7`);
      assert.equal(back.status, 200, back.body);
      assert.equal((JSON.parse(back.body) as { events: unknown[] }).events.length, 7);
      assert.equal((await get(`${base}/api/sync`)).status, 200);

      // A second outage is said again: the first one ended at the first answer after it.
      await pg.halt();
      assert.equal((await get(`${base}/api/sync`)).status, 503);
      await pg.restart(0);
      assert.equal((await get(`${base}/api/sync`)).status, 200);
    } finally {
      await pg.restart(0).catch(() => {});
      serve.child.kill('SIGINT');
    }
    const exit = await serve.done;
    assert.equal(exit.code, 0, exit.stderr);
    // The wait is said on stderr once per outage, with the bound.
    assert.equal(
      exit.stderr.match(/the database stopped answering .*reconnecting for up to 1 s/g)?.length,
      2,
      exit.stderr,
    );
    assert.equal(
      exit.stderr.match(/the database answers again after \d+\.\d s/g)?.length,
      2,
      exit.stderr,
    );
    assert.ok(!exit.stderr.includes(PASSWORD), 'the password is not on stderr');
    assert.ok(!exit.stdout.includes(PASSWORD), 'the password is not on stdout');
  });

  test('a server gone silent (connects hang, nothing refused): 503 within the bound, then 200', async () => {
    const relay = await startRelay(Number(new URL(url).port));
    const dash = await startDashboard({
      db: url.replace(`:${new URL(url).port}/`, `:${relay.port}/`),
      dbReconnectTimeoutMs: 1_000,
    });
    try {
      assert.equal((await get(`${dash.url}/api/overview?days=7`)).status, 200);
      relay.silence();
      const answer = await get(`${dash.url}/api/overview?days=7`);
      assert.equal(answer.status, 503, answer.body);
      assert.match(answer.retryAfter ?? '', /^[1-9]\d*$/);
      assert.match(
        (JSON.parse(answer.body) as { error: string }).error,
        /^the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/away \(password hidden\) is not answering \((Connection terminated due to connection timeout|timeout exceeded when trying to connect)\); the dashboard retries on the next request$/,
      );
      relay.restore();
      assert.equal((await get(`${dash.url}/api/overview?days=7`)).status, 200);
    } finally {
      await dash.close();
      await relay.close();
    }
  });
});

describe('dashboard: a database error that is not "server away"', () => {
  let dash: Dashboard;
  before(async () => {
    const missing = () => Promise.reject(new Error('relation "series_watermarks" does not exist'));
    const broken: Queryable = {
      dialect: 'postgres',
      query: missing,
      exec: missing,
      lockHolder: missing,
      heldLockNames: missing,
    };
    dash = await startDashboard({ db: broken });
  });
  after(() => dash.close());

  test('keeps its 500 with the database message and no Retry-After', async () => {
    const answer = await get(`${dash.url}/api/overview?days=7`);
    assert.equal(answer.status, 500);
    assert.equal(answer.retryAfter, null);
    assert.deepEqual(JSON.parse(answer.body), {
      error: 'relation "series_watermarks" does not exist',
    });
  });
});

describe('databaseAwayMessage', () => {
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432\n    at details'), {
      code: 'ECONNREFUSED',
    });

  test('the reconnect bound ran out: its location and reason, in the dashboard words', () => {
    const error = new DatabaseUnavailableError('postgres://u:***@db/analytics', 3_000, refused());
    assert.equal(
      databaseAwayMessage(error),
      'the database at postgres://u:***@db/analytics (password hidden) is not answering (connect ECONNREFUSED 10.0.0.5:5432); the dashboard retries on the next request',
    );
  });

  test('a connection error reaching the server unwrapped; a connect over several addresses', () => {
    assert.equal(
      databaseAwayMessage(refused(), 'postgres://db/analytics'),
      'the database at postgres://db/analytics is not answering (connect ECONNREFUSED 10.0.0.5:5432); the dashboard retries on the next request',
    );
    // Node's connect to a name with several addresses: an AggregateError with no message.
    const both = new AggregateError([refused(), refused()], '');
    assert.equal(
      databaseAwayMessage(both),
      'the database is not answering (connect ECONNREFUSED 10.0.0.5:5432); the dashboard retries on the next request',
    );
  });

  test('any other error is not "away"', () => {
    assert.equal(databaseAwayMessage(new Error('relation "counts" does not exist')), undefined);
    assert.equal(
      databaseAwayMessage(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })),
      undefined,
    );
    assert.equal(databaseAwayMessage('ECONNREFUSED'), undefined);
  });
});
