/**
 * The published package as a user gets it: `npm pack`, install the tarball into an empty
 * folder without the optional database drivers (`--omit=optional`), run
 * `npx braze-events --help` and `list` against the emulator, see `sync` ask for its driver,
 * import the library at run time, and type-check a TypeScript file that uses it (with this
 * repository's TypeScript).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { cleanEnv, ensureBuilt, ROOT, TEST_KEY } from '../helpers/cli.js';

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
  // --omit=optional: what a user of the client alone installs; no native module is built.
  // --prefer-offline uses the npm cache when it can.
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--omit=optional',
      '--prefer-offline',
      join(dir, info.filename),
    ],
    { cwd: consumer, maxBuffer: 64 * 1024 * 1024 },
  );
});
after(() => rm(dir, { recursive: true, force: true }));

describe('installed without the optional database drivers', () => {
  let emulator: Emulator;
  const bin = () => join(consumer, 'node_modules', 'braze-events', 'dist', 'cli', 'bin.js');
  const cli = (args: string[]) =>
    run(process.execPath, [bin(), ...args], {
      cwd: consumer,
      env: cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url }),
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  before(async () => {
    emulator = await startEmulator({ port: 0, events: 5, keys: [{ key: TEST_KEY }] });
  });
  after(() => emulator.close());

  test('neither better-sqlite3 nor pg is installed', async () => {
    for (const name of ['better-sqlite3', 'pg']) {
      await assert.rejects(
        run(process.execPath, ['-e', `require.resolve(${JSON.stringify(name)})`], {
          cwd: consumer,
        }),
        `${name} should be absent`,
      );
    }
  });

  test('list works against the emulator', async () => {
    const r = await cli(['list']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, -1), emulator.eventNames());
  });

  test('sync and a PostgreSQL sync exit 2 with one line naming the package to install', async () => {
    for (const [db, pkg] of [
      [join(dir, 'x.db'), 'better-sqlite3'],
      ['postgres://127.0.0.1:1/x', 'pg'],
    ] as const) {
      emulator.clearRequests();
      const r = await cli(['sync', '--db', db]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr,
        `error: ${pkg === 'pg' ? 'PostgreSQL' : 'SQLite'} needs the npm package ${pkg}, which is not installed: run npm install ${pkg}\n`,
      );
      assert.equal(emulator.requests().length, 0, 'nothing sent before the database opens');
    }
  });
});

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
  isBrazeOptionError,
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

try {
  createBrazeClient({ apiKey: 'k', endpoint: 'US-03', timeoutMs: 0 });
} catch (e) {
  if (isBrazeOptionError(e) && e instanceof RangeError) console.error(e.code, e.option, e.value);
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
