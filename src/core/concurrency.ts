/**
 * Bounded concurrency, one primitive: a counting {@link Semaphore} with FIFO order and
 * abortable waits. It keeps the client's `maxConcurrency` (src/core/transport.ts), and the
 * two ways the layers above run many tasks are built on it here: {@link runLimited} (the
 * sync's series, in any order, stopping on demand) and {@link mapOrdered} (the export's
 * events, results in input order with bounded memory). The SQLite mutex
 * (src/sync/db/sqlite.ts) is a lock, not a limit, and stays its own.
 */
import { BrazeOptionRangeError } from '../api/option-errors.js';
import { whenAborted } from './abort.js';

/** A slot holder; call `release` exactly once (later calls do nothing). */
export type Release = () => void;

/**
 * Limits concurrent holders to `size`.
 *
 * @example
 * ```ts
 * const semaphore = new Semaphore(4);
 * const release = await semaphore.acquire(signal);
 * try { await work(); } finally { release(); }
 * ```
 */
export class Semaphore {
  readonly #size: number;
  #held = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#size = size;
  }

  /** Holders right now. */
  get held(): number {
    return this.#held;
  }

  /** A slot at once when one is free and nobody waits, otherwise `undefined`. */
  tryAcquire(): Release | undefined {
    if (this.#held >= this.#size || this.#waiting.length > 0) return undefined;
    this.#held++;
    return this.#releaser();
  }

  /** A slot, waiting in FIFO order; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    if (this.#held < this.#size) {
      this.#held++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const grant = () => {
        stopWatching();
        this.#held++;
        resolve(this.#releaser());
      };
      this.#waiting.push(grant);
      const stopWatching = whenAborted(signal, () => {
        const index = this.#waiting.indexOf(grant);
        if (index !== -1) this.#waiting.splice(index, 1);
        reject(signal?.reason);
      });
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held--;
      this.#waiting.shift()?.();
    };
  }
}

/**
 * The callers validate their own `concurrency` option with its bounds; this is the
 * runners' backstop, because a NaN limit never fills (`held >= NaN` is false) and would run
 * everything at once.
 */
function checkConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new BrazeOptionRangeError(
      'concurrency',
      concurrency,
      `concurrency must be an integer >= 1, got ${concurrency}`,
    );
  }
}

/**
 * Runs `worker` over `items`, in order of start, with at most `concurrency` in flight;
 * a slot is freed as soon as its item is done, so one slow item never holds up the others.
 * Before starting each item it asks `stop()` (an abort, a fatal error): once that says
 * yes, nothing new starts and the items already running finish. A worker that throws also
 * stops new starts; the first such error is rethrown once the running ones have finished.
 * A `concurrency` that is not an integer >= 1 throws BrazeOptionRangeError (option
 * `concurrency`) before anything starts.
 *
 * @example
 * await runLimited(plans, 4, (plan) => runSeries(plan), () => signal.aborted);
 */
export async function runLimited<T>(
  items: Iterable<T>,
  concurrency: number,
  worker: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  checkConcurrency(concurrency);
  const slots = new Semaphore(concurrency);
  const running = new Set<Promise<void>>();
  let failed = false;
  let failure: unknown;
  for (const item of items) {
    const release = slots.tryAcquire() ?? (await slots.acquire());
    if (failed || stop()) {
      release();
      break;
    }
    const task: Promise<void> = worker(item)
      .catch((error: unknown) => {
        if (!failed) failure = error;
        failed = true;
      })
      .finally(() => {
        running.delete(task);
        release();
      });
    running.add(task);
  }
  await Promise.all(running);
  if (failed) throw failure;
}

/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight, yielding results in
 * input order. Head-of-line blocking is the price of deterministic output: a slot is freed
 * when its result is yielded, not when its call ends, so the buffer never holds more than
 * `concurrency` results and memory stays bounded however slow the head is.
 *
 * Each call gets a signal that aborts when the caller's `signal` does or when the consumer
 * stops early (`break`, an error): whatever is still running is cancelled. A call's error
 * surfaces at its position; a `signal` aborted at any point before the last result has been
 * consumed throws its reason (even when the calls ignore their signal and resolve), so an
 * aborted run never ends like a finished one. A `concurrency` that is not an integer >= 1
 * throws BrazeOptionRangeError (option `concurrency`) before any call.
 *
 * @example
 * for await (const r of mapOrdered(names, 4, (n, signal) => fetchOne(n, signal))) write(r);
 */
export async function* mapOrdered<T, R>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): AsyncGenerator<R> {
  checkConcurrency(concurrency);
  signal?.throwIfAborted();
  const controller = new AbortController();
  // One callback for the whole run, not one per call (abort.ts says why).
  const stopWatching = whenAborted(signal, () => controller.abort(signal?.reason));
  const slots = new Semaphore(concurrency);
  const iterator = items[Symbol.iterator]();
  const inFlight: Array<{ result: Promise<R>; release: Release }> = [];
  const fill = () => {
    while (!controller.signal.aborted) {
      const release = slots.tryAcquire();
      if (release === undefined) return;
      const next = iterator.next();
      if (next.done) {
        release();
        return;
      }
      const result = fn(next.value, controller.signal);
      // Rejections are observed when the result reaches the head; avoid an unhandled one
      // for results that never get there because an earlier one failed.
      result.catch(() => {});
      inFlight.push({ result, release });
    }
  };
  try {
    fill();
    while (inFlight.length > 0) {
      const head = inFlight.shift()!;
      const result = await head.result;
      // A call that ignores its signal still resolves; an aborted run must not look like a
      // finished one (the export would write its footer and commit the file).
      if (signal?.aborted) throw signal.reason;
      head.release();
      fill();
      yield result;
    }
    if (signal?.aborted) throw signal.reason;
  } finally {
    // Early exit (break, error, abort): cancel whatever is still running.
    if (inFlight.length > 0) controller.abort(new Error('stopped before every result was used'));
    stopWatching();
  }
}
