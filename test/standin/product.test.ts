/**
 * The product (the built CLI and the library) against the stand-in written from the docs
 * alone: the scenarios it passes today. Those it fails today are in `*.pending.ts` here.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { BrazeAuthError, createBrazeClient } from '../../src/index.js';
import { ensureBuilt } from '../helpers/cli.js';
import {
  assertBucketStarts,
  assertKeyNowhere,
  assertNoFutureEndingAt,
  assertTruth,
  type CliRun,
  cli,
  parseCsv,
  requestsTo,
  standin,
  storedRows,
  tempDir,
} from './harness.js';
import { defaultEventNames, type HourTimeForm, standinCount } from './server.js';

before(ensureBuilt, { timeout: 300_000 });

describe('product vs stand-in: a 401 that echoes the key (issue 15 item 10)', () => {
  it('the CLI names the 401 and never prints the key, whatever the command', async () => {
    const s = await standin();
    const key = 'WRONG-KEY-9d3f1a-echoed-by-braze';
    const dir = tempDir();
    const db = join(dir, 'k.db');
    const runs: CliRun[] = [];
    for (const args of [
      ['list'],
      ['list', '--details'],
      ['series', 'standin-event-001', '--length', '3'],
      ['export', '--all', '--length', '3'],
      ['sync', '--db', db],
    ]) {
      const r = await cli(s, args, { key, cwd: dir });
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /401/, args.join(' '));
      runs.push(r);
    }
    // Each command reached the stand-in and got the answer that echoes the key.
    assert.ok(s.log.length >= 5);
    assert.ok(s.log.every((r) => r.status === 401));
    assertKeyNowhere(key, runs, db);
  });

  it('the library: the error is a BrazeAuthError and holds the key nowhere', async () => {
    const s = await standin();
    const key = 'WRONG-KEY-4b2e8c-echoed-by-braze';
    const client = createBrazeClient({ apiKey: key, endpoint: s.url });
    const error = await client
      .getEventSeries({ event: 'E', length: 3, unit: 'day', endingAt: new Date('2026-11-01') })
      .then(
        () => assert.fail('a wrong key must be refused'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof BrazeAuthError);
    assert.equal(error.status, 401);
    for (const text of [error.message, String(error), error.stack ?? '', JSON.stringify(error)]) {
      assert.ok(!text.includes(key), text.slice(0, 300));
    }
    assert.ok(!JSON.stringify(client).includes(key));
    assert.equal(s.log[0]!.status, 401);
  });
});

describe('product vs stand-in: sync', () => {
  it('one event answering 400 ($Purchase): sync stores every other event, exits 1 and names it (issue 15 item 4)', async () => {
    const names = ['$Purchase', ...defaultEventNames(5)];
    const s = await standin({ events: names, failingEvents: ['$Purchase'] });
    const dir = tempDir();
    const db = join(dir, 's.db');
    const started = Date.now();
    const r = await cli(s, ['sync', '--db', db], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /\$Purchase/);
    const rows = storedRows(db);
    assert.equal(rows.filter((x) => x.event === '$Purchase').length, 0);
    for (const event of defaultEventNames(5)) {
      assertTruth(s, rows, event, 'day', { from: started, to: Date.now() });
    }
    assertBucketStarts(s, rows);
  });

  it('a stand-in that refuses a future ending_at: sync (day and hour) never sends one and succeeds (issue 15 item 5)', async () => {
    const s = await standin({ rejectFutureEndingAt: true, events: defaultEventNames(3) });
    const dir = tempDir();
    const db = join(dir, 's.db');
    const started = Date.now();
    const r = await cli(s, ['sync', '--db', db, '--unit', 'day,hour'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assertNoFutureEndingAt(s);
    assert.ok(requestsTo(s, '/events/data_series').every((x) => x.status === 200));
    const rows = storedRows(db);
    for (const event of s.events) {
      for (const unit of ['day', 'hour'] as const) {
        assertTruth(s, rows, event, unit, { from: started, to: Date.now() });
      }
    }
    assertBucketStarts(s, rows);
  });

  for (const [offset, minutes] of [
    ['+05:30', 330],
    ['-05:00', -300],
  ] as const) {
    it(`day buckets at ${offset} with --bucket-utc-offset ${offset}: sync stores exactly the ground truth (issue 12)`, async () => {
      const s = await standin({ dayOffsetMinutes: minutes, events: defaultEventNames(3) });
      const dir = tempDir();
      const db = join(dir, 's.db');
      const started = Date.now();
      const r = await cli(s, ['sync', '--db', db, '--bucket-utc-offset', offset], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const rows = storedRows(db);
      for (const event of s.events) {
        const n = assertTruth(s, rows, event, 'day', { from: started, to: Date.now() });
        // README: "The first run backfills from --since (default: 100 days …)"; whether
        // the current day is one of the 100 is the product's reading.
        assert.ok(n >= 100 && n <= 101, `${event}: ${n} days`);
      }
      // bucket_start is the local midnight where the stand-in started each day.
      assertBucketStarts(s, rows);
      assert.ok(
        rows.every((x) => new Date(x.bucketStart).getUTCMinutes() === ((-minutes % 60) + 60) % 60),
      );
    });
  }

  for (const form of ['Z', '+00:00', 'fractional'] as const satisfies readonly HourTimeForm[]) {
    it(`hour time written as ${form}: sync stores it as sent, at the right instant, and series prints it`, async () => {
      const s = await standin({ hourTimeForm: form, events: defaultEventNames(2) });
      const dir = tempDir();
      const db = join(dir, 's.db');
      const started = Date.now();
      const r = await cli(s, ['sync', '--db', db, '--unit', 'hour'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const rows = storedRows(db);
      for (const event of s.events) {
        assertTruth(s, rows, event, 'hour', { from: started, to: Date.now() });
      }
      assertBucketStarts(s, rows);

      const seriesStarted = Date.now();
      const series = await cli(s, 'series standin-event-001 --unit hour --length 5 --format csv');
      assert.equal(series.code, 0, series.stderr);
      const printed = parseCsv(series.stdout);
      assert.equal(printed.length, 5);
      assertTruth(s, printed, 'standin-event-001', 'hour', { from: seriesStarted, to: Date.now() });
    });
  }

  for (const hourBuckets of ['local', 'utc'] as const) {
    it(`hour buckets on ${hourBuckets} hours at +05:30 with --hour-buckets ${hourBuckets}: sync stores the ground truth (issue 12 item 3)`, async () => {
      const s = await standin({ dayOffsetMinutes: 330, hourBuckets, events: defaultEventNames(2) });
      const dir = tempDir();
      const db = join(dir, 's.db');
      const started = Date.now();
      const r = await cli(
        s,
        `sync --db ${db} --unit day,hour --bucket-utc-offset +05:30 --hour-buckets ${hourBuckets}`,
        { cwd: dir },
      );
      assert.equal(r.code, 0, r.stderr);
      const rows = storedRows(db);
      for (const event of s.events) {
        for (const unit of ['day', 'hour'] as const) {
          assertTruth(s, rows, event, unit, { from: started, to: Date.now() });
        }
      }
      assertBucketStarts(s, rows);
      const minutes = hourBuckets === 'local' ? 30 : 0;
      assert.ok(
        rows
          .filter((x) => x.unit === 'hour')
          .every((x) => new Date(x.bucketStart).getUTCMinutes() === minutes),
      );
    });
  }

  it('duplicated x-ratelimit-* headers: sync still stores the ground truth', async () => {
    const s = await standin({ duplicateHeaders: true, events: defaultEventNames(3) });
    const dir = tempDir();
    const db = join(dir, 's.db');
    const started = Date.now();
    const r = await cli(s, ['sync', '--db', db], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const rows = storedRows(db);
    for (const event of s.events)
      assertTruth(s, rows, event, 'day', { from: started, to: Date.now() });
  });
});

describe('product vs stand-in: export and list', () => {
  it('an edge HTML 502 on a series is retried: export --all writes the ground truth', async () => {
    const s = await standin({ edge502: { after: 2, times: 2 }, events: defaultEventNames(6) });
    const started = Date.now();
    const r = await cli(s, ['export', '--all', '--length', '4', '--concurrency', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(requestsTo(s, '/events/data_series').filter((x) => x.status === 502).length, 2);
    const rows = parseCsv(r.stdout);
    for (const event of s.events) {
      assert.equal(assertTruth(s, rows, event, 'day', { from: started, to: Date.now() }), 4);
    }
  });

  it('list: 600 names over pages 0, 1, 2 of /events/list, each printed once', async () => {
    const s = await standin({ events: defaultEventNames(600) });
    const r = await cli(s, ['list']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').filter(Boolean), s.events);
    assert.deepEqual(
      requestsTo(s, '/events/list').map((x) => x.query.page ?? '0'),
      ['0', '1', '2'],
    );
  });

  it('list --details follows the Link header of GET /events to the last page', async () => {
    const s = await standin({ events: defaultEventNames(120) });
    const r = await cli(s, ['list', '--details', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as Array<{ name: string }>;
    assert.deepEqual(
      printed.map((e) => e.name),
      s.events,
    );
    assert.equal(requestsTo(s, '/events').length, 3);
  });
});

describe('product vs stand-in: the library', () => {
  it('eventSeries over 150 days at +05:30: every local day once, the ground truth', async () => {
    const s = await standin({ dayOffsetMinutes: 330 });
    const client = createBrazeClient({
      apiKey: s.apiKey,
      endpoint: s.url,
      bucketUtcOffsetMinutes: 330,
    });
    const since = '2026-05-01';
    const until = '2026-09-28';
    const got = [];
    for await (const b of client.eventSeries({ event: 'E', unit: 'day', since, until }))
      got.push(b);
    assert.equal(got.length, 150);
    for (const [i, b] of got.entries()) {
      const start = Date.UTC(2026, 4, 1) - 330 * 60_000 + i * 86_400_000;
      assert.equal(b.bucketStart.getTime(), start, b.time);
      assert.equal(b.time, s.timeOf('day', start));
      assert.equal(b.count, standinCount('E', 'day', start));
    }
    assert.equal(requestsTo(s, '/events/data_series').length, 2);
  });
});
