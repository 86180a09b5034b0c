/**
 * A counting semaphore with FIFO order and abortable waits: how `maxConcurrency` is kept.
 */
import { whenAborted } from './abort.js';

/** A slot holder; call `release` exactly once. */
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
