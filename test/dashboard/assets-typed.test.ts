/**
 * The browser code is type-checked (issue 14, point 6): every script of the page opts in
 * with `// @ts-check` and is in the program `npm run typecheck` runs over it
 * (tsconfig.assets.json, the DOM and no Node), which reads the server's response types.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ASSETS_DIR } from '../../src/dashboard/assets.js';

const ROOT = new URL('../../', import.meta.url);

test('every script of the page is type-checked against the DOM, without Node', () => {
  const scripts = readdirSync(ASSETS_DIR).filter((name) => name.endsWith('.js'));
  assert.ok(scripts.length >= 6, scripts.join(', '));
  for (const name of scripts) {
    const text = readFileSync(`${ASSETS_DIR}${name}`, 'utf8');
    assert.match(text, /^\/\/ @ts-check\n/, `${name} starts with // @ts-check`);
  }
  const config = readFileSync(new URL('tsconfig.assets.json', ROOT), 'utf8');
  const assets = JSON.parse(config.replace(/^\s*\/\/.*$/gm, '')) as {
    compilerOptions: { lib: string[]; types: string[]; checkJs: boolean };
    include: string[];
  };
  assert.ok(assets.include.includes('src/dashboard/assets/*.js'));
  assert.equal(assets.compilerOptions.checkJs, true);
  assert.ok(assets.compilerOptions.lib.includes('DOM'));
  assert.deepEqual(assets.compilerOptions.types, [], 'no @types/node in the browser code');
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as {
    scripts: Record<string, string>;
  };
  assert.match(pkg.scripts.typecheck ?? '', /tsc -p tsconfig\.assets\.json/);
});
