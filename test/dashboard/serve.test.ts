import assert from 'node:assert/strict';
import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { ensureBuilt, ROOT, runCli, startCli } from '../helpers/cli.js';
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
    const serve = startCli(['serve', '--db', dbPath, '--port', '0']);
    child = serve.child;
    const url = (await serve.waitFor('stdout', /\n/)).split('\n')[0]!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<main id="view"/);
    const overview = await (await fetch(`${url}/api/overview`)).json();
    assert.equal(overview.events.length, 7);
    serve.child.kill('SIGINT');
    const exit = await serve.done;
    assert.equal(exit.code, 0);
    assert.equal(exit.stdout, `${url}\n`, 'stdout holds only the URL');
    assert.match(exit.stderr, /read-only\)\. Press Ctrl-C to stop\./);
  });

  test('bad flags exit 2 before anything listens', async () => {
    const port = await runCli(['serve', '--db', dbPath, '--port', '70000']);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--port must be an integer from 0 to 65535, got "70000"/);
    const bound = await runCli(['serve', '--db', dbPath, '--db-reconnect-timeout', '3s']);
    assert.equal(bound.code, 2);
    assert.match(bound.stderr, /--db-reconnect-timeout must be an integer from 0 to 600, got "3s"/);
    const missing = await runCli(['serve', '--db', join(dir, 'missing.db')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--db .*missing\.db: no database there/);
  });
});
