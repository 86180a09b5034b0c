/**
 * End to end on a pseudo-terminal (util-linux `script`, part of every Debian system):
 * charts and progress bars appear on a TTY, and disappear under CI and NO_COLOR.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { cleanEnv, ensureBuilt, runCliOnTty, TEST_KEY } from '../helpers/cli.js';

let emulator: Emulator;
let dir: string;

before(async () => {
  await ensureBuilt();
  emulator = await startEmulator({ port: 0, events: 60, keys: [{ key: TEST_KEY }] });
  dir = await mkdtemp(join(tmpdir(), 'braze-events-tty-'));
});
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the binary with stdout and stderr on a pseudo-terminal; returns what it showed. */
async function onTty(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const env = cleanEnv({
    BRAZE_API_KEY: TEST_KEY,
    BRAZE_REST_ENDPOINT: emulator.url,
    TERM: 'xterm-256color',
    COLUMNS: '100',
    ...extraEnv,
  });
  const { code, stdout } = await runCliOnTty(args, env);
  assert.equal(code, 0, stdout);
  assert.ok(!stdout.includes(TEST_KEY));
  return stdout;
}

describe('on a terminal', () => {
  test('series table draws a chart above aligned columns; not under CI', async () => {
    const args = ['series', 'Purchase Completed', '--length', '20', '--ending-at', '2026-11-01'];
    const tty = await onTty(args);
    assert.match(tty, /Purchase Completed — 20 days, 2026-10-12 … 2026-10-31/);
    assert.match(tty, /┤/);
    assert.match(tty, /TIME {8}COUNT/);
    const ci = await onTty(args, { CI: 'true' });
    assert.doesNotMatch(ci, /┤/);
    assert.match(ci, /TIME {8}COUNT/);
  });

  test('export to a file shows a progress bar with ETA; plain lines under NO_COLOR and CI', async () => {
    const out = join(dir, 'a.csv');
    const args = ['export', '--all', '--length', '3', '--out', out];
    const bar = await onTty(args);
    assert.match(bar, /ETA/);
    assert.match(bar, /exported 60 events, 180 rows \(csv\)/);
    assert.equal((await readFile(out, 'utf8')).split('\n').length, 182);
    for (const env of [{ NO_COLOR: '1' }, { CI: '1' }]) {
      const plain = await onTty(args, env);
      assert.doesNotMatch(plain, /ETA|\u001b\[/, JSON.stringify(env));
      assert.match(plain, /export: 60\/60 events \(100%\), 180 rows/);
    }
  });

  test("sync's bar shows a long wait, and the wait line says it too (issue 15)", async () => {
    // The edge's 429 asks for 6 s: longer than the 5 s after which a wait is said.
    emulator.addFault({ kind: 'proxy-429', route: 'dataSeries', count: 1, delayMs: 6000 });
    const shown = await onTty(['sync', '--event', 'Purchase Completed'], {
      BRAZE_EVENTS_DB: join(dir, 'tty.db'),
    });
    assert.match(shown, /waiting until \d\d:\d\d:\d\dZ \(retry\)/);

    emulator.addFault({ kind: 'proxy-429', route: 'dataSeries', count: 1, delayMs: 6000 });
    const exported = await onTty([
      'export',
      '--event',
      'Purchase Completed',
      '--length',
      '3',
      '--out',
      join(dir, 'w.csv'),
    ]);
    assert.match(exported, /ETA .* \| waiting until \d\d:\d\d:\d\dZ \(retry\)/);
    assert.match(exported, /waiting 6 s, until .*Z.*Ctrl-C is safe, a re-run starts over/);
    assert.match(
      shown,
      /waiting 6 s, until .*Z, before retry 1\/\d+ of GET \/events\/data_series.*Ctrl-C is safe, a re-run resumes where this one stopped/,
    );
  });
});
