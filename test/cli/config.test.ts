import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { configPath, loadConfig } from '../../src/cli/config.js';
import {
  missingConfigMessage,
  resolveConnection,
  tryResolveConnection,
} from '../../src/cli/context.js';
import { UsageError } from '../../src/cli/errors.js';

let dir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'braze-events-config-'));
  await writeFile(join(dir, 'prod.key'), 'prod-key-from-file\n');
  await writeFile(join(dir, 'flag.key'), '  flag-key  \n');
  await writeFile(join(dir, 'empty.key'), '\n');
  await writeFile(
    join(dir, 'config.json'),
    JSON.stringify({
      defaultProfile: 'prod',
      profiles: {
        prod: { endpoint: 'US-03', apiKeyFile: join(dir, 'prod.key'), bucketUtcOffset: '-0500' },
        eu: { endpoint: 'EU-01', apiKeyFile: '~/prod.key', bucketUtcOffset: '+01:00' },
        nokey: { endpoint: 'US-01' },
      },
    }),
  );
  env = { HOME: dir, BRAZE_EVENTS_CONFIG: join(dir, 'config.json') };
});
after(() => rm(dir, { recursive: true, force: true }));

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);

describe('configuration', () => {
  test('config path: BRAZE_EVENTS_CONFIG, then XDG_CONFIG_HOME, then ~/.config', () => {
    assert.equal(configPath({ BRAZE_EVENTS_CONFIG: '/a/b.json' }), '/a/b.json');
    assert.equal(configPath({ XDG_CONFIG_HOME: '/x', HOME: '/h' }), '/x/braze-events/config.json');
    assert.equal(configPath({ HOME: '/h' }), '/h/.config/braze-events/config.json');
  });

  test('default profile when nothing else is set; workspace = profile name', async () => {
    const c = await resolveConnection({}, env);
    assert.equal(c.endpoint, 'US-03');
    assert.equal(c.workspace, 'prod');
    assert.equal(c.apiKey(), 'prod-key-from-file');
    assert.doesNotMatch(JSON.stringify(c), /prod-key/);
  });

  test('env beats the default profile; workspace "default"', async () => {
    const c = await resolveConnection(
      {},
      { ...env, BRAZE_API_KEY: 'env-key', BRAZE_REST_ENDPOINT: 'US-05' },
    );
    assert.equal(c.apiKey(), 'env-key');
    assert.equal(c.endpoint, 'US-05');
    assert.equal(c.workspace, 'default');
  });

  test('explicit --profile beats env; ~ expands; flags beat everything', async () => {
    const e = { ...env, BRAZE_API_KEY: 'env-key', BRAZE_REST_ENDPOINT: 'US-05' };
    const eu = await resolveConnection({ profile: 'eu' }, e);
    assert.equal(eu.apiKey(), 'prod-key-from-file');
    assert.equal(eu.endpoint, 'EU-01');
    assert.equal(eu.workspace, 'eu');
    const flags = await resolveConnection(
      { profile: 'eu', apiKeyFile: join(dir, 'flag.key'), endpoint: 'http://127.0.0.1:1' },
      e,
    );
    assert.equal(flags.apiKey(), 'flag-key');
    assert.equal(flags.endpoint, 'http://127.0.0.1:1');
  });

  test('the day-bucket offset: flag, explicit profile, env, default profile, else UTC', async () => {
    const offset = async (opts: Record<string, unknown>, e: NodeJS.ProcessEnv) =>
      (await resolveConnection(opts, e)).bucketUtcOffsetMinutes;
    const withEnv = { ...env, BRAZE_API_KEY: 'k', BRAZE_REST_ENDPOINT: 'US-05' };
    assert.equal(await offset({}, env), -300, 'default profile');
    assert.equal(await offset({}, { ...withEnv, BRAZE_BUCKET_UTC_OFFSET: '+05:30' }), 330);
    assert.equal(await offset({}, withEnv), 0, 'a key from env does not read the default profile');
    assert.equal(
      await offset({ profile: 'eu' }, { ...withEnv, BRAZE_BUCKET_UTC_OFFSET: 'Z' }),
      60,
      'explicit profile beats env',
    );
    assert.equal(await offset({ profile: 'eu', bucketUtcOffset: -120 }, withEnv), -120);
    const none = { HOME: dir, BRAZE_EVENTS_CONFIG: join(dir, 'missing.json') };
    assert.equal(
      await offset({}, { ...none, BRAZE_API_KEY: 'k', BRAZE_REST_ENDPOINT: 'US-05' }),
      0,
    );
    await assert.rejects(
      resolveConnection({}, { ...withEnv, BRAZE_BUCKET_UTC_OFFSET: 'EST' }),
      usage(
        /^BRAZE_BUCKET_UTC_OFFSET must be a UTC offset from -12:00 to \+14:00 in quarter hours, such as -05:00, \+05:30 or Z, got "EST"$/,
      ),
    );
    const bad = join(dir, 'bad-offset.json');
    await writeFile(
      bad,
      JSON.stringify({ profiles: { p: { endpoint: 'US-01', bucketUtcOffset: '+5:3' } } }),
    );
    await assert.rejects(
      loadConfig(bad),
      usage(
        /profile "p": "bucketUtcOffset" must be a UTC offset from -12:00 to \+14:00 in quarter hours, such as -05:00, \+05:30 or Z, got "\+5:3"/,
      ),
    );
  });

  test('clear usage errors', async () => {
    const none = { HOME: dir, BRAZE_EVENTS_CONFIG: join(dir, 'missing.json') };
    assert.equal(await tryResolveConnection({}, none), undefined);
    await assert.rejects(
      resolveConnection({}, none),
      usage(/^no Braze API key configured: set BRAZE_API_KEY/),
    );
    assert.match(missingConfigMessage(none), /missing\.json/);
    await assert.rejects(
      resolveConnection({}, { ...none, BRAZE_API_KEY: 'k-1234' }),
      usage(/no Braze endpoint configured: set BRAZE_REST_ENDPOINT or pass --endpoint/),
    );
    await assert.rejects(
      resolveConnection({ profile: 'nope' }, env),
      usage(/no profile "nope".*prod, eu, nokey/),
    );
    await assert.rejects(
      resolveConnection({ profile: 'nokey' }, env),
      usage(/has no "apiKeyFile"/),
    );
    await assert.rejects(
      resolveConnection({ apiKeyFile: join(dir, 'empty.key'), endpoint: 'US-01' }, none),
      usage(/is empty/),
    );
    await assert.rejects(
      resolveConnection({ apiKeyFile: join(dir, 'nope.key'), endpoint: 'US-01' }, none),
      usage(/cannot read API key file .*ENOENT/),
    );
  });

  test('a config file holding a key, or broken JSON, is refused', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ profiles: { p: { apiKey: 'x' } } }));
    await assert.rejects(loadConfig(bad), usage(/store the key in a file/));
    await writeFile(bad, '{nope');
    await assert.rejects(loadConfig(bad), usage(/invalid config file/));
    await writeFile(bad, JSON.stringify({ defaultProfile: 'x', profiles: {} }));
    await assert.rejects(loadConfig(bad), usage(/"defaultProfile" must name one of the profiles/));
  });
});
