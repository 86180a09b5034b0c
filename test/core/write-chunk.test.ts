import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

const run = promisify(execFile);
const writeChunkPath = fileURLToPath(new URL('../../src/core/write-chunk.ts', import.meta.url));

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

  test("the write's error rejects, 'drain' and 'close' listeners removed; an empty chunk writes nothing", async () => {
    const sink = slowSink();
    const write = writeChunk(sink.stream, 'abcdefgh');
    sink.finishOne(new Error('disk full'));
    await assert.rejects(write, /disk full/);
    assert.equal(sink.stream.listenerCount('drain'), 0);
    assert.equal(sink.stream.listenerCount('close'), 0);
    const other = slowSink();
    await writeChunk(other.stream, '');
    assert.deepEqual(other.written, []);
  });

  // The stream emits 'error' after the write's callback; with nobody listening Node throws it
  // as an uncaught exception, so this runs in its own process and checks how that process ends.
  for (const [path, highWaterMark] of [
    ['full buffer', 4],
    ['room in the buffer', 1024],
  ] as const) {
    test(`a failed write (${path}) rejects and raises no uncaught exception, with no other 'error' listener`, async () => {
      const script = `
        import { Writable } from 'node:stream';
        const { writeChunk } = await import(${JSON.stringify(writeChunkPath)});
        const stream = new Writable({
          highWaterMark: ${highWaterMark},
          write(_chunk, _encoding, callback) {
            setImmediate(() => callback(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' })));
          },
        });
        await writeChunk(stream, 'abcdefgh').then(() => console.log('resolved'), (error) => console.log('rejected', error.code));
        await new Promise((resolve) => setTimeout(resolve, 50));
        console.log('exited normally');
      `;
      const { stdout } = await run(process.execPath, [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        script,
      ]);
      assert.equal(stdout, 'rejected ENOSPC\nexited normally\n');
    });
  }

  test('a stream destroyed without an error while a write waits: rejects instead of hanging', async () => {
    const sink = slowSink();
    const write = writeChunk(sink.stream, 'abcdefgh');
    sink.stream.destroy();
    await assert.rejects(write, /closed/);
    assert.equal(sink.stream.listenerCount('drain'), 0);
  });
});
