/**
 * The CLI's wait lines (issue 15, "every wait is visible"): requests running side by side
 * that all wait for the same rate-limit window say so once, not once per request; a later
 * window, or a retry's backoff, is a new line; short waits only reach --debug.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { noticePrinter } from '../../src/cli/context.js';
import { reconnectNotice } from '../../src/cli/db-flag.js';
import type { CliLogger } from '../../src/cli/output.js';
import type { ClientNotice } from '../../src/core/types.js';

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

  test('a lost database is said once per outage by every command that opens one', () => {
    const said: string[] = [];
    const notice = reconnectNotice((m) => said.push(m), 60);
    const lost = new Error('terminating connection due to administrator command\nDETAIL: …');
    notice(0, 250, lost);
    notice(1, 500, lost);
    notice(0, 250, lost);
    assert.deepEqual(said, [
      'the database stopped answering (terminating connection due to administrator command); reconnecting for up to 60 s',
    ]);
  });
});
