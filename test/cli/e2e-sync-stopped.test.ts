/**
 * A sync that stops early says so (a new-user trial, 2026-11-30): with every data_series
 * request answering 503, "8 of 300 series failed" read as if the other 292 were fine. The
 * summary (text and --json), the error line and the run's journal say how many series
 * were done, failed and not attempted, and why the run stopped.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_CONSECUTIVE_SERIES_FAILURES, openDatabase, readStatus } from '../../src/sync/index.js';
import { runCli } from '../helpers/cli.js';
import { emulatorSuite } from './helpers.js';

const EVENTS = 30;
const suite = emulatorSuite({ events: EVENTS, seed: 3 });
/** No retries, one series at a time: the run stops after exactly five failed series. */
const FAST = ['--max-retries', '0'];
const STREAK = MAX_CONSECUTIVE_SERIES_FAILURES;
const NOT_TRIED = EVENTS - STREAK;

/** `sync --json` with data_series answering 503 (`count` times, or always); exit 1. */
async function syncJson(name: string, count: number | undefined) {
  suite.emulator().addFault({ kind: '503', route: 'dataSeries', ...(count ? { count } : {}) });
  const db = join(suite.dir(), `${name}.db`);
  const r = await runCli([...FAST, 'sync', '--db', db, '--concurrency', '1', '--json'], {
    env: suite.env(),
  });
  suite.emulator().clearFaults();
  assert.equal(r.code, 1, r.stderr);
  return { r, summary: JSON.parse(r.stdout) };
}

describe('sync stopped early by Braze being down', () => {
  test('text: done / failed / not attempted and why it stopped; the journal says the same', async () => {
    suite.emulator().addFault({ kind: '503', route: 'dataSeries' });
    const db = join(suite.dir(), 'text.db');
    const r = await runCli([...FAST, 'sync', '--db', db, '--concurrency', '1'], {
      env: suite.env(),
    });
    suite.emulator().clearFaults();
    assert.equal(r.code, 1, r.stderr);
    const asked = suite
      .emulator()
      .requests()
      .filter((q) => q.route === 'dataSeries');
    assert.equal(asked.length, STREAK, 'the run stopped after the streak');
    // The summary's first line counts the three kinds of series, one line.
    assert.match(
      r.stderr,
      new RegExp(
        `\\nsync failed: workspace "default", ${EVENTS} of ${EVENTS} events, 0 of ${EVENTS} series done, ${STREAK} failed, ${NOT_TRIED} not attempted \\(day\\), 0 of ${EVENTS} windows written in `,
      ),
    );
    const stopped = `stopped early: ${STREAK} series in a row failed, each with 503 Service Unavailable after the retries \\(Braze looks down; the other series were not attempted\\)`;
    assert.match(r.stderr, new RegExp(`\\n  ${stopped}\\n`));
    // The error line: why it stopped first, then the counts, then the failed events.
    const errorLine = r.stderr.split('\n').find((l) => l.startsWith('error: '));
    assert.ok(errorLine, r.stderr);
    assert.match(
      errorLine,
      new RegExp(
        `^error: ${stopped}; 0 of ${EVENTS} series done, ${STREAK} failed, ${NOT_TRIED} not attempted; failed: events "`,
      ),
    );
    const conn = await openDatabase(db);
    try {
      const [status] = await readStatus(conn);
      assert.equal(status?.runs[0]?.status, 'failed');
      assert.equal(status?.runs[0]?.error, errorLine.slice('error: '.length));
    } finally {
      await conn.close();
    }
  });

  test('--json: seriesFailed, seriesNotAttempted and stopReason', async () => {
    const { summary } = await syncJson('json', undefined);
    assert.equal(summary.series, EVENTS);
    assert.equal(summary.seriesDone, 0);
    assert.equal(summary.seriesFailed, STREAK);
    assert.equal(summary.seriesNotAttempted, NOT_TRIED);
    assert.match(
      summary.stopReason,
      /^5 series in a row failed, each with 503 Service Unavailable/,
    );
  });

  test('a run that tried every series says no "not attempted" and no stop reason', async () => {
    const { r, summary } = await syncJson('some', 2);
    assert.equal(summary.seriesDone, EVENTS - 2);
    assert.equal(summary.seriesFailed, 2);
    assert.equal(summary.seriesNotAttempted, 0);
    assert.equal(summary.stopReason, null);
    assert.match(r.stderr, new RegExp(`error: 2 of ${EVENTS} series failed: events "`));
  });
});
