import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mapOrdered } from '../../src/export/ordered-pool.js';

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
