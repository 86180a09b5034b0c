/**
 * End to end (the built binary): when a request fails in a way that points at the endpoint
 * or the key — a 401 (a wrong key, or the right key on another instance), a 403, a refused
 * connection, a host that is not Braze answering 404 — the advice names the setting the
 * value actually came from: the flag, the environment variable, or the field of a profile
 * in the config file (or of a connector's config file), and none of the others. At 3 a.m.
 * the advice must send the reader to the right place.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { airbyteFiles } from '../connectors/harness.js';
import { airbyteMessages } from '../connectors/protocol.js';
import {
  assertNoKeyLeaked,
  assertOneErrorLine,
  cleanEnv,
  LIST_ONLY_KEY,
  type RunResult,
  runCli,
  TEST_KEY,
} from '../helpers/cli.js';
import { closedPort, type TestServer, testServers } from '../helpers/http-server.js';
import { emulatorSuite } from './helpers.js';

/** A key the emulator does not know: its 401 must not echo it either. */
const WRONG_KEY = 'TESTKEY-wrong-0c61e3';
/** No retry of a refused connection: the advice line at once, no backoff wait. */
const NO_RETRY = ['--max-retries', '0'];
const EVENT = 'add_to_cart';

let emulator: Emulator;
let notBraze: TestServer;
/** A host that answers 200 with a page, not JSON (a captive portal, a web server). */
let portal: TestServer;
let dir: string;
/** The profiles file: each profile's key file and endpoint are set per test's need. */
let config: string;
/** A second file whose `defaultProfile` is used when no --profile is given. */
let defaultConfig: string;
let closedUrl: string;
let wrongKeyFile: string;
const serve = testServers();

/** The words the advice uses for each source; any of them naming a setting not used is wrong. */
const profileField = (field: string, profile: string, file: string) =>
  `"${field}" of profile "${profile}" in ${file}`;
/** Every way of naming a source, to check the ones not used are absent. */
function allSources(): RegExp[] {
  return [
    /--api-key(?!-file)/,
    /--api-key-file/,
    /BRAZE_API_KEY/,
    /--endpoint/,
    /BRAZE_REST_ENDPOINT/,
    /"apiKeyFile"/,
    /"endpoint" of profile/,
    /config key/,
  ];
}

/** Asserts `text` names each of `used` and no other source. */
function assertNamesOnly(text: string, used: readonly string[]): void {
  for (const re of allSources()) {
    if (used.some((u) => re.test(u))) continue;
    assert.doesNotMatch(text, re, `names a source not used (${re}): ${text}`);
  }
}

/**
 * Asserts one stderr line matching `line`, exit 1, holding `advice` exactly, and naming no
 * source but `used`.
 */
function assertAdvice(r: RunResult, line: RegExp, advice: string, used: readonly string[]): void {
  assertOneErrorLine(r, 1, line);
  assert.ok(r.stderr.includes(advice), `expected ${advice}: ${r.stderr}`);
  assertNamesOnly(r.stderr, used);
}

/** The 401 advice, exactly: which key to check and which endpoint setting. */
const rejected = (host: string, key: string, endpoint: string) =>
  `the API key was rejected by ${host}: check the key in ${key}, and that ${endpoint} is the instance the key's workspace lives on`;

// One outer suite: under Node 20, hooks at the top level of a file do not wait for each other.
describe('the advice names the setting the key and the endpoint came from', () => {
  const suite = emulatorSuite({
    events: 30,
    keys: [{ key: TEST_KEY }, { key: LIST_ONLY_KEY, permissions: ['events.list'] }],
  });

  before(async () => {
    emulator = suite.emulator();
    // A host that is not Braze: an HTML 404 for every path (a proxy, a typo'd host).
    portal = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head><title>Sign in to the network</title></head></html>');
    });
    notBraze = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><head><title>404 Not Found</title></head><body>nginx</body></html>');
    });
    closedUrl = `http://127.0.0.1:${await closedPort()}`;
    dir = suite.dir();
    const goodKeyFile = join(dir, 'good.key');
    wrongKeyFile = join(dir, 'wrong.key');
    const listOnlyKeyFile = join(dir, 'list-only.key');
    await writeFile(goodKeyFile, `${TEST_KEY}\n`);
    await writeFile(wrongKeyFile, `${WRONG_KEY}\n`);
    await writeFile(listOnlyKeyFile, `${LIST_ONLY_KEY}\n`);
    config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        profiles: {
          wrong: { endpoint: emulator.url, apiKeyFile: wrongKeyFile },
          down: { endpoint: closedUrl, apiKeyFile: goodKeyFile },
          listonly: { endpoint: emulator.url, apiKeyFile: listOnlyKeyFile },
          other: { endpoint: notBraze.url, apiKeyFile: goodKeyFile },
          portal: { endpoint: portal.url, apiKeyFile: goodKeyFile },
          keyonly: { apiKeyFile: wrongKeyFile },
        },
      }),
    );
    defaultConfig = join(dir, 'default-config.json');
    await writeFile(
      defaultConfig,
      JSON.stringify({
        defaultProfile: 'prod',
        profiles: { prod: { endpoint: closedUrl, apiKeyFile: wrongKeyFile } },
      }),
    );
  });
  // The suite checks the test keys; the wrong key must not be echoed either.
  after(() => assertNoKeyLeaked([WRONG_KEY]));

  const withConfig = (extra: Record<string, string> = {}) =>
    cleanEnv({ BRAZE_EVENTS_CONFIG: config, ...extra });

  /** One way of configuring a run: its global flags, its environment, the settings in use. */
  interface SourceCase {
    name: string;
    args: () => string[];
    env: () => NodeJS.ProcessEnv;
    endpoint: () => string;
    /** Where the key came from (the 401 cases). */
    key?: () => string;
  }

  describe('401: the key to check and the endpoint to check are the ones in use', () => {
    const cases: (SourceCase & { key: () => string })[] = [
      {
        name: '--api-key, endpoint from BRAZE_REST_ENDPOINT',
        args: () => ['--api-key', WRONG_KEY],
        env: () => withConfig({ BRAZE_REST_ENDPOINT: emulator.url }),
        key: () => '--api-key',
        endpoint: () => 'BRAZE_REST_ENDPOINT',
      },
      {
        name: '--api-key-file, endpoint from --endpoint',
        args: () => ['--api-key-file', wrongKeyFile, '--endpoint', emulator.url],
        env: () => withConfig(),
        key: () => '--api-key-file',
        endpoint: () => '--endpoint',
      },
      {
        name: 'BRAZE_API_KEY and BRAZE_REST_ENDPOINT',
        args: () => [],
        env: () => withConfig({ BRAZE_API_KEY: WRONG_KEY, BRAZE_REST_ENDPOINT: emulator.url }),
        key: () => 'BRAZE_API_KEY',
        endpoint: () => 'BRAZE_REST_ENDPOINT',
      },
      {
        name: '--profile: both from the profile, though the environment has both too',
        args: () => ['--profile', 'wrong'],
        // An explicit profile wins over the environment, which must then not be named.
        env: () => withConfig({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: closedUrl }),
        key: () => profileField('apiKeyFile', 'wrong', config),
        endpoint: () => profileField('endpoint', 'wrong', config),
      },
      {
        name: "--profile's key, --endpoint over the environment's endpoint",
        args: () => ['--profile', 'keyonly', '--endpoint', emulator.url],
        env: () => withConfig({ BRAZE_REST_ENDPOINT: closedUrl }),
        key: () => profileField('apiKeyFile', 'keyonly', config),
        endpoint: () => '--endpoint',
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const r = await runCli([...c.args(), 'list'], { env: c.env() });
        assertOneErrorLine(r, 1, /^error: Braze answered 401/);
        assert.ok(
          r.stderr.includes(rejected(emulator.url, c.key(), c.endpoint())),
          `expected the key from ${c.key()} and the endpoint from ${c.endpoint()}: ${r.stderr}`,
        );
        assertNamesOnly(r.stderr, [c.key(), c.endpoint()]);
      });
    }

    test('the default profile (no --profile): named with its file', async () => {
      const wrongDefault = join(dir, 'default-wrong.json');
      await writeFile(
        wrongDefault,
        JSON.stringify({
          defaultProfile: 'main',
          profiles: { main: { endpoint: emulator.url, apiKeyFile: wrongKeyFile } },
        }),
      );
      const r = await runCli(['list'], { env: cleanEnv({ BRAZE_EVENTS_CONFIG: wrongDefault }) });
      assertOneErrorLine(r, 1, /^error: Braze answered 401/);
      const key = profileField('apiKeyFile', 'main', wrongDefault);
      const endpoint = profileField('endpoint', 'main', wrongDefault);
      assert.ok(r.stderr.includes(rejected(emulator.url, key, endpoint)), r.stderr);
      assertNamesOnly(r.stderr, [key, endpoint]);
    });
  });

  describe('a refused connection: the endpoint setting to check', () => {
    const cases: SourceCase[] = [
      {
        name: '--endpoint (over BRAZE_REST_ENDPOINT)',
        args: () => ['--endpoint', closedUrl],
        env: () => withConfig({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url }),
        endpoint: () => '--endpoint',
      },
      {
        name: 'BRAZE_REST_ENDPOINT',
        args: () => [],
        env: () => withConfig({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: closedUrl }),
        endpoint: () => 'BRAZE_REST_ENDPOINT',
      },
      {
        name: '--profile (over BRAZE_REST_ENDPOINT)',
        args: () => ['--profile', 'down'],
        env: () => withConfig({ BRAZE_REST_ENDPOINT: emulator.url }),
        endpoint: () => profileField('endpoint', 'down', config),
      },
      {
        name: 'the default profile',
        args: () => [],
        env: () => cleanEnv({ BRAZE_EVENTS_CONFIG: defaultConfig }),
        endpoint: () => profileField('endpoint', 'prod', defaultConfig),
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const r = await runCli([...NO_RETRY, ...c.args(), 'list'], { env: c.env() });
        // The key is not the problem here: only the endpoint's source is named.
        assertAdvice(
          r,
          /^error: Braze GET \/events\/list\S* failed: .*ECONNREFUSED/,
          `(is ${closedUrl} reachable? check ${c.endpoint()})`,
          [c.endpoint()],
        );
      });
    }
  });

  describe('403 and a host that is not Braze', () => {
    test('403: the key that lacks the permission is named by its source', async () => {
      const env = withConfig({ BRAZE_API_KEY: LIST_ONLY_KEY, BRAZE_REST_ENDPOINT: emulator.url });
      const fromEnv = await runCli(['series', EVENT, '--format', 'csv'], { env });
      assertOneErrorLine(
        fromEnv,
        1,
        /403.*the API key in BRAZE_API_KEY lacks the "events\.data_series" permission/,
      );
      assertNamesOnly(fromEnv.stderr, ['BRAZE_API_KEY']);

      const profile = await runCli(['--profile', 'listonly', 'series', EVENT, '--format', 'csv'], {
        env: withConfig(),
      });
      const key = profileField('apiKeyFile', 'listonly', config);
      assertAdvice(
        profile,
        /^error: Braze answered 403/,
        `the API key in ${key} lacks the "events.data_series" permission`,
        [key],
      );
    });

    test('404 from a host that is not Braze: check the endpoint setting in use', async () => {
      const fromProfile = await runCli([...NO_RETRY, '--profile', 'other', 'list'], {
        env: withConfig({ BRAZE_REST_ENDPOINT: emulator.url }),
      });
      const endpoint = profileField('endpoint', 'other', config);
      const page = /^error: Braze answered 404: an HTML page "404 Not Found"/;
      assertAdvice(fromProfile, page, `check ${endpoint} (${notBraze.url})`, [endpoint]);

      const fromEnv = await runCli([...NO_RETRY, 'list'], {
        env: withConfig({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: notBraze.url }),
      });
      assertAdvice(fromEnv, page, `check BRAZE_REST_ENDPOINT (${notBraze.url})`, [
        'BRAZE_REST_ENDPOINT',
      ]);
    });
  });

  test('200 with a page that is not JSON: is the host Braze? check the endpoint setting', async () => {
    const fromProfile = await runCli([...NO_RETRY, '--profile', 'portal', 'list'], {
      env: withConfig({ BRAZE_REST_ENDPOINT: emulator.url }),
    });
    const endpoint = profileField('endpoint', 'portal', config);
    const notJson =
      /^error: Braze GET \/events\/list\S* answered 200 with an unusable body: the body is not JSON/;
    const advice = (setting: string) =>
      `(is ${portal.url} Braze's REST endpoint? check ${setting})`;
    assertAdvice(fromProfile, notJson, advice(endpoint), [endpoint]);

    const fromFlag = await runCli([...NO_RETRY, '--endpoint', portal.url, 'list'], {
      env: withConfig({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url }),
    });
    assertAdvice(fromFlag, notJson, advice('--endpoint'), ['--endpoint']);
  });

  describe('every command that sends requests gives the same advice', () => {
    const key = () => profileField('apiKeyFile', 'wrong', config);
    const endpoint = () => profileField('endpoint', 'wrong', config);
    const env = () => withConfig({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
    const advice = (r: RunResult, lastLine: string) => {
      assert.equal(r.code, 1, r.stderr);
      assert.match(lastLine, /^error: Braze answered 401/);
      assert.ok(lastLine.includes(rejected(emulator.url, key(), endpoint())), r.stderr);
      assertNamesOnly(r.stderr, [key(), endpoint()]);
    };
    const commands: [string, () => string[]][] = [
      ['list', () => ['list']],
      ['series', () => ['series', EVENT, '--format', 'csv']],
      ['export', () => ['export', '--event', EVENT, '--length', '3']],
      ['sync', () => ['sync', '--db', join(dir, 'sync.db')]],
    ];
    for (const [name, args] of commands) {
      test(name, async () => {
        const r = await runCli(['--profile', 'wrong', ...args()], { env: env() });
        // sync says what it did first (its summary), then the error: the last line.
        if (name !== 'sync') assertOneErrorLine(r, 1, /^error: /);
        advice(r, r.stderr.trimEnd().split('\n').at(-1)!);
      });
    }

    test('doctor: the events.list probe and the key and endpoint rows', async () => {
      const r = await runCli(['--profile', 'wrong', 'doctor', '--db', join(dir, 'doctor.db')], {
        env: env(),
      });
      assert.equal(r.code, 1, r.stderr);
      const row = r.stdout.split('\n').find((l) => l.startsWith('events.list'));
      assert.ok(row?.includes(rejected(emulator.url, key(), endpoint())), r.stdout);
      assert.ok(r.stdout.includes(`from ${endpoint()})`), r.stdout);
      const keyRow = r.stdout.split('\n').find((l) => /^key\s/.test(l));
      assert.ok(keyRow?.includes(`from ${key()} (never shown)`), r.stdout);
      assertNamesOnly(r.stdout, [key(), endpoint()]);
    });
  });

  describe('the connectors: the field of their config file', () => {
    const connectorConfig = (file: string) => ({
      key: `"api_key" of ${file}`,
      endpoint: `"endpoint" of ${file}`,
    });

    test('airbyte check: a 401 names "api_key" and "endpoint" of the --config file', async () => {
      const files = await airbyteFiles(dir, 'airbyte-401', {
        config: { api_key: WRONG_KEY, endpoint: emulator.url, start_date: '2026-01-01' },
      });
      const r = await runCli(['airbyte', 'check', '--config', files.configFile!], {
        env: withConfig({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url }),
      });
      assert.equal(r.code, 0, r.stderr);
      const status = airbyteMessages(r.stdout).find((m) => m.type === 'CONNECTION_STATUS');
      const message = String(status?.connectionStatus?.message);
      const { key, endpoint } = connectorConfig(files.configFile!);
      // The connector's error context has no base URL (its errors carry the path only).
      assert.ok(message.includes(rejected('the configured endpoint', key, endpoint)), message);
      assertNamesOnly(message, [key, endpoint]);
    });

    test('singer: a host that is not Braze names "endpoint" of the --config file', async () => {
      const files = await airbyteFiles(dir, 'singer-404', {
        config: { api_key: TEST_KEY, endpoint: notBraze.url, start_date: '2026-01-01' },
      });
      const r = await runCli(['singer', '--config', files.configFile!], {
        env: withConfig({ BRAZE_REST_ENDPOINT: emulator.url }),
      });
      const { endpoint } = connectorConfig(files.configFile!);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.stderr.includes(`check ${endpoint} (the configured endpoint)`), r.stderr);
      assertNamesOnly(r.stderr, [endpoint]);
    });
  });
});
