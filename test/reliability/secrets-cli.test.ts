/**
 * Secrets, end to end: every CLI command and failure mode, spawned from the built binary
 * with a recognisable key (including when the emulator's 401 echoes the key back, and
 * under --debug), must never show the key in stdout or stderr, and must leave it in no
 * file: not the database (its bytes, WAL included), not the export, not any log or config
 * written under HOME or the working directory.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { ensureBuilt, runCli } from '../helpers/cli.js';

/** The canary: any byte sequence equal to it anywhere is a leak. */
const KEY = 'sk-SECRET-canary-5d1e7b93a0';
/** A key the emulator does not know: its 401 body echoes it back. */
const WRONG_KEY = 'sk-SECRET-canary-wrong-0c44f1';
const LIST_ONLY_KEY = 'sk-SECRET-canary-listonly-91aa';
/** A database password: shown nowhere either. */
const DB_PASSWORD = 'pw-SECRET-canary-3e8d';
const CANARIES = [KEY, WRONG_KEY, LIST_ONLY_KEY, DB_PASSWORD];

interface Run {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

let emulator: Emulator;
let dir: string;
let home: string;
let work: string;
const runs: Run[] = [];

before(async () => {
  await ensureBuilt();
  emulator = await startEmulator({
    seed: 9,
    events: 12,
    keys: [{ key: KEY }, { key: LIST_ONLY_KEY, permissions: ['events.list'] }],
  });
  dir = await mkdtemp(join(tmpdir(), 'braze-secrets-'));
  home = join(dir, 'home');
  work = join(dir, 'work');
  await mkdir(join(home, '.config', 'braze-events'), { recursive: true });
  await mkdir(work, { recursive: true });
  await writeFile(join(home, 'prod.key'), `${KEY}\n`, { mode: 0o600 });
  await writeFile(
    join(home, '.config', 'braze-events', 'config.json'),
    JSON.stringify({ profiles: { prod: { endpoint: emulator.url, apiKeyFile: '~/prod.key' } } }),
  );
});
after(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the built CLI in the temp working dir; stops it after `timeoutMs` (serve). */
async function cli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  const result = await runCli(args, {
    cwd: work,
    timeoutMs,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      CI: '1',
      NO_COLOR: '1',
      BRAZE_EVENTS_DB: join(work, 'events.db'),
      ...env,
    },
  });
  const run: Run = { args, ...result };
  runs.push(run);
  return run;
}

const withKey = (key = KEY) => ({ BRAZE_API_KEY: key, BRAZE_REST_ENDPOINT: emulator.url });

function assertClean(run: Run) {
  for (const canary of CANARIES) {
    assert.ok(!run.stdout.includes(canary), `key in stdout of ${run.args.join(' ')}`);
    assert.ok(
      !run.stderr.includes(canary),
      `key in stderr of ${run.args.join(' ')}:\n${run.stderr}`,
    );
  }
}

/** Every file under `root`, recursively. */
async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const p = join(root, entry.name);
    if (entry.isDirectory()) out.push(...(await files(p)));
    else out.push(p);
  }
  return out;
}

describe('every command with a working key', () => {
  const event = () => emulator.eventNames()[0]!;
  const commands = (): string[][] => [
    ['list'],
    ['list', '--json'],
    ['list', '--details'],
    ['list', '--debug'],
    ['series', event(), '--format', 'json'],
    ['series', event(), '--length', '7', '--debug'],
    ['series', event(), '--since', '2026-01-01', '--format', 'csv'],
    ['export', '--all', '--format', 'csv'],
    ['export', '--all', '--format', 'ndjson', '--out', join(work, 'out.ndjson')],
    ['export', '--match', '*', '--json', '--debug'],
    ['sync'],
    ['sync', '--debug'],
    ['status'],
    ['status', '--json'],
    ['check'],
    ['check', '--json'],
    ['demo'],
  ];

  test('exit as expected and print no key', async () => {
    for (const args of commands()) {
      const run = await cli(args, withKey());
      assertClean(run);
      // `check` exits 3 when it finds anomalies; everything else must succeed.
      const ok = args[0] === 'check' ? [0, 3] : [0];
      assert.ok(ok.includes(run.code ?? -1), `${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    }
  });

  test('the key from --api-key-file, a profile and --api-key never shows', async () => {
    const runsHere = [
      await cli(['list', '--api-key-file', join(home, 'prod.key'), '--endpoint', emulator.url]),
      await cli(['list', '--profile', 'prod', '--debug']),
      await cli(['series', event(), '--profile', 'prod']),
      await cli(['list', '--api-key', KEY, '--endpoint', emulator.url, '--debug']),
      await cli(['list', '--api-key', WRONG_KEY, '--endpoint', emulator.url, '--debug']),
    ];
    for (const run of runsHere) assertClean(run);
    assert.equal(runsHere[0]!.code, 0, runsHere[0]!.stderr);
    assert.equal(runsHere[1]!.code, 0, runsHere[1]!.stderr);
  });

  test('serve (reads the database only) prints no key', async () => {
    const run = await cli(['serve', '--port', '0'], withKey(), 3000);
    assertClean(run);
  });
});

describe('every failure mode', () => {
  test('401 (the emulator echoes the wrong key), with and without --debug', async () => {
    for (const args of [
      ['list'],
      ['list', '--debug'],
      ['series', 'Anything', '--debug'],
      ['export', '--all', '--debug'],
      ['sync', '--debug'],
      ['demo'],
    ]) {
      const run = await cli(args, withKey(WRONG_KEY));
      assertClean(run);
      if (args[0] === 'list') assert.equal(run.code, 1, run.stderr);
    }
  });

  test('403 (missing permission)', async () => {
    for (const args of [
      ['series', 'A', '--debug'],
      ['list', '--details'],
      ['sync', '--debug'],
    ]) {
      assertClean(await cli(args, withKey(LIST_ONLY_KEY)));
    }
  });

  test('429 past the retry cap, 5xx exhausted, resets and timeouts', async () => {
    const scenarios: Array<[string, string[]]> = [
      ['429', ['list', '--max-retries', '1', '--max-retry-wait', '0', '--debug']],
      ['503', ['list', '--max-retries', '1', '--debug']],
      ['502', ['series', 'A', '--max-retries', '0', '--debug']],
      ['reset', ['export', '--all', '--max-retries', '0', '--debug']],
      ['hang', ['list', '--max-retries', '0', '--timeout', '200', '--debug']],
      ['invalid-json', ['list', '--max-retries', '0', '--debug']],
    ];
    for (const [kind, args] of scenarios) {
      emulator.clearFaults();
      emulator.addFault({ kind: kind as never, route: '*' });
      try {
        const run = await cli(args, withKey());
        assertClean(run);
        assert.notEqual(run.code, 0, `${kind}: ${args.join(' ')} must fail`);
      } finally {
        emulator.clearFaults();
      }
    }
  });

  test('bad configuration and refused endpoints', async () => {
    const scenarios: Array<[string[], Record<string, string>]> = [
      [['list'], { BRAZE_API_KEY: KEY }],
      [['list'], { BRAZE_API_KEY: `"${KEY}"`, BRAZE_REST_ENDPOINT: emulator.url }],
      [['list'], { BRAZE_API_KEY: `${KEY} x`, BRAZE_REST_ENDPOINT: emulator.url }],
      [['list'], { BRAZE_API_KEY: KEY, BRAZE_REST_ENDPOINT: 'http://braze.example.com' }],
      [['list'], { BRAZE_API_KEY: KEY, BRAZE_REST_ENDPOINT: 'US-09' }],
      // The key pasted as the endpoint too (the CLI knows the key, so it can redact it).
      [['list'], { BRAZE_API_KEY: KEY, BRAZE_REST_ENDPOINT: KEY }],
      [
        ['list'],
        { BRAZE_API_KEY: KEY, BRAZE_REST_ENDPOINT: `https://${KEY}@rest.iad-01.braze.com` },
      ],
      [['list'], { BRAZE_API_KEY: KEY, BRAZE_REST_ENDPOINT: 'http://127.0.0.1:9' }],
      [['list', '--profile', 'nope'], { BRAZE_API_KEY: KEY }],
      [['series', '', '--debug'], withKey()],
      [['series', 'A', '--length', '0'], withKey()],
      [['export'], withKey()],
      [['sync', '--db', 'mysql://x'], withKey()],
      [['--no-such-flag', KEY], withKey()],
      ...['sync', 'status', 'check', 'serve'].map((command): [string[], Record<string, string>] => [
        [command, '--db', `postgres://braze:${DB_PASSWORD}@127.0.0.1:9/braze`, '--debug'],
        withKey(),
      ]),
    ];
    for (const [args, env] of scenarios) {
      const run = await cli(args, env);
      // The argv of the last scenario holds the key on purpose: only outputs are checked.
      if (!args.includes(KEY)) assertClean(run);
      else for (const c of [WRONG_KEY, LIST_ONLY_KEY]) assert.ok(!run.stderr.includes(c));
      assert.notEqual(run.code, 0, `${args.join(' ')} must fail`);
    }
  });
});

describe('plain http', () => {
  test('http:// to a non-loopback host: exit 2 before any request; --allow-insecure-http opts in', async () => {
    // A non-loopback address of this machine is not needed: the refusal happens before any
    // connection, and with the opt-in the request goes out (and fails on a closed port).
    const env = { BRAZE_API_KEY: KEY, BRAZE_REST_ENDPOINT: 'http://192.0.2.1:9' };
    const refused = await cli(['list'], env);
    assertClean(refused);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /--allow-insecure-http/);
    const allowed = await cli(
      ['list', '--allow-insecure-http', '--max-retries', '0', '--timeout', '300'],
      env,
    );
    assertClean(allowed);
    assert.equal(allowed.code, 1, `the request was attempted: ${allowed.stderr}`);
  });
});

describe('files left behind', () => {
  test('no file under HOME or the working directory holds the key (database bytes included)', async () => {
    const all = [...(await files(work)), ...(await files(home))].filter(
      (f) => !f.endsWith('prod.key'),
    );
    assert.ok(
      all.some((f) => f.endsWith('.db')),
      `a database was written (files: ${all.join(', ')})`,
    );
    for (const file of all) {
      const bytes = await readFile(file);
      for (const canary of CANARIES) {
        assert.equal(bytes.indexOf(canary), -1, `key found in ${file}`);
      }
    }
  });

  test('the emulator request log holds no key', () => {
    const log = JSON.stringify(emulator.requests());
    for (const canary of CANARIES) assert.ok(!log.includes(canary));
  });

  test('sanity: the canary is detectable (the 401 body really echoes it)', async () => {
    const res = await fetch(`${emulator.url}/events/list`, {
      headers: { authorization: `Bearer ${WRONG_KEY}` },
    });
    assert.equal(res.status, 401);
    assert.ok((await res.text()).includes(WRONG_KEY));
    assert.ok(runs.length >= 40, `${runs.length} CLI runs checked`);
  });
});
