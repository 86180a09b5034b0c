/**
 * `--match` selects the same names in every command (issue 14): one table of globs, run
 * against the built CLI's `list`, `export`, `sync` and `check` over an emulator whose names
 * hold `/`, spaces, dots and glob characters. `*` matches any characters, `/` included.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/index.js';
import { assertNoKeyLeaked, cleanEnv, ensureBuilt, runCli, TEST_KEY } from '../helpers/cli.js';
import { runningClock } from '../helpers/clock.js';
import { dayBefore } from '../helpers/now.js';

const NAMES = [
  'signup',
  'signup/step 1',
  'signup step 2',
  'Sign*up',
  'star*name',
  'Purchase.Completed',
  'café/ä',
  '[bracket]',
];

/** Each glob (repeated `--match` when several) and the names it must select, sorted. */
const TABLE: [globs: string[], selected: string[]][] = [
  [['signup*'], ['signup', 'signup step 2', 'signup/step 1']],
  [['*/*'], ['café/ä', 'signup/step 1']],
  [['S*'], ['Sign*up']],
  [['*\\**'], ['Sign*up', 'star*name']],
  [['{signup,Purchase.*}'], ['Purchase.Completed', 'signup']],
  [
    ['\\[bracket]', 'caf?/?'],
    ['[bracket]', 'café/ä'],
  ],
  [['*'], [...NAMES].sort()],
];

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();
const matchFlags = (globs: string[]) => globs.flatMap((g) => ['--match', g]);

/**
 * Counts on yesterday and today (UTC) only: every checked event is `new` to the check. The
 * emulator and every CLI run are at the suite's fixed NOW, so "today" cannot change between
 * the dataset and a command (it did at midnight UTC).
 */
/** The emulator's clock, shared by every CLI run. */
const clock = runningClock();

function dataset() {
  const day = (back: number) => dayBefore(back);
  return {
    events: NAMES.map((name) => ({
      name,
      counts: { [day(1)]: 50, [day(0)]: 50 },
    })),
  };
}

describe('--match selects the same names in list, export, sync and check', () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let fullDb: string;

  before(async () => {
    await ensureBuilt();
    emulator = await startEmulator({
      port: 0,
      data: dataset(),
      keys: [{ key: TEST_KEY }],
      now: clock,
    });
    env = cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
    dir = await mkdtemp(join(tmpdir(), 'braze-events-match-'));
    fullDb = `sqlite:${join(dir, 'full.db')}`;
    const r = await runCli(['sync', '--db', fullDb, '--json'], { env, now: clock });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).events, NAMES.length);
  });
  after(async () => {
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
    assertNoKeyLeaked();
  });

  const commands: Record<string, (globs: string[], i: number) => Promise<string[]>> = {
    async list(globs) {
      const r = await runCli(['list', ...matchFlags(globs), '--json'], { env, now: clock });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as string[];
    },
    async export(globs) {
      const args = ['export', ...matchFlags(globs), '--length', '3', '--format', 'ndjson'];
      const r = await runCli(args, { env, now: clock });
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      return lines.map((l) => (JSON.parse(l) as { event: string }).event);
    },
    async sync(globs, i) {
      const path = join(dir, `sync-${i}.db`);
      const r = await runCli(['sync', '--db', `sqlite:${path}`, ...matchFlags(globs), '--json'], {
        env,
        now: clock,
      });
      assert.equal(r.code, 0, r.stderr);
      const db = await openDatabase(`sqlite:${path}`);
      try {
        const rows = await db.query<{ event: string }>('SELECT DISTINCT event FROM series');
        return rows.map((row) => row.event);
      } finally {
        await db.close();
      }
    },
    async check(globs) {
      const r = await runCli(['check', '--db', fullDb, ...matchFlags(globs), '--json'], {
        env,
        now: clock,
      });
      assert.equal(r.code, 3, r.stderr);
      const report = JSON.parse(r.stdout) as {
        checkedSeries: number;
        findings: { event: string; kind: string }[];
      };
      assert.ok(
        report.findings.every((f) => f.kind === 'new'),
        r.stdout,
      );
      assert.equal(report.checkedSeries, report.findings.length);
      return report.findings.map((f) => f.event);
    },
  };

  for (const [command, run] of Object.entries(commands)) {
    test(command, async () => {
      for (const [i, [globs, selected]] of TABLE.entries()) {
        assert.deepEqual(sorted(await run(globs, i)), selected, `${command} ${globs.join(' ')}`);
      }
    });
  }
});
