/**
 * Stopping a long command (export, sync) on SIGINT or SIGTERM: the first signal aborts its
 * work so it can finish or undo the write in flight, and remembers which signal it was, so
 * the command exits with that signal's code (`SIGNAL_EXIT_CODES`: 130 or 143) whatever it
 * was doing. A second signal is not caught: Node's default ends the process at once.
 */
import { InterruptedError, type StopSignal } from './errors.js';

/** A command's interruption: an abort signal and the signal that caused it. */
export interface Interruption {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** The signal received, `undefined` while none was. */
  received(): StopSignal | undefined;
  /** The command's error for the received signal (exit 130 or 143). */
  error(message: string): InterruptedError;
  /** Stops listening (call when the command ends). */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM until `dispose()`.
 *
 * @example
 * const stop = listenForInterrupt(() => log.warn('interrupted: finishing the current writes'));
 * try { await work(stop.signal); } catch (e) { throw stop.received() ? stop.error('export interrupted') : e; }
 * finally { stop.dispose(); }
 */
export function listenForInterrupt(onFirst?: (signal: StopSignal) => void): Interruption {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  const handlers = {
    SIGINT: () => stop('SIGINT'),
    SIGTERM: () => stop('SIGTERM'),
  };
  const dispose = () => {
    process.removeListener('SIGINT', handlers.SIGINT);
    process.removeListener('SIGTERM', handlers.SIGTERM);
  };
  function stop(signal: StopSignal) {
    received = signal;
    // The next signal ends the process (Node's default) for someone who will not wait.
    dispose();
    onFirst?.(signal);
    controller.abort(new Error(`interrupted by ${signal}`));
  }
  process.once('SIGINT', handlers.SIGINT);
  process.once('SIGTERM', handlers.SIGTERM);
  return {
    signal: controller.signal,
    received: () => received,
    error: (message) => new InterruptedError(message, received),
    dispose,
  };
}
