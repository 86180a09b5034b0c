/**
 * Checks an `--out FILE` before any request, so a typo in the path or a folder that
 * refuses files is a usage error (exit 2) rather than a failure after minutes of export.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Throws a UsageError when `path` is a folder, its folder does not exist (or is a file), or
 * the export could not write it (tried, not guessed: see `whyNotWritable`).
 *
 * @example
 * await checkOutPath('counts.csv');
 */
export async function checkOutPath(path: string): Promise<void> {
  const full = resolve(path);
  const self = await stat(full).catch(() => undefined);
  if (self?.isDirectory()) throw new UsageError(`--out ${path} is a folder; give a file name`);
  const folder = dirname(full);
  const parent = await stat(folder).catch(() => undefined);
  if (!parent?.isDirectory()) {
    throw new UsageError(
      parent
        ? `--out ${path}: ${folder} is a file, not a folder`
        : `--out ${path}: folder ${folder} does not exist`,
    );
  }
  const { whyNotWritable } = await import('../export/index.js');
  const why = await whyNotWritable(full);
  if (why !== undefined) throw new UsageError(`--out ${path}: not writable (${why})`);
}
