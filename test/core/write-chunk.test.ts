import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { writeChunk } from '../../src/core/write-chunk.js';

/** A writable with a 4-byte buffer whose writes finish only when the test says. */
function slowSink() {
  const written: string[] = [];
  const pending: Array<(error?: Error) => void> = [];
  const stream = new Writable({
    highWaterMark: 4,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      written.push(chunk);
      pending.push(callback);
    },
  });
  return { stream, written, finishOne: (error?: Error) => pending.shift()?.(error) };
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((res) => setImmediate(res));
  return done;
};

describe('writeChunk', () => {
  test('a full buffer: resolves on drain, not before, and leaves no listener behind', async () => {
    const sink = slowSink();
    const write = writeChunk(sink.stream, 'abcdefgh');
    assert.equal(await settled(write), false);
    assert.equal(sink.stream.listenerCount('drain'), 1);
    sink.finishOne();
    await write;
    assert.deepEqual(sink.written, ['abcdefgh']);
    assert.equal(sink.stream.listenerCount('drain'), 0);
    assert.equal(sink.stream.listenerCount('error'), 0);
  });

  test('room in the buffer: resolves once the write is done', async () => {
    const sink = slowSink();
    const write = writeChunk(sink.stream, 'ab');
    assert.equal(await settled(write), false);
    sink.finishOne();
    await write;
    assert.equal(sink.stream.listenerCount('drain'), 0);
  });

  test("the write's error rejects, listeners removed; an empty chunk writes nothing", async () => {
    const sink = slowSink();
    sink.stream.on('error', () => {});
    const write = writeChunk(sink.stream, 'abcdefgh');
    sink.finishOne(new Error('disk full'));
    await assert.rejects(write, /disk full/);
    assert.equal(sink.stream.listenerCount('drain'), 0);
    const other = slowSink();
    await writeChunk(other.stream, '');
    assert.deepEqual(other.written, []);
  });
});
