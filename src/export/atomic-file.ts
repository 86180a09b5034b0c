/**
 * A file that appears under its name only when complete: written to a temporary file
 * next to it and renamed on `commit()`. A failed or interrupted export leaves no file that
 * looks complete (and no temporary file after `abort()`). A path that already names
 * something other than a regular file (`/dev/null`, a named pipe, a terminal) is written
 * in place: it cannot be replaced atomically, and renaming over it would destroy it. A
 * symbolic link to a file is followed: the file is replaced, the link kept (`/dev/stdout`
 * redirected to a file must not become a file in /dev).
 */
import { constants, createWriteStream, type WriteStream } from 'node:fs';
import { access, open, realpath, rename, stat, unlink } from 'node:fs/promises';
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
  const tempPath = tempPathFor(target);
  // Errors name the file asked for, not the hidden temporary one.
  const stream = await opened(createWriteStream(tempPath, { flags: 'wx', mode: 0o644 })).catch(
    (err: unknown) => {
      throw new Error(`${path}: not writable (${errnoCode(err)})`, { cause: err });
    },
  );
  let done = false;
  return {
    stream,
    tempPath,
    atomic: true,
    async commit() {
      if (done) return;
      await closeStream(stream);
      await rename(tempPath, target).catch(async (err: unknown) => {
        await unlink(tempPath).catch(() => {});
        throw new Error(`${path}: cannot be replaced (${errnoCode(err)})`, { cause: err });
      });
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

/** The sticky bit of a folder's mode (`chmod +t`, S_ISVTX; Node's types leave it out). */
const STICKY_BIT = 0o1000;

function errnoCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
}

/** The hidden temporary file next to `target` that {@link openAtomicFile} writes. */
function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
}

/**
 * Why {@link openAtomicFile} could not write `path`, found by trying, before any data is
 * fetched; `undefined` when it can. The folder is tried by creating (and deleting) the
 * temporary file the write would use: access(2) says yes to root even where the folder
 * refuses files (a read-only mount, /sys). A device or pipe is written in place, so it
 * must be writable itself. The reason is the errno code (`EACCES`, `EROFS`, …).
 *
 * @example
 * const why = await whyNotWritable('/sys/x.csv'); // 'EACCES'
 */
export async function whyNotWritable(path: string): Promise<string | undefined> {
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile() && !existing.isDirectory()) {
    return access(path, constants.W_OK).then(() => undefined, errnoCode);
  }
  const target = existing ? await realpath(path) : path;
  // In a sticky folder (/tmp) only the owner of a file (or of the folder) may rename over
  // it: the folder takes new files, but the commit would fail after the whole export.
  const uid = process.getuid?.();
  if (existing && uid !== undefined && uid !== 0 && existing.uid !== uid) {
    const folder = await stat(dirname(target));
    if ((folder.mode & STICKY_BIT) !== 0 && folder.uid !== uid) return 'EPERM';
  }
  const probe = tempPathFor(target);
  try {
    await (await open(probe, 'wx', 0o644)).close();
  } catch (err) {
    return errnoCode(err);
  }
  await unlink(probe).catch(() => {});
  return undefined;
}
