/**
 * Layers point one way (ARCHITECTURE.md): cli → connectors → sync/export/check/dashboard →
 * core → api; emulator → api. Each folder of src/ may import only the folders listed here.
 */
import assert from 'node:assert/strict';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { importsOf, resolveImport, SRC, sourceFiles } from '../helpers/imports.js';

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  api: [],
  core: ['api'],
  emulator: ['api'],
  sync: ['core', 'api'],
  export: ['core', 'api'],
  check: ['sync', 'core', 'api'],
  dashboard: ['check', 'sync', 'core', 'api'],
  // The adapters for Airbyte and Singer sit on the sync; the engine knows nothing of them.
  connectors: ['sync', 'core', 'api'],
  cli: ['connectors', 'dashboard', 'check', 'export', 'sync', 'emulator', 'core', 'api'],
};

const layerOf = (file: string) => relative(SRC, file).split(sep)[0]!;

test('every import stays within its layer or points down', () => {
  const violations: string[] = [];
  let checked = 0;
  for (const layer of Object.keys(ALLOWED)) {
    for (const file of sourceFiles(join(SRC, layer))) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        checked += 1;
        const target = layerOf(resolveImport(file, spec));
        if (target !== layer && !ALLOWED[layer]!.includes(target)) {
          violations.push(`${relative(SRC, file)} imports ${target} (${spec})`);
        }
      }
    }
  }
  assert.ok(checked > 200, `only ${checked} imports seen`);
  assert.deepEqual(violations, []);
});
