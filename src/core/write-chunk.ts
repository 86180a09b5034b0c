/**
 * The one backpressure write: the export's sink (src/export/export-events.ts) and every
 * CLI write to stdout (src/cli/output.ts) go through it.
 */
import type { Writable } from 'node:stream';

/**
 * Writes a chunk and resolves once the stream has taken it: at once when its buffer has
 * room (after the write's callback), else on `drain`, so a large export to a slow pipe keeps
 * constant memory. Rejects with the write's or the stream's error. An empty chunk is not
 * written.
 *
 * @example
 * await writeChunk(process.stdout, 'a,b\n');
 */
export function writeChunk(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (chunk.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let stopWaiting = () => {};
    const ok = stream.write(chunk, (error) => {
      if (error) {
        stopWaiting();
        reject(error);
      } else if (ok) {
        resolve();
      }
    });
    if (ok) return;
    const onDrain = () => {
      stopWaiting();
      resolve();
    };
    const onError = (error: Error) => {
      stopWaiting();
      reject(error);
    };
    stopWaiting = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
  });
}
