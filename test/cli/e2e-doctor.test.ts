/**
 * `braze-events doctor` end to end against the emulator: a full key, a key missing each
 * permission, a wrong key, and a database that does not open. Asserts the exit code, what
 * it printed, that the key never appears, and exactly which requests reached the server.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ALL_PERMISSIONS, type Permission } from '../../src/api/constants.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { assertNoKeyLeaked, cleanEnv, ensureBuilt, runCli } from '../helpers/cli.js';
import { createDatabaseFactory } from '../sync/databases.js';

const FULL_KEY = 'TESTKEY-doctor-full-7c1e';
const WRONG_KEY = 'TESTKEY-doctor-wrong-40aa';
/** A key lacking exactly one permission, for each permission. */
const WITHOUT: Record<Permission, string> = {
  'events.list': 'TESTKEY-doctor-nolist-12',
  'events.get': 'TESTKEY-doctor-noget-34',
  'events.data_series': 'TESTKEY-doctor-noseries-56',
};
const ALL_KEYS = [FULL_KEY, WRONG_KEY, ...Object.values(WITHOUT)];

let emulator: Emulator;
let dir: string;
const databases = createDatabaseFactory();

before(async () => {
  await ensureBuilt();
  emulator = await startEmulator({
    port: 0,
    events: 30,
    keys: [
      { key: FULL_KEY },
      ...ALL_PERMISSIONS.map((p) => ({
        key: WITHOUT[p],
        permissions: ALL_PERMISSIONS.filter((q) => q !== p),
      })),
    ],
  });
  dir = await mkdtemp(join(tmpdir(), 'braze-events-doctor-'));
});
beforeEach(() => emulator.clearRequests());
after(async () => {
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
  await databases.close();
  assertNoKeyLeaked(ALL_KEYS);
});

const doctor = (key: string, args: string[] = []) =>
  runCli(['doctor', '--db', join(dir, 'new.db'), ...args], {
    env: cleanEnv({ BRAZE_API_KEY: key, BRAZE_REST_ENDPOINT: emulator.url }),
  });

const doctorWithDb = (db: string) =>
  runCli(['doctor', '--db', db], {
    env: cleanEnv({ BRAZE_API_KEY: FULL_KEY, BRAZE_REST_ENDPOINT: emulator.url }),
  });

/** The line of one check: its label, then its text. */
const line = (stdout: string, label: string) =>
  stdout.split('\n').find((l) => l.startsWith(`${label} `)) ?? '';

describe('braze-events doctor', () => {
  test('a full key: every permission ok, budgets, offset, database; exit 0; 3 cheap requests', async () => {
    const r = await doctor(FULL_KEY);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stderr, '');
    assert.match(
      line(r.stdout, 'endpoint'),
      new RegExp(`${emulator.url} \\(configured as ${emulator.url}, from BRAZE_REST_ENDPOINT\\)`),
    );
    assert.match(line(r.stdout, 'key'), /from BRAZE_API_KEY \(never shown\)/);
    const first = [...emulator.eventNames()][0]!;
    assert.match(
      line(r.stdout, 'events.list'),
      /ok +GET \/events\/list\?page=0: 30 event names on page 0/,
    );
    assert.match(
      line(r.stdout, 'events.get'),
      /ok +GET \/events: first event ".+" \(one page read\)/,
    );
    assert.match(
      line(r.stdout, 'events.data_series'),
      /ok +GET \/events\/data_series\?event=.*&length=1&unit=day: ".+": \d+ in the current day/,
    );
    assert.match(
      line(r.stdout, 'budgets'),
      /listing 998\/1000 until \d{4}-\d\d-\d\dT\d\d:00:00\.000Z; data_series 249999\/250000 until /,
    );
    assert.match(line(r.stdout, 'day buckets'), /UTC\+00:00 \(the default/);
    assert.match(
      line(r.stdout, 'database'),
      /ok +.*new\.db: does not exist yet: the first sync creates it/,
    );
    assert.match(r.stdout, /\nusable: every permission answered and the database opens\n$/);
    // The cheapest request for each permission, and nothing else.
    const sent = emulator.requests().map((q) => [q.path, q.query]);
    assert.deepEqual(sent, [
      ['/events/list', { page: '0' }],
      ['/events', {}],
      ['/events/data_series', { event: first, length: '1', unit: 'day' }],
    ]);
  });

  for (const missing of ALL_PERMISSIONS) {
    test(`a key without ${missing}: that permission is missing, the others ok; exit 1`, async () => {
      const r = await doctor(WITHOUT[missing]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      for (const p of ALL_PERMISSIONS) {
        const text = line(r.stdout, p);
        if (p === missing) {
          assert.match(text, /missing +GET .*403.*lacks the ".+" permission/);
          assert.ok(text.includes(`"${missing}"`), text);
        } else assert.match(text, /^\S+ +ok /, text);
      }
      assert.match(r.stdout, /\nnot usable: 1 problem above\n$/);
      // Without events.list, the series is probed with a name from GET /events.
      assert.equal(emulator.requests().filter((q) => q.route === 'dataSeries').length, 1);
    });
  }

  test('a first event Braze refuses (a reserved name) says nothing of the permission: the next is asked', async () => {
    const [first, second] = [...emulator.eventNames()];
    emulator.addFault({ kind: '400', event: first! });
    try {
      const r = await doctor(FULL_KEY);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(line(r.stdout, 'events.data_series'), /ok +GET /);
      assert.deepEqual(
        emulator
          .requests()
          .filter((q) => q.route === 'dataSeries')
          .map((q) => [q.query.event, q.status]),
        [
          [first, 400],
          [second, 200],
        ],
      );
    } finally {
      emulator.clearFaults();
    }
  });

  test('a wrong key: rejected at the first probe, the others not sent; exit 1; --json', async () => {
    const r = await doctor(WRONG_KEY, ['--json']);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout);
    assert.equal(report.usable, false);
    assert.deepEqual(
      report.permissions.map(
        (p: { permission: string; outcome: string; status: number | null }) => [
          p.permission,
          p.outcome,
          p.status,
        ],
      ),
      [
        ['events.list', 'rejected', 401],
        ['events.get', 'skipped', null],
        ['events.data_series', 'skipped', null],
      ],
    );
    assert.match(
      report.permissions[0].detail,
      new RegExp(`API key was rejected by ${emulator.url}: check the key`),
    );
    // Braze echoes the key in its 401 body; it is redacted like everywhere else.
    assert.ok(!r.stdout.includes(WRONG_KEY));
    assert.deepEqual(report.budgets, { listing: null, dataSeries: null });
    assert.equal(report.endpoint.restBase, emulator.url);
    assert.equal(report.bucketUtcOffset, 'UTC+00:00');
    assert.equal(emulator.requests().length, 1);
  });

  test('a database that does not open, and --bucket-utc-offset: exit 1, both shown', async () => {
    const notDb = join(dir, 'not-a-db.db');
    await writeFile(
      notDb,
      'this is not a database, just text that is long enough to tell\n'.repeat(20),
    );
    const r = await runCli(['--bucket-utc-offset', '-05:00', 'doctor', '--db', notDb], {
      env: cleanEnv({ BRAZE_API_KEY: FULL_KEY, BRAZE_REST_ENDPOINT: emulator.url }),
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      line(r.stdout, 'database'),
      /failed +.*not-a-db\.db: does not open: .*not a database/,
    );
    assert.match(line(r.stdout, 'day buckets'), /UTC-05:00 \(from --bucket-utc-offset\)$/);
    assert.match(r.stdout, /not usable: 1 problem above/);
  });

  test('PostgreSQL: a fresh database opens; one that does not exist does not, its password hidden', async () => {
    const fresh = await databases.fresh('postgres');
    const ok = await doctorWithDb(fresh);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(line(ok.stdout, 'database'), /ok +postgres:\/\/.*: opens; no sync has run yet/);
    const url = new URL(fresh);
    url.password = 'pw-d0ct0r-s3cret';
    url.pathname = '/no_such_database';
    const bad = await doctorWithDb(url.href);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(
      line(bad.stdout, 'database'),
      /failed +postgres:\/\/postgres:\*\*\*@.*: does not open: .*no_such_database/,
    );
    assert.ok(!(bad.stdout + bad.stderr).includes('pw-d0ct0r-s3cret'));
  });

  test('no key configured: exit 2, nothing sent', async () => {
    const r = await runCli(['doctor'], { env: cleanEnv() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: no Braze API key configured/);
    assert.equal(emulator.requests().length, 0);
  });
});

describe('doctor says where each setting came from', () => {
  test('key from --api-key-file, endpoint from BRAZE_REST_ENDPOINT, offset from the flag', async () => {
    const keyFile = join(dir, 'doctor.key');
    await writeFile(keyFile, `${FULL_KEY}\n`);
    const args = ['doctor', '--db', join(dir, 'new.db'), '--api-key-file', keyFile];
    const env = cleanEnv({ BRAZE_REST_ENDPOINT: emulator.url });
    const r = await runCli([...args, '--bucket-utc-offset', 'Z'], { env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(line(r.stdout, 'key'), /^key +from --api-key-file \(never shown\)/);
    assert.match(line(r.stdout, 'endpoint'), /, from BRAZE_REST_ENDPOINT\)$/);
    assert.match(line(r.stdout, 'day buckets'), /UTC\+00:00 \(from --bucket-utc-offset\)$/);
    assert.doesNotMatch(r.stdout, /--api-key\/|and --endpoint|the default/);
    const json = await runCli([...args, '--endpoint', emulator.url, '--json'], {
      env: cleanEnv({ BRAZE_BUCKET_UTC_OFFSET: '+05:30' }),
    });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.key.from, '--api-key-file');
    assert.equal(report.endpoint.from, '--endpoint');
    assert.equal(report.bucketUtcOffsetFrom, 'BRAZE_BUCKET_UTC_OFFSET');
    assert.equal(report.bucketUtcOffset, 'UTC+05:30');
  });

  test('nothing given for the offset: the default, said as such', async () => {
    const r = await doctor(FULL_KEY, ['--json']);
    assert.equal(JSON.parse(r.stdout).bucketUtcOffsetFrom, null);
  });
});
