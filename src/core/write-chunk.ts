/**
 * The one backpressure write: the export's sink (src/export/export-events.ts) and every
 * CLI write to stdout (src/cli/output.ts) go through it.
 */
import type { Writable } from 'node:stream';

/**
 * Writes a chunk and resolves once the stream has taken it: at once when its buffer has
 * room (after the write's callback), else on `drain`, so a large export to a slow pipe keeps
 * constant memory. Rejects with the write's or the stream's error, or with an Error when the
 * stream closes (destroyed without an error) before taking the chunk. An empty chunk is not
 * written.
 *
 * A failed write is followed by the stream's 'error' event (Node emits it after the write's
 * callback); a once('error') listener stays attached to take it, so a stream with no other
 * 'error' listener does not crash the process with an uncaught exception.
 *
 * @example
 * await writeChunk(process.stdout, 'a,b\n');
 */
export function writeChunk(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (chunk.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      if (error) {
        // The once('error') listener stays: it takes the 'error' Node emits after a failed
        // write's callback (or has already fired and removed itself).
        reject(error);
      } else {
        stream.off('error', onError);
        resolve();
      }
    };
    const onDrain = () => finish();
    const onError = (error: Error) => finish(error);
    const onClose = () => finish(new Error('the stream closed before the write finished'));
    stream.once('error', onError);
    stream.on('close', onClose);
    const ok = stream.write(chunk, (error) => {
      if (error) finish(error);
      else if (ok) finish();
    });
    if (!ok) stream.on('drain', onDrain);
  });
}
