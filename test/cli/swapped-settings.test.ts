/**
 * A key and an endpoint set the wrong way round (a new user's first run): the real key must
 * never be echoed as "the endpoint", the harmless instance id must not be redacted out of
 * the list of valid ids, and the line says what probably happened. Nothing is sent.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { assertNoKeyLeaked, assertOneErrorLine, cleanEnv, runCli } from '../helpers/cli.js';

const SECRET = 'sk-TRIAL-SECRET-123';
let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({ port: 0, events: 3, keys: [{ key: SECRET }] });
});
after(async () => {
  await emulator?.close();
  assertNoKeyLeaked([SECRET]);
});

test('BRAZE_API_KEY and BRAZE_REST_ENDPOINT swapped: exit 2, the key not shown, the swap named', async () => {
  const r = await runCli(['list'], {
    env: cleanEnv({ BRAZE_API_KEY: 'US-03', BRAZE_REST_ENDPOINT: SECRET }),
    source: true,
  });
  assertOneErrorLine(r, 2, /^error: BRAZE_REST_ENDPOINT \(a value of 19 characters, not shown/);
  assert.ok(!r.stderr.includes(SECRET), r.stderr);
  assert.ok(!r.stderr.includes('[REDACTED]'), r.stderr);
  assert.match(r.stderr, /did you swap BRAZE_API_KEY and BRAZE_REST_ENDPOINT\?/);
  assert.equal(r.stdout, '');
});

test('--api-key and --endpoint swapped: the flags are named', async () => {
  const r = await runCli(['list', '--api-key', 'us-03', '--endpoint', SECRET], {
    env: cleanEnv(),
    source: true,
  });
  assertOneErrorLine(r, 2, /did you swap --api-key and --endpoint\?/);
  assert.ok(!r.stderr.includes(SECRET), r.stderr);
  assert.ok(!r.stderr.includes('[REDACTED]'), r.stderr);
});

test('an endpoint that is neither id nor host is not echoed, and the valid ids are intact', async () => {
  // A key-shaped key with a key-shaped endpoint: no swap to name, still no echo.
  const r = await runCli(['list'], {
    env: cleanEnv({ BRAZE_API_KEY: SECRET, BRAZE_REST_ENDPOINT: 'another_secret_value' }),
    source: true,
  });
  assertOneErrorLine(
    r,
    2,
    /^error: endpoint \(a value of 20 characters, not shown: .*may be an API key\) is not a Braze instance; valid ids: US-01, US-02, US-03, US-04/,
  );
  assert.ok(!r.stderr.includes('another_secret_value'), r.stderr);
  // The "key" is a URL: swapped too.
  const r2 = await runCli(['list'], {
    env: cleanEnv({ BRAZE_API_KEY: emulator.url, BRAZE_REST_ENDPOINT: SECRET }),
    source: true,
  });
  assertOneErrorLine(r2, 2, /did you swap BRAZE_API_KEY and BRAZE_REST_ENDPOINT\?/);
  assert.equal(emulator.requests().length, 0, 'nothing is sent');
});

test('an instance-id typo is still echoed, next to the full list of valid ids', async () => {
  const r = await runCli(['list'], {
    env: cleanEnv({ BRAZE_API_KEY: 'TESTKEY-4f1d9c-do-not-print', BRAZE_REST_ENDPOINT: 'US-3' }),
    source: true,
  });
  assertOneErrorLine(
    r,
    2,
    /endpoint "US-3" is not a Braze instance; valid ids: US-01, US-02, US-03, US-04/,
  );
});
