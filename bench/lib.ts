/**
 * Small helpers shared by the benchmark modules: statistics, timing, child processes and
 * the emulator run in its own process (so client and server do not share one event loop).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** Root of the repository (bench/ is one level below). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One measured figure, as printed in the table and written to results.json. */
export interface Figure {
  /** What was measured, e.g. "client overhead (library ÷ bare fetch)". */
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≤ 1.10"; absent for informational figures. */
  target?: string;
  pass?: boolean;
  /** Side-by-side inputs of a ratio, and anything else worth keeping. */
  detail?: Record<string, unknown>;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rounds for display and JSON: 3 significant decimals for ratios, integers for big numbers. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Runs `fn` and returns its wall-clock duration in milliseconds. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Runs `tasks` with at most `concurrency` in flight. */
export async function pool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** An emulator running in a child process, driven over HTTP (its control API). */
export interface EmulatorProcess {
  url: string;
  /** GET/POST/DELETE on the control API under /_emulator/. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/** Options passed as JSON to `startEmulator` in the child (functions cannot cross). */
export type ChildEmulatorOptions = Record<string, unknown>;

/**
 * Starts `startEmulator(options)` from the built dist/ in a child process.
 *
 * @example
 * const emu = await startEmulatorProcess({ events: 100 });
 * await emu.close();
 */
export async function startEmulatorProcess(
  options: ChildEmulatorOptions = {},
): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./emulator-child.mjs', import.meta.url)), JSON.stringify(options)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await firstLine(child);
  return {
    url,
    async control<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${url}/_emulator/${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      const json = (await res.json()) as T;
      if (!res.ok)
        throw new Error(`control ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function firstLine(child: ChildProcess): Promise<string> {
  let buffer = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const nl = buffer.indexOf('\n');
      if (nl >= 0) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(buffer.slice(0, nl).trim());
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`emulator child exited (${code}) before listening`)),
    );
  });
}

/** Sleeps until `offsetMs` after the next multiple of `periodMs` (a window start); returns the time. */
export async function untilBoundary(periodMs: number, offsetMs = 0): Promise<number> {
  const t = Date.now();
  const next = Math.ceil((t + 1) / periodMs) * periodMs + offsetMs;
  await new Promise((r) => setTimeout(r, next - t));
  // The actual start (timers may fire a little late, or a millisecond early).
  return Date.now();
}
