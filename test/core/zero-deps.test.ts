/**
 * The library entry (`braze-events`) promises zero runtime dependencies: everything reachable
 * from src/index.ts by import must be our own file or a Node built-in.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { importsOf, resolveImport, SRC } from '../helpers/imports.js';

function reachable(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const spec of importsOf(file)) {
      if (spec.startsWith('.')) queue.push(resolveImport(file, spec));
      else if (!spec.startsWith('node:'))
        external.add(`${spec} (from ${file.slice(SRC.length + 1)})`);
    }
  }
  return { files, external };
}

test('the library entry reaches no package outside Node itself', () => {
  const { files, external } = reachable(resolve(SRC, 'index.ts'));
  assert.ok(files.size > 10, `walked only ${files.size} files`);
  assert.deepEqual([...external], []);
  for (const file of files) {
    // Only the api and core layers belong to the dependency-free entry.
    assert.match(file, /\/src\/(index\.ts|api\/|core\/)/);
  }
});
