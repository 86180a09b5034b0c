/**
 * Runs an async function over items with at most `concurrency` calls in flight, yielding
 * results in input order. Head-of-line blocking is the price of deterministic output; the
 * buffer never holds more than `concurrency` results, so memory stays bounded.
 */

/**
 * @example
 * for await (const r of mapOrdered(names, 4, (n) => fetchOne(n))) write(r);
 */
export async function* mapOrdered<T, R>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T, signal: AbortSignal) => Promise<R>,
  signal?: AbortSignal,
): AsyncGenerator<R> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const iterator = items[Symbol.iterator]();
  const inFlight: Promise<R>[] = [];
  const fill = () => {
    while (inFlight.length < concurrency && !controller.signal.aborted) {
      const next = iterator.next();
      if (next.done) return;
      const p = fn(next.value, controller.signal);
      // Rejections are observed when the result reaches the head; avoid an unhandled one
      // for results that never get there because an earlier one failed.
      p.catch(() => {});
      inFlight.push(p);
    }
  };
  try {
    fill();
    while (inFlight.length > 0) {
      const result = await inFlight.shift()!;
      fill();
      yield result;
    }
  } finally {
    // Early exit (break, error, abort): cancel whatever is still running.
    if (inFlight.length > 0) controller.abort(new Error('export stopped'));
    signal?.removeEventListener('abort', onAbort);
  }
}
