/**
 * The virtual clock of the test suite: one clock for everything that takes `now` and
 * `sleep` (the client, the pacer, the webhook sender, the database reconnect loop, the
 * emulator's `now`, the sync's `now`). A wait advances it by exactly what was asked and
 * is recorded; no real time passes, so backoff and rate-limit waits are exact and instant
 * (ky `test/retry.ts` records its sleeps the same way).
 */
import { NOW } from './now.js';

export interface VirtualClock {
  /** The virtual time, epoch ms. Pass as `now` wherever a clock is injected. */
  now(): number;
  /**
   * Advances the clock by `ms` and records it. Rejects with the signal's reason when it is
   * aborted. Yields to the event loop once, so a loop of virtual waits never starves real
   * I/O (a socket answer, a timeout timer).
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Every wait asked for, in order, ms. */
  readonly sleeps: number[];
  /** The sum of all waits, ms. */
  slept(): number;
  /** Moves the clock by `ms` without a recorded wait: time passing outside the code under test. */
  advance(ms: number): void;
  /** Sets the clock to `t` (epoch ms), e.g. to step across an hour boundary. */
  set(t: number): void;
}

/**
 * A virtual clock starting at `start` (default the suite's fixed `NOW`).
 *
 * @example
 * const clock = createVirtualClock();
 * const client = createBrazeClient({ apiKey, endpoint, now: clock.now, sleep: clock.sleep });
 * // … after a retried 503:
 * assert.deepEqual(clock.sleeps, [1000]);
 */
export function createVirtualClock(start: number = NOW): VirtualClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      t += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    sleeps,
    slept: () => sleeps.reduce((a, b) => a + b, 0),
    advance: (ms) => {
      t += ms;
    },
    set: (next) => {
      t = next;
    },
  };
}

/** A clock that stays at `at` (default `NOW`): the emulator's and the sync's `now` in most tests. */
export function fixedClock(at: number = NOW): () => number {
  return () => at;
}

/**
 * A clock that reads `start` (default `NOW`) when created and runs on at real speed: for
 * an emulator shared with CLI processes (`runCli({ now })`), whose clocks start at this
 * clock's reading and run at the same speed, so the emulator never sees a request from
 * its future. A test file runs for minutes, so "today" stays NOW's day.
 */
export function runningClock(start: number = NOW): () => number {
  const createdAt = performance.now();
  return () => start + Math.round(performance.now() - createdAt);
}
