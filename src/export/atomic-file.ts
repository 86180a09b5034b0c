/**
 * A file that appears under its name only when complete: written to a temporary file
 * next to it and renamed on `commit()`. A failed or interrupted export leaves no file that
 * looks complete (and no temporary file after `abort()`).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicFile {
  /** Write here. */
  stream: WriteStream;
  /** Temporary path being written. */
  tempPath: string;
  /** Flushes, closes and renames into place. */
  commit(): Promise<void>;
  /** Closes and deletes the temporary file. Safe to call more than once. */
  abort(): Promise<void>;
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (stream.closed) return resolve();
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/**
 * Opens `path` for an atomic write.
 *
 * @example
 * const file = await openAtomicFile('counts.csv');
 * try { await exportEvents(client, opts, 'csv', file.stream); await file.commit(); }
 * catch (e) { await file.abort(); throw e; }
 */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const tempPath = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  const stream = createWriteStream(tempPath, { flags: 'wx', mode: 0o644 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  let done = false;
  return {
    stream,
    tempPath,
    async commit() {
      if (done) return;
      await closeStream(stream);
      await rename(tempPath, path);
      done = true;
    },
    async abort() {
      if (done) return;
      done = true;
      stream.destroy();
      await unlink(tempPath).catch(() => {});
    },
  };
}
