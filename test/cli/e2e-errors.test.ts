/**
 * End to end: every documented failure of the built binary — API errors (401, 403, 429
 * past the retry cap, 5xx exhausted), usage errors (exit 2 with zero requests sent),
 * missing configuration — one stderr line each, and never the key.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  assertNoKeyLeaked,
  assertOneErrorLine,
  cleanEnv,
  ensureBuilt,
  LIST_ONLY_KEY,
  runCli,
  TEST_KEY,
} from '../helpers/cli.js';
import { runningClock } from '../helpers/clock.js';

let emulator: Emulator;
let env: NodeJS.ProcessEnv;
let dir: string;
const FAST = ['--max-retries', '1', '--timeout', '5000', '--max-retry-wait', '1000'];

before(async () => {
  await ensureBuilt();
  emulator = await startEmulator({
    port: 0,
    events: 30,
    keys: [{ key: TEST_KEY }, { key: LIST_ONLY_KEY, permissions: ['events.list'] }],
  });
  env = cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
  dir = await mkdtemp(join(tmpdir(), 'braze-events-e2e-err-'));
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
  assertNoKeyLeaked();
});

describe('API failures: exit 1, one actionable line', () => {
  test('401: wrong key names the endpoint used and the request id', async () => {
    const r = await runCli(['list'], { env: { ...env, BRAZE_API_KEY: `${TEST_KEY}-wrong` } });
    assertOneErrorLine(r, 1, /^error: Braze answered 401/);
    assert.ok(r.stderr.includes(`rejected by ${emulator.url}`), r.stderr);
    assert.ok(r.stderr.includes('BRAZE_REST_ENDPOINT'), r.stderr);
    const id = emulator.requests()[0]!.id;
    assert.ok(r.stderr.includes(`request id ${id}`), r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(emulator.requests().length, 1, '401 is not retried');
  });

  test('403: names the missing permission', async () => {
    const keyed = { ...env, BRAZE_API_KEY: LIST_ONLY_KEY };
    const r = await runCli(['series', 'add_to_cart', '--format', 'csv'], { env: keyed });
    assertOneErrorLine(r, 1, /403.*lacks the "events\.data_series" permission/);
    const d = await runCli(['list', '--details'], { env: keyed });
    assertOneErrorLine(d, 1, /403.*lacks the "events\.get" permission/);
  });

  test('day buckets at another offset than --bucket-utc-offset: the error line says so', async () => {
    const east = await startEmulator({
      port: 0,
      events: 5,
      zoneOffsetMinutes: 330,
      keys: [{ key: TEST_KEY }],
    });
    try {
      const event = east.eventNames()[0]!;
      const r = await runCli(
        [...FAST, 'export', '--event', event, '--length', '150', '--format', 'csv'],
        { env: { ...env, BRAZE_REST_ENDPOINT: east.url } },
      );
      assertOneErrorLine(
        r,
        1,
        /not contiguous; its days are 1 day later than asked: Braze's day buckets may be at another UTC offset than --bucket-utc-offset \+00:00 \(request id /,
      );
    } finally {
      await east.close();
    }
  });

  test('429 past the retry cap: says when the limit resets', async () => {
    // A 1-second "hour", so the client's wait for the reset is short and it does retry.
    const fast = await startEmulator({
      port: 0,
      events: 5,
      hourMs: 1000,
      keys: [{ key: TEST_KEY }],
    });
    try {
      fast.addFault({ kind: '429', route: 'eventsList', count: 10 });
      const r = await runCli(['--max-retries', '1', '--max-retry-wait', '5000', 'list'], {
        env: { ...env, BRAZE_REST_ENDPOINT: fast.url },
      });
      assertOneErrorLine(
        r,
        1,
        /^error: Braze answered 429.*rate limit still exhausted after 1 retry; it resets at \d{4}-\d\d-\d\dT[\d:.]+Z: try again then/,
      );
      assert.equal(fast.requests().length, 2, 'one try and one retry');
    } finally {
      await fast.close();
    }
  });

  test('429 whose reset is further away than --max-retry-wait fails at once', async () => {
    // The 429 resets at the top of the emulator's hour. The emulator and the CLI run at the
    // suite's NOW (13:30:07 UTC), so the reset is 29 min 53 s away, beyond --max-retry-wait,
    // whatever the real hour (on the real clock the last seconds of an hour retried).
    const clock = runningClock();
    const atNow = await startEmulator({
      port: 0,
      events: 5,
      now: clock,
      keys: [{ key: TEST_KEY }],
    });
    try {
      atNow.addFault({ kind: '429', route: 'eventsList', count: 10 });
      const r = await runCli([...FAST, 'list'], {
        env: { ...env, BRAZE_REST_ENDPOINT: atNow.url },
        now: clock,
      });
      assertOneErrorLine(r, 1, /429.*it resets at 2026-06-15T14:00:00(\.000)?Z/);
      assert.equal(atNow.requests().length, 1);
    } finally {
      await atNow.close();
    }
  });

  test('5xx exhausted: says how many retries were made', async () => {
    emulator.addFault({ kind: '503', route: 'dataSeries', count: 10 });
    const r = await runCli([...FAST, 'series', 'add_to_cart', '--format', 'csv'], { env });
    assertOneErrorLine(r, 1, /503.*gave up after 1 retry/);
    assert.equal(r.stdout, '');
    emulator.clearFaults();
    emulator.addFault({ kind: '502', count: 10 });
    const h = await runCli([...FAST, 'list'], { env });
    assertOneErrorLine(h, 1, /502.*gave up after 1 retry/);
    assert.doesNotMatch(h.stderr, /<html/i);
  });

  test('a transient 5xx is retried and the run succeeds', async () => {
    emulator.addFault({ kind: '500', route: 'dataSeries', count: 1 });
    const r = await runCli([...FAST, 'series', 'add_to_cart', '--length', '3', '--format', 'csv'], {
      env,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 4);
  });

  /**
   * An export to `out` that fails part way: some data_series requests fail (deterministic
   * under the seed) and are not retried, after a few events were already written.
   */
  const failingExport = (out: string) => {
    emulator.addFault({ kind: '500', route: 'dataSeries', probability: 0.2, count: 1000 });
    return runCli(
      [
        '--max-retries',
        '0',
        'export',
        '--all',
        '--length',
        '2',
        '--concurrency',
        '1',
        '--out',
        out,
      ],
      { env },
    );
  };

  test('a failed export to --out leaves no file, complete-looking or temporary', async () => {
    const out = join(dir, 'counts.csv');
    await writeFile(join(dir, 'keep.txt'), 'x');
    const r = await failingExport(out);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /500.*gave up after 0 retries/);
    assert.ok(emulator.requests().some((q) => q.route === 'dataSeries' && q.status === 200));
    assert.match(r.stderr, /was not written/);
    assert.deepEqual(await readdir(dir), ['keep.txt']);
  });

  test('a failed export to a named pipe says the output is incomplete; the pipe stays a pipe', async () => {
    const pipe = join(dir, 'out.fifo');
    execFileSync('mkfifo', [pipe]);
    // A non-blocking reader, so the CLI's open does not wait and the test cannot hang.
    const fd = openSync(pipe, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const r = await failingExport(pipe);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /export failed: what reached .*out\.fifo is incomplete/);
      const buffer = Buffer.alloc(65_536);
      const text = buffer.subarray(0, readSync(fd, buffer)).toString('utf8');
      assert.match(text, /^event,unit,time,count\n/, 'the rows before the failure went through');
      assert.ok((await stat(pipe)).isFIFO());
    } finally {
      closeSync(fd);
      await rm(pipe, { force: true });
    }
  });

  test('--debug adds the stack but still never the key', async () => {
    const r = await runCli(['--debug', 'list'], {
      env: { ...env, BRAZE_API_KEY: `${TEST_KEY}-wrong` },
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: Braze answered 401/);
    assert.match(r.stderr, /\n\s+at /);
    assert.ok(!r.stderr.includes(TEST_KEY));
  });
});

describe('usage errors: exit 2 before any request', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown option', ['list', '--nope'], /unknown option '--nope'/],
    ['unknown command', ['lsit'], /unknown command 'lsit'/],
    ['bad --unit', ['series', 'x', '--unit', 'week'], /--unit.*week/],
    ['--length 0', ['series', 'x', '--length', '0'], /--length must be an integer from 1/],
    [
      '--length and --since',
      ['series', 'x', '--length', '3', '--since', '2026-10-01'],
      /cannot be used with/,
    ],
    ['bad --since', ['series', 'x', '--since', 'yesterday'], /--since must be an ISO 8601/],
    ['--until alone', ['export', '--all', '--until', '2026-10-01'], /--until needs --since/],
    [
      'since after until',
      ['export', '--all', '--since', '2026-10-02', '--until', '2026-10-01'],
      /must be before/,
    ],
    ['no events chosen', ['export'], /say which events to export/],
    ['--all with --event', ['export', '--all', '--event', 'x'], /cannot be used with/],
    // As in sync: names and a glob together would export their intersection, empty or not.
    [
      '--event with --match',
      ['export', '--event', 'x', '--match', 'Zzz*'],
      /'--event <name>' cannot be used with option '-m, --match/,
    ],
    ['bad --format', ['export', '--all', '--format', 'xml'], /--format.*xml/],
    ['bad --concurrency', ['export', '--all', '--concurrency', '0'], /--concurrency/],
    ['bad --max-retries', ['--max-retries', '-1', 'list'], /max-retries/],
    ['missing <event>', ['series'], /missing required argument 'event'/],
    [
      '--out in a missing folder',
      ['export', '--all', '--out', '/nonexistent-dir/x.csv'],
      /folder \/nonexistent-dir does not exist/,
    ],
    ['--out is a folder', ['export', '--all', '--out', '/tmp'], /--out \/tmp is a folder/],
    ['empty <event>', ['series', ''], /must not be empty/],
  ];
  for (const [name, args, re] of cases) {
    test(name, async () => {
      const r = await runCli(args, { env });
      assertOneErrorLine(r, 2, re);
      assert.equal(r.stdout, '');
      assert.equal(emulator.requests().length, 0, 'no request reached the emulator');
    });
  }

  test('an unknown instance id is a usage error listing the valid ones', async () => {
    const r = await runCli(['list'], { env: { ...env, BRAZE_REST_ENDPOINT: 'US-09' } });
    assertOneErrorLine(r, 2, /US-09.*US-01/);
  });
});

describe("library validators' option errors name the flag and the value: exit 2, one line", () => {
  // The emulator's and the export's validators throw BrazeOptionTypeError/RangeError with
  // `option`; the CLI names the flag through its one table (src/cli/errors.ts).
  const cases: [string, string[], RegExp][] = [
    [
      '--fault kind',
      ['emulator', '--fault', 'teapot'],
      /^error: --fault kind must be one of 202, 400, .*, got "teapot"$/,
    ],
    [
      '--fault route',
      ['emulator', '--fault', '503:nowhere'],
      /^error: --fault route must be .*; got "nowhere"$/,
    ],
    [
      '--fault count',
      ['emulator', '--fault', '503:*:0'],
      /^error: --fault count must be a positive integer; got 0$/,
    ],
    [
      '--key permission',
      ['emulator', '--key', 'some-key:events.nope'],
      /^error: --key permission must be one of .*, got "events\.nope"$/,
    ],
    [
      '--anchor',
      ['emulator', '--anchor', 'soon'],
      /^error: --anchor must be an ISO date YYYY-MM-DD; got "soon"$/,
    ],
    [
      '--provisional days',
      ['emulator', '--provisional', '500:0.5'],
      /^error: --provisional DAYS must be an integer from 0 to 100; got 500$/,
    ],
    [
      '--provisional factor',
      ['emulator', '--provisional', '3:0'],
      /^error: --provisional FACTOR must be > 0; got 0$/,
    ],
    [
      '--provisional syntax',
      ['emulator', '--provisional', 'abc'],
      /^error: --provisional must be DAYS:FACTOR, got "abc"$/,
    ],
    [
      '--provisional empty DAYS',
      ['emulator', '--provisional', ':2'],
      /^error: --provisional must be DAYS:FACTOR, got ":2"$/,
    ],
    [
      '--provisional FACTOR not a number',
      ['emulator', '--provisional', '3:x'],
      /^error: --provisional must be DAYS:FACTOR, got "3:x"$/,
    ],
    [
      '--provisional empty FACTOR',
      ['emulator', '--provisional', '3:'],
      /^error: --provisional must be DAYS:FACTOR, got "3:"$/,
    ],
  ];
  for (const [name, args, re] of cases) {
    test(name, async () => {
      const r = await runCli(args, { env, timeoutMs: 30_000 });
      assertOneErrorLine(r, 2, re);
      assert.equal(r.stdout, '', 'the emulator never started listening');
    });
  }

  test('--data: a missing file or invalid JSON names the flag and the file', async () => {
    const missing = join(dir, 'missing.json');
    const r1 = await runCli(['emulator', '--data', missing], { env, timeoutMs: 30_000 });
    assertOneErrorLine(
      r1,
      2,
      /^error: --data ".*missing\.json": cannot be read: ENOENT: no such file or directory$/,
    );
    assert.equal(r1.stdout, '');
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"events": [');
    const r2 = await runCli(['emulator', '--data', broken], { env, timeoutMs: 30_000 });
    assertOneErrorLine(r2, 2, /^error: --data ".*broken\.json": not valid JSON: /);
    assert.equal(r2.stdout, '');
  });

  test('--data: a bad data set names the flag and the offending value', async () => {
    const file = join(dir, 'duplicate.json');
    await writeFile(file, JSON.stringify({ events: [{ name: 'Twice' }, { name: 'Twice' }] }));
    const r = await runCli(['emulator', '--data', file], { env, timeoutMs: 30_000 });
    assertOneErrorLine(r, 2, /^error: --data events: duplicate name "Twice"$/);
    assert.equal(r.stdout, '');
  });
});

describe('missing configuration', () => {
  test('nothing configured: exit 2 with exactly what to set', async () => {
    const none = cleanEnv();
    const r = await runCli(['list'], { env: none });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'error: no Braze API key configured: set BRAZE_API_KEY and BRAZE_REST_ENDPOINT (e.g. US-03), ' +
        `or pass --api-key-file FILE --endpoint US-03, or add a profile to ${none.BRAZE_EVENTS_CONFIG} and pass --profile NAME\n`,
    );
    assert.equal(r.stdout, '');
  });

  test('a key but no endpoint', async () => {
    const r = await runCli(['list'], { env: cleanEnv({ BRAZE_API_KEY: TEST_KEY }) });
    assertOneErrorLine(
      r,
      2,
      /^error: no Braze endpoint configured: set BRAZE_REST_ENDPOINT or pass --endpoint/,
    );
  });

  test('profiles: --profile reads the key file; workspace file path in errors', async () => {
    const keyFile = join(dir, 'prod.key');
    await writeFile(keyFile, `${TEST_KEY}\n`);
    const config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ profiles: { prod: { endpoint: emulator.url, apiKeyFile: keyFile } } }),
    );
    const penv = cleanEnv({ BRAZE_EVENTS_CONFIG: config });
    const r = await runCli(['--profile', 'prod', 'list'], { env: penv });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean), emulator.eventNames());
    const f = await runCli(['list', '--api-key-file', keyFile, '--endpoint', emulator.url], {
      env: cleanEnv(),
    });
    assert.equal(f.code, 0, f.stderr);
    const bad = await runCli(['list', '-p', 'staging'], { env: penv });
    assertOneErrorLine(bad, 2, /no profile "staging" in .*config\.json \(profiles: prod\)/);
    await rm(config);
    await rm(keyFile);
  });
});
