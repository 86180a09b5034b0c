/**
 * Abortable waiting. The client never calls `setTimeout` elsewhere, so tests can inject a
 * `sleep` that records the waits and advances a fake clock instead of waiting.
 */
import { whenAborted } from './abort.js';

/** Waits `ms` milliseconds, or rejects with the signal's reason when it aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Current time in epoch milliseconds. */
export type Now = () => number;

/**
 * The default `sleep`: a timer that an `AbortSignal` cancels.
 *
 * @example `await defaultSleep(500, controller.signal)`
 */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(
      () => {
        stopWatching();
        resolve();
      },
      Math.max(0, ms),
    );
    const stopWatching = whenAborted(signal, () => {
      clearTimeout(timer);
      reject(signal?.reason);
    });
  });

/** Throws the signal's reason if it has aborted (a plain `AbortError` otherwise). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}
