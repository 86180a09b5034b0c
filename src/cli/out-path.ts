/**
 * Checks an `--out FILE` before any request, so a typo in the path is a usage error
 * (exit 2) rather than a failure after minutes of export.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

/**
 * Throws a UsageError when `path` is a folder or its folder does not exist.
 *
 * @example
 * await checkOutPath('counts.csv');
 */
export async function checkOutPath(path: string): Promise<void> {
  const full = resolve(path);
  const self = await stat(full).catch(() => undefined);
  if (self?.isDirectory()) throw new UsageError(`--out ${path} is a folder; give a file name`);
  const parent = await stat(dirname(full)).catch(() => undefined);
  if (!parent?.isDirectory()) {
    throw new UsageError(`--out ${path}: folder ${dirname(full)} does not exist`);
  }
}
