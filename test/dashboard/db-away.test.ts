/**
 * `braze-events serve` over PostgreSQL while the server is away (the CLI, spawned): API
 * requests answer 503 with a Retry-After and the dashboard's own message (never the sync's
 * "run sync again", never the password) within --db-reconnect-timeout, and 200 again on the
 * same serve once the server is back. A database error that is not "server away" stays 500.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.js';
import type { Queryable } from '../../src/sync/db/types.js';
import { startCli } from '../helpers/cli.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { BREAKDOWN_EVENT, seedDatabase } from './seed.js';

const PASSWORD = 'serve-away-s3cret-pw';

/** The default bound of the sync; an answer must come long before it. */
const SYNC_BOUND_MS = 60_000;

async function get(
  url: string,
): Promise<{ status: number; retryAfter: string | null; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(SYNC_BOUND_MS / 2) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
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
    } finally {
      await pg.restart(0).catch(() => {});
      serve.child.kill('SIGINT');
    }
    const exit = await serve.done;
    assert.equal(exit.code, 0, exit.stderr);
    // The wait is said on stderr once per outage, with the bound.
    assert.match(exit.stderr, /the database stopped answering .*reconnecting for up to 1 s/);
    assert.ok(!exit.stderr.includes(PASSWORD), 'the password is not on stderr');
    assert.ok(!exit.stdout.includes(PASSWORD), 'the password is not on stdout');
  });
});

describe('dashboard: a database error that is not "server away"', () => {
  let dash: Dashboard;
  before(async () => {
    const broken: Queryable = {
      dialect: 'postgres',
      query: () => Promise.reject(new Error('relation "series_watermarks" does not exist')),
      exec: () => Promise.reject(new Error('relation "series_watermarks" does not exist')),
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
