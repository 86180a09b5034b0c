/**
 * The CLI's wait lines (issue 15, "every wait is visible"): requests running side by side
 * that all wait for the same rate-limit window say so once, not once per request; a later
 * window, or a retry's backoff, is a new line; short waits only reach --debug.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type ClientExtras, noticePrinter } from '../../src/cli/context.js';
import { reconnectNotice } from '../../src/cli/db-flag.js';
import type { CliLogger } from '../../src/cli/output.js';
import { createBrazeClient } from '../../src/core/client.js';
import { formatUntil } from '../../src/core/notice.js';
import type { ClientNotice } from '../../src/core/types.js';
import { startEmulator } from '../../src/emulator/index.js';
import { TEST_KEY } from '../helpers/cli.js';
import { createVirtualClock } from '../helpers/clock.js';
import { closedPort } from '../helpers/http-server.js';
import { NOW } from '../helpers/now.js';

function recorder() {
  const info: string[] = [];
  const debug: string[] = [];
  const log: CliLogger = {
    info: (m) => info.push(m),
    warn: (m) => info.push(`warn: ${m}`),
    debug: (m) => debug.push(m),
  };
  return { log, info, debug };
}

const wait = (
  ms: number,
  until: string,
  cause: 'rate-limit' | 'retry' = 'rate-limit',
): Extract<ClientNotice, { kind: 'wait' }> => ({
  kind: 'wait',
  cause,
  bucket: 'dataSeries',
  ms,
  until: new Date(until),
  message: `waiting ${ms / 1000} s, until ${until}`,
});

describe('noticePrinter', () => {
  test('four workers waiting for one window print one line; the next window prints again', () => {
    const { log, info } = recorder();
    const seen: number[] = [];
    const print = noticePrinter(log, { resumable: true, onWait: (n) => seen.push(n.ms) });
    for (let i = 0; i < 4; i++) print(wait(27_000, '2026-11-30T01:10:30Z'));
    print(wait(30_000, '2026-11-30T01:11:00Z'));
    print(wait(30_000, '2026-11-30T01:11:00Z'));
    print(wait(6_000, '2026-11-30T01:11:00Z', 'retry'));
    assert.deepEqual(info, [
      'waiting 27 s, until 2026-11-30T01:10:30Z; Ctrl-C is safe, a re-run resumes where this one stopped',
      'waiting 30 s, until 2026-11-30T01:11:00Z; Ctrl-C is safe, a re-run resumes where this one stopped',
      'waiting 6 s, until 2026-11-30T01:11:00Z; Ctrl-C is safe, a re-run resumes where this one stopped',
    ]);
    assert.equal(seen.length, 7, 'every wait still reaches the progress bar');
  });

  test('a short retry delay after a long time-out is said: the silence is both', () => {
    const { log, info, debug } = recorder();
    const print = noticePrinter(log, {});
    print({ ...wait(1_000, '2026-11-30T01:10:30Z', 'retry'), attemptMs: 8_000 });
    print({ ...wait(1_000, '2026-11-30T01:10:40Z', 'retry'), attemptMs: 3_000 });
    assert.deepEqual(info, [
      'waiting 1 s, until 2026-11-30T01:10:30Z; Ctrl-C is safe, a re-run starts over',
    ]);
    assert.deepEqual(debug, ['waiting 1 s, until 2026-11-30T01:10:40Z']);
  });

  test('a wait of 5 s or less goes to --debug only', () => {
    const { log, info, debug } = recorder();
    noticePrinter(log, {})(wait(5_000, '2026-11-30T01:10:30Z'));
    assert.deepEqual(info, []);
    assert.deepEqual(debug, ['waiting 5 s, until 2026-11-30T01:10:30Z']);
  });

  test('a lost database is said once per outage by every command that opens one, and its return', () => {
    const said: string[] = [];
    let t = 1_000_000;
    const notice = reconnectNotice(
      (m) => said.push(m),
      60,
      () => t,
    );
    notice.opened();
    const lost = new Error('terminating connection due to administrator command\nDETAIL: …');
    notice.options.onReconnectWait(0, 250, lost);
    notice.options.onReconnectWait(1, 500, lost);
    notice.options.onReconnectWait(0, 250, lost);
    t += 8_240;
    // Every statement in flight reconnects; the first says it, once.
    notice.options.onReconnected(8_000);
    notice.options.onReconnected(8_100);
    assert.deepEqual(said, [
      'the database stopped answering (terminating connection due to administrator command); reconnecting for up to 60 s',
      'the database answers again after 8.2 s',
    ]);
    // A later outage is a new one, said again.
    notice.options.onReconnectWait(0, 250, lost);
    assert.equal(said.length, 3);
  });

  test('a database not answering when the command starts is said once, as a wait, and its arrival', () => {
    const said: string[] = [];
    let t = 0;
    const notice = reconnectNotice(
      (m) => said.push(m),
      30,
      () => t,
    );
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    notice.options.onReconnectWait(0, 100, refused);
    notice.options.onReconnectWait(1, 200, refused);
    t += 12_000;
    notice.options.onReconnected(12_000);
    assert.deepEqual(said, [
      'the database is not answering (connect ECONNREFUSED 127.0.0.1:5432); waiting for it for up to 30 s',
      'the database answers after 12.0 s',
    ]);
  });
});

/** A client on a virtual clock whose notices go through the CLI's printer, recorded. */
function printingClient(endpoint: string, random: () => number, extra: ClientExtras) {
  const clock = createVirtualClock();
  const { log, info, debug } = recorder();
  const client = createBrazeClient({
    apiKey: TEST_KEY,
    endpoint,
    now: clock.now,
    sleep: clock.sleep,
    random,
    onNotice: noticePrinter(log, extra),
  });
  return { client, clock, info, debug };
}

describe('a retry sequence longer than 5 s in all is said once, though no single wait is', () => {
  // Jitter at its bottom: delays 0.25, 0.5, 1, 2, 4 s with the defaults (5 retries), none
  // over 5 s; on the virtual clock failed attempts take no time, so the request has been
  // retrying 7.75 s in all when the last wait ends: that wait is said, once.
  const random = () => 0;

  async function run(endpoint: string) {
    const { client, clock, info, debug } = printingClient(endpoint, random, {});
    const error = await client.listEventNames().catch((e: unknown) => e);
    return { clock, info, debug, error };
  }

  const expected = (cause: string) =>
    `waiting 4 s, until ${formatUntil(NOW + 7750)}, before retry 5/5 of GET /events/list?page=0 (${cause}); ` +
    `retrying for 8 s in all by then; if each attempt fails like this one, the last retry starts by ${formatUntil(NOW + 7750)}; ` +
    'Ctrl-C is safe, a re-run starts over';

  test('a refused connection (BRAZE_REST_ENDPOINT=http://127.0.0.1:<closed port>)', async () => {
    const { clock, info, debug, error } = await run(`http://127.0.0.1:${await closedPort()}`);
    assert.equal((error as { code?: string }).code, 'network');
    assert.deepEqual(clock.sleeps, [250, 500, 1000, 2000, 4000]);
    assert.deepEqual(info, [expected('NetworkError')]);
    assert.equal(debug.length, 4, debug.join('\n'));
  });

  test('503 on every attempt, against the emulator: six requests, one line', async () => {
    const emulator = await startEmulator({ port: 0, keys: [{ key: TEST_KEY }] });
    try {
      emulator.addFault({ kind: '503', route: 'eventsList', count: 100 });
      const { info, error } = await run(emulator.url);
      assert.equal((error as { status?: number }).status, 503);
      assert.equal(emulator.requests().length, 6);
      assert.equal(info.length, 1, info.join('\n'));
      assert.match(
        info[0]!,
        /^waiting 4 s, .* before retry 5\/5 of GET \/events\/list\?page=0 \(503/,
      );
      assert.match(
        info[0]!,
        /retrying for 8 s in all by then; if each attempt fails like this one, the last retry starts by \S+Z;/,
      );
    } finally {
      await emulator.close();
    }
  });

  test('an earlier wait of the sequence names when the last retry starts if each fails alike', async () => {
    const clock = createVirtualClock();
    const notices: ClientNotice[] = [];
    const client = createBrazeClient({
      apiKey: TEST_KEY,
      endpoint: `http://127.0.0.1:${await closedPort()}`,
      now: clock.now,
      sleep: clock.sleep,
      random,
      onNotice: (n) => notices.push(n),
    });
    await client.listEventNames().catch(() => undefined);
    const second = notices[1] as Extract<ClientNotice, { kind: 'wait' }>;
    // Ends at 0.75 s; then at the longest backoffs 2 s, 4 s, 8 s (ceilings of attempts 2–4).
    assert.equal(second.retryingMs, 750);
    assert.equal(second.lastRetryBy?.getTime(), NOW + 750 + 2000 + 4000 + 8000);
    assert.equal(new Set(notices.map((n) => (n.kind === 'wait' ? n.call : 0))).size, 1);
  });
});

describe('Braze down: the retry explanation once, then a short line per retry (trial 2026-11-30)', () => {
  test('four requests retrying against a 503 on every data_series request', async () => {
    const emulator = await startEmulator({ port: 0, keys: [{ key: TEST_KEY }], events: 4 });
    try {
      emulator.addFault({ kind: '503', route: 'dataSeries' });
      const { client, info } = printingClient(emulator.url, () => 0.99, { resumable: true });
      const events = ['Add to Cart', 'Purchase Completed', 'Search', 'Sign Up'];
      for (const event of events) {
        await client.getEventSeries({ event, length: 3 }).catch(() => undefined);
      }
      assert.equal(
        emulator.requests().filter((r) => r.route === 'dataSeries').length,
        events.length * 6,
        'every attempt reached the emulator',
      );
      const retries = info.filter((l) => /(^| )retry \d\/5 /.test(l));
      assert.ok(retries.length >= events.length * 2, info.join('\n'));
      // The first says everything: how long it has retried, when the last retry starts,
      // that Ctrl-C is safe.
      assert.match(
        retries[0]!,
        /retrying for \d+ s in all by then; if each attempt fails like this one, the last retry starts by \S+Z; Ctrl-C is safe, a re-run resumes where this one stopped$/,
      );
      // Later ones: short, but still which request, which retry, why, and until when.
      for (const line of retries.slice(1)) {
        assert.ok(line.length <= 180, `${line.length} characters: ${line}`);
        assert.doesNotMatch(line, /if each attempt fails like this one|Ctrl-C is safe/);
        assert.match(
          line,
          /^retry [2-5]\/5 of GET \/events\/data_series\?event=\S+ in \d+ s, at \S+Z \(503 Service Unavailable\)$/,
        );
      }
      for (const event of events) {
        const encoded = encodeURIComponent(event);
        assert.ok(
          retries.some((l) => l.includes(`event=${encoded}`)),
          `a retry of ${event} is said`,
        );
      }
      assert.ok(!info.join('\n').includes(TEST_KEY));
    } finally {
      await emulator.close();
    }
  });
});
