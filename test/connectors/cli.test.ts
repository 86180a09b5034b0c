/**
 * `braze-events airbyte …` and `braze-events singer`, the built binary, against the
 * emulator: only protocol messages on stdout, exit codes, the key never printed. The
 * emulator and the CLI run at the suite's NOW, so 'three days each' holds across midnight UTC.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { cleanEnv, ensureBuilt, runCli } from '../helpers/cli.js';
import { runningClock } from '../helpers/clock.js';
import { dayBefore } from '../helpers/now.js';
import { airbyteFiles, configuredCatalog, singerCatalog } from './harness.js';
import { airbyteMessages, assertSingerCatalog, singerMessages } from './protocol.js';

const KEY = 'airbyte-cli-secret-key-0c4d1e';

/** The emulator's clock, shared by every CLI run. */
const clock = runningClock();

/** The built binary with a clean environment, at the emulator's clock. */
const cli = (args: string[]) => runCli(args, { env: cleanEnv(), now: clock });

/** `airbyte read` with the files {@link airbyteFiles} wrote. */
const airbyteRead = (f: { configFile?: string; catalogFile?: string }) =>
  cli(['airbyte', 'read', '--config', f.configFile!, '--catalog', f.catalogFile!]);

describe('braze-events airbyte / singer (CLI)', () => {
  let emulator: Emulator;
  let dir: string;
  before(async () => {
    await ensureBuilt();
    emulator = await startEmulator({
      seed: 5,
      events: 4,
      port: 0,
      keys: [{ key: KEY }],
      now: clock,
    });
    dir = await mkdtemp(join(tmpdir(), 'braze-events-airbyte-cli-'));
  });
  after(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('spec, check, discover and read print protocol messages only', async () => {
    const start = dayBefore(3);
    const files = await airbyteFiles(dir, 'ok', {
      config: { api_key: KEY, endpoint: emulator.url, start_date: start, units: ['day'] },
      catalog: configuredCatalog(['events', 'event_counts_daily']),
    });
    const spec = await cli(['airbyte', 'spec']);
    assert.equal(spec.code, 0, spec.stderr);
    assert.deepEqual(
      airbyteMessages(spec.stdout).map((m) => m.type),
      ['SPEC'],
    );
    const check = await cli(['airbyte', 'check', '--config', files.configFile!]);
    assert.equal(check.code, 0, check.stderr);
    assert.equal(airbyteMessages(check.stdout)[0]!.connectionStatus.status, 'SUCCEEDED');
    const discover = await cli(['airbyte', 'discover', '--config', files.configFile!]);
    assert.deepEqual(
      airbyteMessages(discover.stdout).map((m) => m.type),
      ['CATALOG'],
    );
    const read = await airbyteRead(files);
    assert.equal(read.code, 0, read.stdout.slice(-300));
    const messages = airbyteMessages(read.stdout);
    assert.deepEqual([...new Set(messages.map((m) => m.type))].sort(), [
      'LOG',
      'RECORD',
      'STATE',
      'TRACE',
    ]);
    assert.ok(messages.every((m) => m.type !== 'TRACE' || m.trace.type === 'STREAM_STATUS'));
    assert.equal(read.stderr, '');
    for (const out of [spec, check, discover, read]) {
      assert.ok(!out.stdout.includes(KEY) && !out.stderr.includes(KEY), 'the key was printed');
    }
  });

  test('the events stream honours event_glob and events, as the count streams do', async () => {
    const names = emulator.eventNames();
    const files = await airbyteFiles(dir, 'glob', {
      config: {
        api_key: KEY,
        endpoint: emulator.url,
        start_date: '2026-01-01',
        event_glob: `${names[0]}*`,
      },
      catalog: configuredCatalog(['events']),
    });
    const read = await airbyteRead(files);
    assert.equal(read.code, 0, read.stdout.slice(-300));
    const records = airbyteMessages(read.stdout)
      .filter((m) => m.type === 'RECORD')
      .map((m) => m.record.data.name as string);
    assert.deepEqual(
      records,
      names.filter((n) => n.startsWith(names[0]!)),
    );
    assert.ok(records.length < names.length);
  });

  test('a failure is a TRACE error on stdout with a non-zero exit code', async () => {
    const wrong = await airbyteFiles(dir, 'wrong', {
      config: { api_key: 'not-the-key-71b2c9', endpoint: emulator.url, start_date: '2026-01-01' },
      catalog: configuredCatalog(['event_counts_daily']),
    });
    const denied = await airbyteRead(wrong);
    assert.equal(denied.code, 1);
    const last = airbyteMessages(denied.stdout).at(-1)!;
    assert.equal(last.trace.error.failure_type, 'config_error');
    assert.match(last.trace.error.message, /401/);
    // The advice names the connector's own settings, fields of its --config file, not the
    // CLI's flags.
    assert.ok(
      last.trace.error.message.includes(
        `check the key in "api_key" of ${wrong.configFile}, and that "endpoint" of ${wrong.configFile} is the instance`,
      ),
      last.trace.error.message,
    );
    assert.ok(!last.trace.error.message.includes('--endpoint'));
    assert.ok(!denied.stdout.includes('not-the-key-71b2c9'));

    const missing = await cli(['airbyte', 'check', '--config', join(dir, 'nope.json')]);
    assert.equal(missing.code, 2);
    assert.match(
      airbyteMessages(missing.stdout)[0]!.trace.error.message,
      /--config: cannot read .*ENOENT/,
    );
  });

  test('singer: --discover prints the catalog; a run prints messages on stdout, logs on stderr', async () => {
    const start = dayBefore(2);
    const files = await airbyteFiles(dir, 'singer', {
      config: { api_key: KEY, endpoint: emulator.url, start_date: start },
      catalog: singerCatalog(['event_counts_daily']),
    });
    const discover = await cli(['singer', '--config', files.configFile!, '--discover']);
    assert.equal(discover.code, 0, discover.stderr);
    assertSingerCatalog(JSON.parse(discover.stdout));
    const run = await cli([
      'singer',
      '--config',
      files.configFile!,
      '--catalog',
      files.catalogFile!,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const types = singerMessages(run.stdout).map((m) => m.type);
    assert.equal(types[0], 'SCHEMA');
    assert.deepEqual([...new Set(types)].sort(), ['RECORD', 'SCHEMA', 'STATE']);
    assert.match(run.stderr, /^INFO \d+ custom events listed$/m);
    assert.ok(!run.stdout.includes(KEY) && !run.stderr.includes(KEY));
  });

  test('singer: the documented example, literally: --discover > catalog.json, then --catalog catalog.json', async () => {
    const start = dayBefore(2);
    const files = await airbyteFiles(dir, 'documented', {
      config: { api_key: KEY, endpoint: emulator.url, start_date: start },
    });
    const catalogFile = join(dir, 'catalog.json');
    const discover = await cli(['singer', '--config', files.configFile!, '--discover']);
    assert.equal(discover.code, 0, discover.stderr);
    await writeFile(catalogFile, discover.stdout);
    const run = await cli(['singer', '--config', files.configFile!, '--catalog', catalogFile]);
    assert.equal(run.code, 0, run.stderr);
    const messages = singerMessages(run.stdout);
    // selected-by-default selects what discovery offers: events, and the default unit's counts.
    assert.deepEqual(
      messages.filter((m) => m.type === 'SCHEMA').map((m) => m.stream),
      ['events', 'event_counts_daily'],
    );
    const daily = messages.filter((m) => m.type === 'RECORD' && m.stream === 'event_counts_daily');
    assert.equal(daily.length, 4 * 3, 'four events, three days each');
  });
});
