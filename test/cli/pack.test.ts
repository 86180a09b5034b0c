/**
 * The published package as a user gets it: `npm pack`, install the tarball into an empty
 * folder, run `npx braze-events --help`, import the library at run time, and type-check a
 * TypeScript file that uses it (with this repository's TypeScript).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT } from './helpers.js';

const run = promisify(execFile);
let dir: string;
let consumer: string;

before(async () => {
  await ensureBuilt();
  dir = await mkdtemp(join(tmpdir(), 'braze-events-pack-'));
  consumer = join(dir, 'consumer');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  assert.ok(info);
  const paths = info.files.map((f) => f.path);
  assert.ok(paths.includes('dist/cli/bin.js'));
  assert.ok(paths.includes('dist/index.d.ts'));
  assert.ok(!paths.some((p) => p.startsWith('src/') || p.startsWith('test/')), 'no sources');
  await run('mkdir', ['-p', consumer]);
  await writeFile(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
  );
  // --ignore-scripts: the native SQLite build is not needed for --help or the library
  // import, and keeps this test fast; --prefer-offline uses the npm cache when it can.
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefer-offline',
      join(dir, info.filename),
    ],
    { cwd: consumer, maxBuffer: 64 * 1024 * 1024 },
  );
});
after(() => rm(dir, { recursive: true, force: true }));

describe('npm pack', () => {
  test('npx braze-events --help works from the installed tarball', async () => {
    const { stdout, stderr } = await run('npx', ['--no-install', 'braze-events', '--help'], {
      cwd: consumer,
      env: { PATH: process.env.PATH ?? '', HOME: dir, npm_config_update_notifier: 'false' },
    });
    assert.match(stdout, /^Usage: braze-events /);
    assert.match(stdout, /Exit codes:/);
    assert.equal(stderr, '');
  });

  test('the library imports at run time', async () => {
    const script =
      "const m = await import('braze-events'); const x = await import('braze-events/export'); const e = await import('braze-events/emulator');" +
      'console.log(typeof m.createBrazeClient, typeof x.exportEvents, typeof e.startEmulator);';
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: consumer,
    });
    assert.equal(stdout.trim(), 'function function function');
  });

  test('a TypeScript file importing the library type-checks', async () => {
    await writeFile(
      join(consumer, 'use.ts'),
      `import {
  type BrazeClient,
  createBrazeClient,
  isBrazeHttpError,
} from 'braze-events';
import { type ExportRow, exportEvents } from 'braze-events/export';
import { startEmulator } from 'braze-events/emulator';

export async function run(): Promise<ExportRow[]> {
  const emulator = await startEmulator({ port: 0, events: 3 });
  const client: BrazeClient = createBrazeClient({ apiKey: 'emulator-key', endpoint: emulator.url });
  const rows: ExportRow[] = [];
  try {
    await exportEvents(client, { length: 3, onBatch: (b) => rows.push(...b.rows) }, 'csv', () => {});
  } catch (e) {
    if (isBrazeHttpError(e)) console.error(e.status, e.requestId);
  } finally {
    await emulator.close();
  }
  return rows;
}

// @ts-expect-error: apiKey must be a string
createBrazeClient({ apiKey: 1, endpoint: 'US-03' });
`,
    );
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: consumer,
    }).catch((e: { stdout: string }) => ({ stdout: e.stdout, failed: true }));
    assert.ok(!('failed' in result), result.stdout);
  });
});
