import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { BIN, cleanEnv, ensureBuilt, ROOT, runCli } from '../helpers/cli.js';
import { seedDatabase } from './seed.js';

describe('braze-events serve (built binary)', () => {
  let dir: string;
  let dbPath: string;
  let child: ChildProcess | undefined;

  before(async () => {
    await ensureBuilt();
    // ensureBuilt runs tsc only; the browser files reach dist/ through the build's copy step.
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'copy-assets.mjs')]);
    dir = mkdtempSync(join(tmpdir(), 'braze-serve-'));
    dbPath = join(dir, 'serve.db');
    const db = await seedDatabase(dbPath, { extraEvents: 3 });
    await db.close();
  });
  after(() => {
    // Never leave a server behind, even when an assertion failed mid-test.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test('prints the URL on stdout, serves the dashboard, stops cleanly on SIGINT', async () => {
    const proc = spawn(process.execPath, [BIN, 'serve', '--db', dbPath, '--port', '0'], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let stdout = '';
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        const line = stdout.split('\n')[0];
        if (stdout.includes('\n') && line) resolve(line);
      });
      proc.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<main id="view"/);
    const overview = await (await fetch(`${url}/api/overview`)).json();
    assert.equal(overview.events.length, 7);
    const exited = new Promise<number | null>((resolve) =>
      proc.on('exit', (code) => resolve(code)),
    );
    proc.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.equal(stdout, `${url}\n`, 'stdout holds only the URL');
    assert.match(stderr, /read-only\)\. Press Ctrl-C to stop\./);
  });

  test('bad flags exit 2 before anything listens', async () => {
    const port = await runCli(['serve', '--db', dbPath, '--port', '70000']);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--port must be an integer from 0 to 65535, got "70000"/);
    const missing = await runCli(['serve', '--db', join(dir, 'missing.db')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--db .*missing\.db: no database there/);
  });
});
