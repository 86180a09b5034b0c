/**
 * Issue 15, item 5: never ask for the future. A user reports Braze answering 400 to an
 * `ending_at` after the request time; the emulator does so by default. Every command that
 * reads series runs here against it, at UTC and at +05:30, and no request may carry a
 * future `ending_at` (`series X --since 7d` and `export --unit hour --since 30h` sent the
 * next midnight and hour before).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseEndingAt } from '../../src/api/time.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { assertNoKeyLeaked, cleanEnv, ensureBuilt, runCli, TEST_KEY } from '../helpers/cli.js';

let dir: string;

before(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'braze-events-future-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  assertNoKeyLeaked();
});

for (const offset of ['+00:00', '+05:30']) {
  describe(`no command sends a future ending_at (${offset})`, () => {
    let emulator: Emulator;
    let env: NodeJS.ProcessEnv;
    let event: string;

    before(async () => {
      emulator = await startEmulator({
        port: 0,
        events: 4,
        keys: [{ key: TEST_KEY }],
        zoneOffsetMinutes: offset === '+00:00' ? 0 : 330,
      });
      env = cleanEnv({
        BRAZE_API_KEY: TEST_KEY,
        BRAZE_REST_ENDPOINT: emulator.url,
        BRAZE_BUCKET_UTC_OFFSET: offset,
      });
      event = emulator.eventNames()[0]!;
    });
    after(() => emulator?.close());

    const runs: [string, () => string[]][] = [
      ['series --since 7d', () => ['series', event, '--since', '7d', '--format', 'csv']],
      [
        'series --unit hour --since 30h',
        () => ['series', event, '--unit', 'hour', '--since', '30h', '--format', 'csv'],
      ],
      [
        'series --length 3 (default ending_at)',
        () => ['series', event, '--length', '3', '--format', 'csv'],
      ],
      [
        'series --length 3 --ending-at tomorrow',
        () => [
          'series',
          event,
          '--length',
          '3',
          '--ending-at',
          new Date(Date.now() + 86_400_000).toISOString(),
          '--format',
          'csv',
        ],
      ],
      [
        'export --unit hour --since 30h',
        () => ['export', '--event', event, '--unit', 'hour', '--since', '30h', '--format', 'csv'],
      ],
      [
        'export --length 150',
        () => ['export', '--event', event, '--length', '150', '--format', 'csv'],
      ],
      ['export --all --since 2w', () => ['export', '--all', '--since', '2w', '--format', 'ndjson']],
      [
        'sync --unit day,hour',
        () => [
          'sync',
          '--db',
          join(dir, `sync${offset}.db`),
          '--unit',
          'day,hour',
          '--since',
          '3d',
        ],
      ],
    ];
    for (const [name, args] of runs) {
      test(name, async () => {
        emulator.clearRequests();
        const r = await runCli(args(), { env });
        assert.equal(r.code, 0, r.stderr);
        // `--length 150` is exactly 150 buckets at every offset (151 at +05:30 before).
        if (name === 'export --length 150') assert.equal(r.stdout.trim().split('\n').length, 151);
        const series = emulator.requests().filter((q) => q.route === 'dataSeries');
        assert.ok(series.length > 0);
        for (const q of series) {
          assert.equal(q.status, 200, JSON.stringify(q.query));
          const end = q.query.ending_at;
          if (end !== undefined) {
            const at = parseEndingAt(end, offset === '+00:00' ? 0 : 330);
            assert.ok(
              at !== null && at <= q.at,
              `ending_at ${end} after the request (${new Date(q.at).toISOString()})`,
            );
          }
        }
      });
    }
  });
}
