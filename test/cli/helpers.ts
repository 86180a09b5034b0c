/**
 * Helpers for end-to-end CLI tests: build `dist/` once when it is stale, spawn the built
 * binary with a clean environment, and check that no output ever holds the test key.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'dist', 'cli', 'bin.js');

/** Recognisable keys: any output containing one is a leak. */
export const TEST_KEY = 'TESTKEY-4f1d9c-do-not-print';
export const LIST_ONLY_KEY = 'TESTKEY-listonly-b77e02';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function binMtime(): number {
  try {
    return statSync(BIN).mtimeMs;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds `dist/` when a source file is newer than the built binary. Test files run in
 * parallel, so a lock directory makes sure only one `tsc` runs; the others wait for it.
 * A failing build (someone else's file mid-edit) still emits JavaScript; the tests then
 * run against what was emitted.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), 'braze-events-build.lock');
  for (let i = 0; i < 600; i++) {
    if (binMtime() >= newestMtime(join(ROOT, 'src'))) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is building; a lock older than 3 minutes is stale.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true });
      } catch {}
      await sleep(250);
      continue;
    }
    try {
      await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: ROOT }).catch(
        (err: { stdout?: string }) => {
          process.stderr.write(`warning: build reported errors:\n${err.stdout ?? ''}\n`);
        },
      );
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  throw new Error('timed out waiting for the build lock');
}

/** An environment with no Braze configuration at all (and no CI/TTY styling). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = join(tmpdir(), 'braze-events-test-home-none');
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    BRAZE_EVENTS_CONFIG: join(home, 'no-such-config.json'),
    ...extra,
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every output of every run, checked for the keys at the end of each suite. */
export const allOutputs: RunResult[] = [];

/**
 * Runs the built binary and collects its output.
 *
 * @example
 * const r = await runCli(['list'], { env: cleanEnv({ BRAZE_API_KEY: TEST_KEY, … }) });
 */
export function runCli(
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: options.env ?? cleanEnv(),
      cwd: options.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A run that hangs (a product bug under test) is stopped, so the test fails instead of
    // the suite hanging: SIGTERM first (the CLI says what it was doing), then SIGKILL.
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }, options.timeoutMs);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = {
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      allOutputs.push(result);
      resolve(result);
    });
  });
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the built binary with stdout and stderr on a pseudo-terminal (util-linux `script`,
 * part of every Debian system). `stdout` is what the terminal showed (both streams, lines
 * ending in CRLF); `code` is the binary's exit code.
 *
 * @example
 * const r = await runCliOnTty(['check', '--db', path], cleanEnv({ TERM: 'xterm-256color' }));
 */
export function runCliOnTty(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  return new Promise((resolve) => {
    execFile(
      'script',
      ['-qefc', command, '/dev/null'],
      { env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        const result = { code, stdout: String(stdout), stderr: String(stderr) };
        allOutputs.push(result);
        resolve(result);
      },
    );
  });
}

/** Asserts that no collected output contains any of the keys. */
export function assertNoKeyLeaked(keys: readonly string[] = [TEST_KEY, LIST_ONLY_KEY]): void {
  for (const r of allOutputs) {
    for (const key of keys) {
      assert.ok(!r.stdout.includes(key), `key in stdout: ${r.stdout.slice(0, 300)}`);
      assert.ok(!r.stderr.includes(key), `key in stderr: ${r.stderr.slice(0, 300)}`);
    }
  }
}

/** Asserts a process wrote exactly one line on stderr matching `re`, and exited `code`. */
export function assertOneErrorLine(r: RunResult, code: number, re: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}, stderr: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0]!, re);
}

/**
 * The usual end-to-end suite around the built binary: the binary built, an emulator on
 * port 0 (the test key accepted), an environment pointing at it, a scratch folder; the
 * request log cleared before each test, and no output holding the key after the suite.
 *
 * @example
 * const suite = emulatorSuite({ events: 12 });
 * test('…', async () => { const r = await runCli(['list'], { env: suite.env() }); });
 */
export function emulatorSuite(options: Omit<EmulatorOptions, 'port'> = {}) {
  let emulator: Emulator | undefined;
  let env: NodeJS.ProcessEnv = {};
  let dir = '';
  before(async () => {
    await ensureBuilt();
    emulator = await startEmulator({ port: 0, keys: [{ key: TEST_KEY }], ...options });
    env = cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
    dir = mkdtempSync(join(tmpdir(), 'braze-events-e2e-'));
  });
  beforeEach(() => emulator?.clearRequests());
  after(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
    assertNoKeyLeaked();
  });
  return { emulator: (): Emulator => emulator!, env: () => env, dir: () => dir };
}
