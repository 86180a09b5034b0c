import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startCli } from '../helpers/cli.js';
import { get, seriesPath } from './helpers.js';

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'));

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `braze-events emulator …` (the CLI's source); `started` is its first stdout line. */
function run(args: string[]) {
  const running = startCli(['emulator', ...args], { source: true });
  children.push(running.child);
  const started = running.waitFor('stdout', /\n/).then((out) => out.slice(0, out.indexOf('\n')));
  const exit = running.done.then((r) => r.code);
  return { ...running, started, exit };
}

describe('braze-events emulator', () => {
  test('prints its URL first, serves, and exits 0 on SIGTERM and SIGINT', async () => {
    const a = run(['--port', '0', '--seed', '7']);
    const b = run(['--port', '0', '--seed', '7']);
    const [urlA, urlB] = await Promise.all([a.started, b.started]);
    assert.match(urlA, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(urlA, urlB);
    for (const path of [
      '/events/list',
      '/events/list?page=1',
      seriesPath({ event: 'Purchase Completed', length: 100, ending_at: '2026-06-01' }),
      seriesPath({
        event: '🎉 Level Up',
        length: 100,
        unit: 'hour',
        ending_at: '2026-06-01T12:00:00Z',
      }),
    ]) {
      const [ra, rb] = await Promise.all([get(urlA, path), get(urlB, path)]);
      assert.equal(ra.status, 200);
      assert.equal(ra.text, rb.text, `byte-identical ${path}`);
    }
    a.child.kill('SIGTERM');
    b.child.kill('SIGINT');
    assert.deepEqual(await Promise.all([a.exit, b.exit]), [0, 0]);
    assert.match(a.stderr(), /listening on http/);
    assert.equal(a.stdout(), `${urlA}\n`, 'only the URL on stdout');
  });

  test('--key with permissions, --data, --fault, --rate-limit-*; keys never printed', async () => {
    const file = join(dir, 'data.json');
    writeFileSync(
      file,
      JSON.stringify({ events: [{ name: 'Only One', counts: { '2026-01-01': 5 } }] }),
    );
    const key = 'cli-secret-key-42';
    const r = run([
      '--data',
      file,
      '--key',
      `${key}:events.list,events.data_series`,
      '--fault',
      '503:data_series:1',
      '--rate-limit-listing',
      '2',
      '--hour-format',
      'z',
    ]);
    const url = await r.started;
    assert.deepEqual((await get(url, '/events/list', key)).json.events, ['Only One']);
    assert.equal((await get(url, '/events', key)).status, 403);
    assert.equal((await get(url, '/events/list', key)).status, 429);
    const path = seriesPath({ event: 'Only One', length: 1, ending_at: '2026-01-02' });
    assert.equal((await get(url, path, key)).status, 503);
    assert.deepEqual((await get(url, path, key)).json.data, [{ time: '2026-01-01', count: 5 }]);
    r.child.kill('SIGTERM');
    assert.equal(await r.exit, 0);
    assert.ok(!r.stderr().includes(key) && !r.stdout().includes(key), 'key not printed');
  });

  test('--fault delay plus --fault 503: both apply (a delay no longer shadows a failure)', async () => {
    const r = run(['--seed', '7', '--fault', 'delay:*:100%:5', '--fault', '503:data_series:1']);
    const url = await r.started;
    const path = seriesPath({ event: 'add_to_cart', length: 3, ending_at: '2026-03-01' });
    assert.equal((await get(url, path)).status, 503);
    assert.equal((await get(url, path)).status, 200);
    r.child.kill('SIGTERM');
    assert.equal(await r.exit, 0);
  });

  test('a bad --fault or --data is a usage error (exit 2) before listening', async () => {
    const bad = run(['--fault', 'teapot']);
    bad.started.catch(() => {});
    assert.equal(await bad.exit, 2);
    assert.match(bad.stderr(), /fault kind/);
    const missing = run(['--data', join(dir, 'missing.json')]);
    missing.started.catch(() => {});
    assert.equal(await missing.exit, 2);
  });

  test('same answers as the library, exit 0 on SIGINT', async () => {
    const r = run(['--seed', '7', '--events', '40']);
    const url = await r.started;
    const { startEmulator } = await import('../../src/emulator/index.js');
    const lib = await startEmulator({ seed: 7, events: 40 });
    try {
      for (const path of [
        '/events/list',
        seriesPath({ event: 'add_to_cart', length: 30, ending_at: '2026-03-01' }),
      ]) {
        const [a, b] = await Promise.all([get(url, path), get(lib.url, path)]);
        assert.equal(a.text, b.text, path);
      }
    } finally {
      await lib.close();
    }
    r.child.kill('SIGINT');
    assert.equal(await r.exit, 0);
  });
});
