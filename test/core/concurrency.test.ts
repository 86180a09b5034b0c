import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mapOrdered, runLimited, Semaphore } from '../../src/core/concurrency.js';

/** A task whose completion the test controls. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('mapOrdered', () => {
  test('yields in input order even when later items finish first', async () => {
    const gates = [0, 1, 2, 3, 4].map(() => deferred<number>());
    const it = mapOrdered([0, 1, 2, 3, 4], 3, (i) => gates[i]!.promise);
    const results: number[] = [];
    const done = (async () => {
      for await (const r of it) results.push(r);
    })();
    gates[2]!.resolve(2);
    gates[1]!.resolve(1);
    gates[0]!.resolve(0);
    gates[4]!.resolve(4);
    gates[3]!.resolve(3);
    await done;
    assert.deepEqual(results, [0, 1, 2, 3, 4]);
  });

  test('never runs more than `concurrency` calls at once', async () => {
    let running = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const r of mapOrdered([...Array(20).keys()], 4, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((res) => setImmediate(res));
      running--;
      return i * 2;
    })) {
      out.push(r);
    }
    assert.equal(peak, 4);
    assert.deepEqual(
      out,
      [...Array(20).keys()].map((i) => i * 2),
    );
  });

  test('an error surfaces at its position and aborts the calls in flight', async () => {
    const signals: AbortSignal[] = [];
    const it = mapOrdered([0, 1, 2, 3], 3, async (i, signal) => {
      signals.push(signal);
      if (i === 1) throw new Error('boom');
      await new Promise((res) => setImmediate(res));
      return i;
    });
    const seen: number[] = [];
    await assert.rejects(async () => {
      for await (const r of it) seen.push(r);
    }, /boom/);
    assert.deepEqual(seen, [0]);
    assert.ok(signals.every((s) => s.aborted));
  });

  test('break stops starting new calls', async () => {
    const started: number[] = [];
    for await (const r of mapOrdered([...Array(100).keys()], 2, async (i) => {
      started.push(i);
      return i;
    })) {
      if (r === 3) break;
    }
    assert.ok(started.length <= 6, `started ${started.length}`);
  });
});

describe('mapOrdered, bounded memory', () => {
  test('a slow head holds its slot: later results wait, no more than `concurrency` started', async () => {
    const gates = [...Array(10).keys()].map(() => deferred<number>());
    const started: number[] = [];
    const it = mapOrdered([...Array(10).keys()], 3, (i) => {
      started.push(i);
      return gates[i]!.promise;
    });
    const first = it.next();
    // Everything but the head finishes; the head's slot is not free until it is yielded.
    for (let i = 1; i < 10; i++) gates[i]!.resolve(i);
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(started, [0, 1, 2]);
    gates[0]!.resolve(0);
    assert.deepEqual(await first, { value: 0, done: false });
    assert.deepEqual(started, [0, 1, 2, 3]);
    const rest: number[] = [];
    for await (const r of { [Symbol.asyncIterator]: () => it }) rest.push(r);
    assert.deepEqual(rest, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test("the caller's abort cancels the calls in flight and surfaces its reason", async () => {
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const it = mapOrdered(
      [0, 1, 2],
      3,
      (_i, signal) => {
        signals.push(signal);
        return new Promise<number>((_res, rej) =>
          signal.addEventListener('abort', () => rej(signal.reason), { once: true }),
        );
      },
      controller.signal,
    );
    const pending = it.next();
    await new Promise((res) => setImmediate(res));
    controller.abort(new Error('stop now'));
    await assert.rejects(pending, /stop now/);
    assert.equal(signals.length, 3);
    assert.ok(signals.every((s) => s.aborted));
  });

  test('an abort after the first result throws its reason, even when the calls ignore their signal', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = async () => {
      for await (const n of mapOrdered([1, 2, 3, 4, 5, 6], 2, async (i) => i, controller.signal)) {
        seen.push(n);
        if (n === 1) controller.abort(new Error('interrupted'));
      }
    };
    await assert.rejects(run(), /interrupted/);
    // Results already computed when the abort came are not passed on as if the run had ended.
    assert.deepEqual(seen, [1]);
  });

  test('an abort while the last result is consumed still throws: the run did not finish', async () => {
    const controller = new AbortController();
    const run = async () => {
      for await (const n of mapOrdered([1], 1, async (i) => i, controller.signal)) {
        if (n === 1) controller.abort(new Error('interrupted'));
      }
    };
    await assert.rejects(run(), /interrupted/);
  });

  test('an already aborted signal starts nothing', async () => {
    let calls = 0;
    const it = mapOrdered(
      [1, 2],
      2,
      async (i) => {
        calls++;
        return i;
      },
      AbortSignal.abort(new Error('gone')),
    );
    await assert.rejects(it.next(), /gone/);
    assert.equal(calls, 0);
  });
});

describe('runLimited', () => {
  test('at most `concurrency` at once, and a free slot is reused at once (no head-of-line wait)', async () => {
    const gates = [...Array(6).keys()].map(() => deferred<void>());
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const done = runLimited([...Array(6).keys()], 2, async (i) => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await gates[i]!.promise;
      running--;
    });
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(started, [0, 1]);
    // Item 1 ends while item 0 still runs: item 2 starts in its slot.
    gates[1]!.resolve();
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(started, [0, 1, 2]);
    for (const g of gates) g.resolve();
    await done;
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
    assert.equal(peak, 2);
  });

  test('stop() ends new starts; running items finish', async () => {
    const gates = [...Array(10).keys()].map(() => deferred<void>());
    const started: number[] = [];
    const finished: number[] = [];
    let stopped = false;
    const done = runLimited(
      [...Array(10).keys()],
      3,
      async (i) => {
        started.push(i);
        await gates[i]!.promise;
        finished.push(i);
      },
      () => stopped,
    );
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(started, [0, 1, 2]);
    stopped = true;
    gates[1]!.resolve();
    await new Promise((res) => setImmediate(res));
    assert.deepEqual(finished, [1]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    await done;
    assert.deepEqual(started, [0, 1, 2]);
    assert.deepEqual(finished, [1, 0, 2]);
  });

  test('a worker that throws stops new starts and its error is rethrown after the others end', async () => {
    const finished: number[] = [];
    await assert.rejects(
      runLimited([...Array(10).keys()], 2, async (i) => {
        await new Promise((res) => setImmediate(res));
        if (i === 0) throw new Error('boom');
        finished.push(i);
      }),
      /boom/,
    );
    assert.deepEqual(finished, [1]);
  });
});

describe('Semaphore', () => {
  test('FIFO waits, tryAcquire never jumps the queue, release is idempotent', async () => {
    const semaphore = new Semaphore(1);
    const first = semaphore.tryAcquire()!;
    const order: string[] = [];
    const a = semaphore.acquire().then((r) => {
      order.push('a');
      return r;
    });
    const b = semaphore.acquire().then((r) => {
      order.push('b');
      return r;
    });
    assert.equal(semaphore.tryAcquire(), undefined);
    first();
    first();
    const releaseA = await a;
    assert.equal(semaphore.held, 1);
    releaseA();
    (await b)();
    assert.deepEqual(order, ['a', 'b']);
    assert.equal(semaphore.held, 0);
  });

  test('an aborted wait rejects with the reason and gives up its place', async () => {
    const semaphore = new Semaphore(1);
    const release = semaphore.tryAcquire()!;
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('no longer'));
    await assert.rejects(waiting, /no longer/);
    release();
    assert.equal(semaphore.held, 0);
    assert.ok(semaphore.tryAcquire());
  });
});

describe('concurrency itself', () => {
  // Math.max(1, NaN) is NaN, and a NaN limit never says "full": a bad value would run
  // everything at once instead of failing.
  for (const bad of [Number.NaN, 0, -1, 1.5, Number.POSITIVE_INFINITY]) {
    test(`${bad} is refused by both runners before anything starts`, async () => {
      let calls = 0;
      const isOptionError = (e: unknown) =>
        e instanceof RangeError && (e as { option?: string }).option === 'concurrency';
      await assert.rejects(
        runLimited([1, 2, 3], bad, async () => void calls++),
        isOptionError,
      );
      await assert.rejects(
        mapOrdered([1, 2, 3], bad, async (n) => {
          calls++;
          return n;
        }).next(),
        isOptionError,
      );
      assert.equal(calls, 0);
    });
  }
});
