/**
 * whenAborted: abort callbacks for many short-lived waits under one long-lived signal, with
 * a single listener on the signal (why: src/core/abort.ts).
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, test } from 'node:test';
import { whenAborted } from '../../src/core/abort.js';

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('whenAborted', () => {
  test('many watchers share one listener; it is removed when the last one stops', () => {
    const controller = new AbortController();
    const stops = Array.from({ length: 5 }, () => whenAborted(controller.signal, () => {}));
    assert.equal(listeners(controller.signal), 1);
    for (const stop of stops.slice(0, 4)) stop();
    assert.equal(listeners(controller.signal), 1);
    stops[4]!();
    assert.equal(listeners(controller.signal), 0);
    // Stopping twice is harmless, and watching again adds the listener back.
    stops[4]!();
    const again = whenAborted(controller.signal, () => {});
    assert.equal(listeners(controller.signal), 1);
    again();
    assert.equal(listeners(controller.signal), 0);
  });

  test('an abort calls each watching callback once, and none that stopped', () => {
    const controller = new AbortController();
    const calls: string[] = [];
    const stopA = whenAborted(controller.signal, () => calls.push('a'));
    whenAborted(controller.signal, () => calls.push('b'));
    // A callback that stops watching while the abort runs, as an attempt's cleanup does.
    const stopC = whenAborted(controller.signal, () => {
      calls.push('c');
      stopC();
    });
    stopA();
    controller.abort(new Error('stop'));
    controller.abort(new Error('again'));
    assert.deepEqual(calls.sort(), ['b', 'c']);
    assert.equal(listeners(controller.signal), 0);
  });

  test('signals are independent, and no signal means nothing to watch', () => {
    const one = new AbortController();
    const two = new AbortController();
    const calls: string[] = [];
    whenAborted(one.signal, () => calls.push('one'));
    const stopTwo = whenAborted(two.signal, () => calls.push('two'));
    one.abort();
    assert.deepEqual(calls, ['one']);
    assert.equal(listeners(two.signal), 1);
    stopTwo();
    assert.equal(listeners(two.signal), 0);
    const stop = whenAborted(undefined, () => calls.push('none'));
    stop();
    assert.deepEqual(calls, ['one']);
  });
});
