/**
 * The CLI runner of the test suite: build `dist/` once when it is stale, run the CLI
 * (the built binary, or its TypeScript source through tsx) with arguments, environment,
 * standard input and optionally a fixed "now", and check that no output ever holds a test
 * key. Every test that spawns `braze-events` goes through here (neonctl
 * `src/test_utils/fixtures.ts` does the same for its CLI).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
/** The CLI's TypeScript entry, run through tsx (no build needed, slower to start). */
export const SOURCE_BIN = join(ROOT, 'src', 'cli', 'bin.ts');
const FIXED_NOW_PRELOAD = join(ROOT, 'test', 'helpers', 'fixed-now-preload.mjs');

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

/** How to run the CLI. */
export interface RunOptions {
  /** Environment of the child (default `cleanEnv()`: no Braze configuration). */
  env?: NodeJS.ProcessEnv;
  /** Working folder (default the repository root). */
  cwd?: string;
  /** Stops a run that hangs (SIGTERM, then SIGKILL 3 s later), so the test fails instead. */
  timeoutMs?: number;
  /** Written to standard input, then closed (default: no standard input). */
  input?: string;
  /**
   * The child's clock: it starts at this clock's reading (epoch ms) when spawned and runs on
   * at real speed. For outcomes that depend on the day or hour (partial buckets,
   * `--complete-only`, default ranges), so they do not flake around midnight; pass the
   * emulator's `runningClock()`. Default: the real clock.
   */
  now?: () => number;
  /** Run `src/cli/bin.ts` through tsx instead of the built `dist/cli/bin.js`. */
  source?: boolean;
}

/** The node arguments that start the CLI as `options` asks. */
function nodeArgs(args: readonly string[], options: RunOptions): string[] {
  const pre: string[] = [];
  if (options.now !== undefined) pre.push('--import', FIXED_NOW_PRELOAD);
  if (options.source) pre.push('--import', 'tsx', SOURCE_BIN);
  else pre.push(BIN);
  return [...pre, ...args];
}

function childEnv(options: RunOptions): NodeJS.ProcessEnv {
  const env = options.env ?? cleanEnv();
  return options.now === undefined ? env : { ...env, BRAZE_TEST_NOW: String(options.now()) };
}

/** A CLI process still running (`serve`, `emulator`, a sync to interrupt). */
export interface RunningCli {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once `stream` has shown text matching `pattern` (with all of it so far). */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string>;
  /** Resolves when the process has exited, with its whole output. */
  done: Promise<RunResult & { signal: NodeJS.Signals | null }>;
}

/**
 * Starts the CLI and returns at once; the caller stops it (`child.kill`) or waits for
 * `done`. Its output joins the leak check like every run's.
 *
 * @example
 * const serve = startCli(['serve', '--db', path, '--port', '0'], { env });
 * const url = (await serve.waitFor('stderr', /http:\/\/\S+/)).match(/http:\/\/\S+/)![0];
 */
export function startCli(args: readonly string[], options: RunOptions = {}): RunningCli {
  const child = spawn(process.execPath, nodeArgs(args, options), {
    env: childEnv(options),
    cwd: options.cwd ?? ROOT,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
    wake();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
    wake();
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
  const done = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr };
      allOutputs.push(result);
      wake();
      resolve({ ...result, signal });
    });
  });
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const text = stream === 'stdout' ? stdout : stderr;
        if (pattern.test(text)) resolve(text);
        else if (child.exitCode !== null || child.signalCode !== null)
          reject(new Error(`exited before ${pattern} on ${stream}: ${stderr}`));
        else waiters.push(check);
      };
      check();
    });
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, done };
}

/**
 * Runs the CLI to its end and collects its output.
 *
 * @example
 * const r = await runCli(['list'], { env: cleanEnv({ BRAZE_API_KEY: TEST_KEY, … }) });
 * const s = await runCli(['series', name, '--format', 'table'], { env, now: emulatorClock });
 */
export async function runCli(
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const { code, stdout, stderr } = await startCli(args, options).done;
  return { code, stdout, stderr };
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

/** Asserts a process wrote exactly one line on stderr matching `re`, and exited `code`. */
export function assertOneErrorLine(r: RunResult, code: number, re: RegExp): void {
  assert.equal(r.code, code, `exit ${r.code}, stderr: ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${r.stderr}`);
  assert.match(lines[0]!, re);
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
