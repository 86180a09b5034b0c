/**
 * Abort callbacks for short-lived work (one attempt, one wait) under a caller's signal that
 * may outlive thousands of them, such as an export's or a sync's.
 *
 * Why not `addEventListener` per attempt: Node's EventTarget keeps a signal's listeners in
 * a linked list, and a removed node keeps its links. With a few requests in flight, each
 * finished request's listener still pointed at the next request's, so once one of them had
 * reached V8's old generation (garbage there waits for a full collection), it kept every
 * later request, response included, alive through the young-generation collections. A
 * 10,000-request export then carried about three times the surviving bytes, and V8 grew
 * its young generation, and so the process's memory, to match (bench/README.md). Here a
 * signal gets a single listener for all the work under it.
 */

interface Watch {
  /** An array, not a Set: see the note above `whenAborted`. */
  callbacks: Array<() => void>;
  listener: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

const noop = () => {};

/**
 * Calls `callback` once if `signal` aborts, until the returned function is called. Like an
 * `abort` listener, it never fires for a signal that had already aborted: check that first.
 * The callback must not throw. The signal's own listener is removed once no callback is
 * left, so a signal that never aborts keeps nothing of ours.
 *
 * The callbacks are a plain array with swap-remove (there are about as many as requests in
 * flight). A Set was tried and chained the same way as the listener list: a Set that
 * rehashes keeps a link from its old table, holding the old entries, to the new one.
 *
 * @example
 * const stop = whenAborted(signal, () => req.destroy());
 * try { await work(); } finally { stop(); }
 */
export function whenAborted(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (signal === undefined) return noop;
  let watch = watches.get(signal);
  if (watch === undefined) {
    const created: Watch = {
      callbacks: [],
      listener: () => {
        watches.delete(signal);
        // Emptied first: a callback may stop watching while this runs.
        for (const fn of created.callbacks.splice(0)) fn();
      },
    };
    watch = created;
    watches.set(signal, watch);
    signal.addEventListener('abort', watch.listener, { once: true });
  }
  const current = watch;
  current.callbacks.push(callback);
  return () => {
    const { callbacks } = current;
    const index = callbacks.indexOf(callback);
    if (index === -1) return;
    callbacks[index] = callbacks[callbacks.length - 1]!;
    callbacks.pop();
    if (callbacks.length === 0 && watches.get(signal) === current) {
      watches.delete(signal);
      signal.removeEventListener('abort', current.listener);
    }
  };
}
