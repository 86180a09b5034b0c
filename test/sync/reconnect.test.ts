/**
 * withReconnect: what counts as a lost connection, the backoff it sleeps, the bound, and
 * that other errors pass straight through. Injected clock and sleep.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isConnectionError, withReconnect } from '../../src/sync/db/reconnect.js';
import { DatabaseUnavailableError, isSyncError } from '../../src/sync/errors.js';
import { createVirtualClock } from '../helpers/clock.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('withReconnect', () => {
  test('connection errors are told from statement errors', () => {
    assert.equal(isConnectionError(coded('ECONNREFUSED')), true);
    assert.equal(isConnectionError(coded('57P01', 'terminating connection')), true);
    assert.equal(isConnectionError(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isConnectionError(new Error('timeout exceeded when trying to connect')), true);
    assert.equal(isConnectionError(new AggregateError([coded('ECONNREFUSED')])), true);
    assert.equal(isConnectionError(coded('23505', 'duplicate key value')), false);
    assert.equal(isConnectionError(coded('42P01', 'relation "x" does not exist')), false);
    assert.equal(isConnectionError('ECONNREFUSED'), false);
  });

  test('retries a lost connection with growing waits, re-taking locks first, then succeeds', async () => {
    const time = createVirtualClock(0);
    const slept = time.sleeps;
    let calls = 0;
    let relocks = 0;
    const result = await withReconnect(
      async () => {
        calls += 1;
        if (calls < 4) throw coded('ECONNREFUSED');
        return 'done';
      },
      {
        location: 'postgres://db/x',
        now: time.now,
        sleep: time.sleep,
        beforeRetry: async () => {
          relocks += 1;
        },
      },
    );
    assert.equal(result, 'done');
    assert.equal(calls, 4);
    assert.equal(relocks, 3);
    assert.equal(slept.length, 3);
    assert.ok(
      slept.every((ms) => ms >= 50 && ms <= 2_000),
      String(slept),
    );
  });

  test('gives up after the bound with one line naming the database; never waits past it', async () => {
    const time = createVirtualClock(0);
    const error = await withReconnect(
      async () => {
        throw coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
      },
      {
        location: 'postgres://u@db/x',
        timeoutMs: 5_000,
        now: time.now,
        sleep: time.sleep,
      },
    ).catch((e: unknown) => e);
    assert.ok(error instanceof DatabaseUnavailableError);
    assert.equal(error.code, 'DATABASE_UNAVAILABLE');
    // A database outage is not a Braze error: it sits under the sync's own root.
    assert.ok(isSyncError(error));
    assert.equal(error.name, 'DatabaseUnavailableError');
    assert.equal(time.now(), 5_000);
    assert.match(
      error.message,
      /^the database postgres:\/\/u@db\/x .* after 5 s \(connect ECONNREFUSED/,
    );
    assert.doesNotMatch(error.message, /\n/);
  });

  test('any other error is thrown at once, without a wait', async () => {
    const time = createVirtualClock(0);
    await assert.rejects(
      withReconnect(
        async () => {
          throw coded('23505', 'duplicate key value');
        },
        { location: 'x', sleep: time.sleep },
      ),
      /duplicate key/,
    );
    assert.deepEqual(time.sleeps, []);
  });

  test('an aborted signal stops the wait at once: DatabaseUnavailableError saying it was interrupted', async () => {
    const time = createVirtualClock(0);
    const controller = new AbortController();
    let calls = 0;
    // A sleep that never ends by itself: only the abort can end the wait.
    const never = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    const waiting = withReconnect(
      async () => {
        calls += 1;
        time.advance(1_500);
        throw coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
      },
      {
        location: 'postgres://u@db/x',
        timeoutMs: 60_000,
        now: time.now,
        sleep: never,
        signal: controller.signal,
      },
    ).catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('interrupted by SIGINT'));
    const error = await waiting;
    assert.ok(error instanceof DatabaseUnavailableError, String(error));
    assert.equal(error.code, 'DATABASE_UNAVAILABLE');
    assert.equal(error.interrupted, true);
    assert.equal(error.waitedMs, 0);
    assert.equal(calls, 1);
    assert.match(error.message, /^the database postgres:\/\/u@db\/x .*interrupted/);
    assert.doesNotMatch(error.message, /\n/);
  });

  test('an already aborted signal still runs the work once (the server may be up), never waits', async () => {
    const time = createVirtualClock(0);
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGTERM'));
    const options = {
      location: 'x',
      now: time.now,
      sleep: time.sleep,
      signal: controller.signal,
    };
    assert.equal(await withReconnect(async () => 'written', options), 'written');
    const error = await withReconnect(async () => {
      throw coded('ECONNREFUSED');
    }, options).catch((e: unknown) => e);
    assert.ok(error instanceof DatabaseUnavailableError);
    assert.equal(error.interrupted, true);
    assert.deepEqual(time.sleeps, []);
  });

  test('onReconnected is told once the server answers again, with the time waited', async () => {
    const time = createVirtualClock(0);
    const told: number[] = [];
    let calls = 0;
    const work = async () => {
      calls += 1;
      if (calls < 3) throw coded('57P03', 'the database system is starting up');
      return 'ok';
    };
    const options = {
      location: 'x',
      now: time.now,
      sleep: time.sleep,
      onReconnected: (ms: number) => told.push(ms),
    };
    assert.equal(await withReconnect(work, options), 'ok');
    assert.deepEqual(told, [time.slept()]);
    // A first attempt that succeeds reconnected nothing.
    assert.equal(await withReconnect(work, options), 'ok');
    assert.equal(told.length, 1);
  });
});
