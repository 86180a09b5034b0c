/**
 * The library entry (`braze-events`) promises zero runtime dependencies: everything reachable
 * from src/index.ts by import must be our own file or a Node built-in.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s(?:[^'"]*?\sfrom\s)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function reachable(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2]!;
      if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
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
