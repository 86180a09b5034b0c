/**
 * A file that appears under its name only when complete: written to a temporary file
 * next to it and renamed on `commit()`. A failed or interrupted export leaves no file that
 * looks complete (and no temporary file after `abort()`). A path that already names
 * something other than a regular file (`/dev/null`, a named pipe, a terminal) is written
 * in place: it cannot be replaced atomically, and renaming over it would destroy it. A
 * symbolic link to a file is followed: the file is replaced, the link kept (`/dev/stdout`
 * redirected to a file must not become a file in /dev).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicFile {
  /** Write here. */
  stream: WriteStream;
  /** Path being written: a temporary file, or `path` itself for a device or pipe. */
  tempPath: string;
  /** False for a device or pipe: what was written before a failure stays written. */
  atomic: boolean;
  /** Flushes, closes and renames into place. */
  commit(): Promise<void>;
  /** Closes and deletes the temporary file. Safe to call more than once. */
  abort(): Promise<void>;
}

/** The stream once its file is open, so an open error (a missing folder) rejects here. */
function opened(stream: WriteStream): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    stream.once('open', () => resolve(stream));
    stream.once('error', reject);
  });
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
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile() && !existing.isDirectory()) return openInPlace(path);
  const target = existing ? await realpath(path) : path;
  const tempPath = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  const stream = await opened(createWriteStream(tempPath, { flags: 'wx', mode: 0o644 }));
  let done = false;
  return {
    stream,
    tempPath,
    atomic: true,
    async commit() {
      if (done) return;
      await closeStream(stream);
      await rename(tempPath, target);
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

/** A device or pipe: written directly; there is nothing to rename or delete. */
async function openInPlace(path: string): Promise<AtomicFile> {
  const stream = await opened(createWriteStream(path, { flags: 'w' }));
  return {
    stream,
    tempPath: path,
    atomic: false,
    commit: () => closeStream(stream),
    async abort() {
      stream.destroy();
    },
  };
}
