/**
 * The Airbyte source in-process against the emulator (fixed clock): every message valid
 * under the protocol's definitions, a full read equal to the ground truth, an incremental
 * read costing one data_series request per series, and the check's statuses.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CONFIG_SCHEMA } from '../../src/connectors/config.js';
import type { CountRecord } from '../../src/connectors/streams.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { bucketsAgo, clock } from '../sync/harness.js';
import {
  airbyteFiles,
  assertRecordsAreGroundTruth,
  configuredCatalog,
  runInProcess,
} from './harness.js';
import { createAjv, type Message, recordValidator } from './protocol.js';

const KEY = 'airbyte-test-key-51c0e7-secret';
const LIST_ONLY = 'airbyte-list-only-key-9a';
const NO_DETAILS = 'airbyte-no-details-key-3c';
const DAYS = 130;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

describe('airbyte source (in-process, emulator)', () => {
  let emulator: Emulator;
  let dir: string;
  let n = 0;
  const config = (extra: Record<string, unknown> = {}) => ({
    api_key: KEY,
    endpoint: emulator.url,
    start_date: day(bucketsAgo('day', DAYS)),
    ...extra,
  });
  const files = (f: Parameters<typeof airbyteFiles>[2]) => airbyteFiles(dir, `run${n++}`, f);

  before(async () => {
    emulator = await startEmulator({
      seed: 31,
      events: 7,
      port: 0,
      now: clock,
      keys: [
        { key: KEY },
        { key: LIST_ONLY, permissions: ['events.list'] },
        { key: NO_DETAILS, permissions: ['events.list', 'events.data_series'] },
      ],
    });
    dir = await mkdtemp(join(tmpdir(), 'braze-events-airbyte-'));
  });
  after(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('spec: the configuration the issue lists, api_key secret, a valid JSON Schema', async () => {
    const { code, messages } = await runInProcess(emulator, 'spec', {});
    assert.equal(code, 0);
    assert.equal(messages.length, 1);
    const spec = messages[0]!.spec.connectionSpecification;
    assert.deepEqual(spec, JSON.parse(JSON.stringify(CONFIG_SCHEMA)));
    assert.deepEqual(Object.keys(spec.properties).sort(), [
      'api_key',
      'app_ids',
      'bucket_utc_offset',
      'endpoint',
      'event_glob',
      'events',
      'hour_buckets',
      'lookback_days',
      'lookback_hours',
      'max_share_of_limit',
      'segment_ids',
      'start_date',
      'units',
    ]);
    assert.equal(spec.properties.api_key.airbyte_secret, true);
    assert.deepEqual(spec.required, ['api_key', 'endpoint', 'start_date']);
    const validate = createAjv().compile(spec);
    assert.equal(validate(config({ units: ['day', 'hour'], lookback_days: 3 })), true);
    assert.equal(validate({ ...config(), start_date: '2026/01/01' }), false);
    assert.equal(validate({ ...config(), units: ['week'] }), false);
  });

  test('discover: three streams with their keys, cursor and sync modes', async () => {
    // Both units: a count stream of a unit not in `units` is not offered (units-status.test.ts).
    const { code, messages } = await runInProcess(
      emulator,
      'discover',
      await files({ config: config({ units: ['day', 'hour'] }) }),
    );
    assert.equal(code, 0);
    assert.equal(messages.length, 1);
    const streams = messages[0]!.catalog.streams as Message[];
    assert.deepEqual(
      streams.map((s) => [
        s.name,
        s.supported_sync_modes,
        s.source_defined_primary_key,
        s.default_cursor_field,
      ]),
      [
        ['events', ['full_refresh'], [['name']], undefined],
        [
          'event_counts_daily',
          ['full_refresh', 'incremental'],
          [['event'], ['app_id'], ['segment_id'], ['bucket_start']],
          ['bucket_start'],
        ],
        [
          'event_counts_hourly',
          ['full_refresh', 'incremental'],
          [['event'], ['app_id'], ['segment_id'], ['bucket_start']],
          ['bucket_start'],
        ],
      ],
    );
    for (const s of streams.slice(1)) assert.equal(s.source_defined_cursor, true);
    // Discover sends nothing to Braze: the streams do not depend on the workspace.
    assert.equal(emulator.requests().length, 0);
  });

  test('check: SUCCEEDED; FAILED naming the missing permission; the key never printed', async () => {
    const ok = await runInProcess(emulator, 'check', await files({ config: config() }));
    assert.equal(ok.code, 0);
    assert.deepEqual(
      ok.messages.map((m) => m.type),
      ['CONNECTION_STATUS'],
    );
    assert.equal(ok.messages[0]!.connectionStatus.status, 'SUCCEEDED');

    const noDetails = await runInProcess(
      emulator,
      'check',
      await files({ config: config({ api_key: NO_DETAILS }) }),
    );
    assert.equal(noDetails.messages[0]!.connectionStatus.status, 'SUCCEEDED');
    assert.match(noDetails.messages[0]!.connectionStatus.message, /events\.get/);

    const listOnly = await runInProcess(
      emulator,
      'check',
      await files({ config: config({ api_key: LIST_ONLY }) }),
    );
    assert.equal(listOnly.code, 0);
    assert.equal(listOnly.messages[0]!.connectionStatus.status, 'FAILED');
    assert.match(listOnly.messages[0]!.connectionStatus.message, /403/);

    const wrong = await runInProcess(
      emulator,
      'check',
      await files({ config: config({ api_key: 'wrong-key-e0f1d2c3' }) }),
    );
    assert.equal(wrong.messages[0]!.connectionStatus.status, 'FAILED');
    assert.match(wrong.messages[0]!.connectionStatus.message, /401/);
    for (const out of [ok, noDetails, listOnly, wrong]) {
      for (const secret of [KEY, LIST_ONLY, NO_DETAILS, 'wrong-key-e0f1d2c3']) {
        assert.ok(!out.stdout.includes(secret), 'a key was printed');
      }
    }

    const bad = await runInProcess(
      emulator,
      'check',
      await files({ config: config({ start_date: 'yesterday' }) }),
    );
    assert.equal(bad.messages[0]!.connectionStatus.status, 'FAILED');
    assert.match(bad.messages[0]!.connectionStatus.message, /start_date/);
  });

  test('read: every stream equals the ground truth; then one data_series request per series', async () => {
    const events = emulator.eventNames();
    const catalog = configuredCatalog(['events', 'event_counts_daily', 'event_counts_hourly']);
    const cfg = config({ units: ['day', 'hour'], start_date: day(bucketsAgo('day', 20)) });
    emulator.clearRequests();
    const first = await runInProcess(emulator, 'read', await files({ config: cfg, catalog }));
    assert.equal(first.code, 0, first.stdout.slice(-500));
    const schemas = new Map(
      catalog.streams.map((s) => [
        s.stream.name as string,
        recordValidator(s.stream.json_schema as object),
      ]),
    );
    const records = (stream: string, messages: typeof first.messages) =>
      messages
        .filter((m) => m.type === 'RECORD' && m.record.stream === stream)
        .map((m) => {
          schemas.get(stream)!(m.record.data);
          return m.record.data as CountRecord;
        });

    // The events stream: every name once, with details.
    const names = records('events', first.messages) as unknown as {
      name: string;
      status: string | null;
    }[];
    assert.deepEqual(names.map((r) => r.name).sort(), [...events].sort());
    assert.ok(names.every((r) => typeof r.status === 'string'));

    assertRecordsAreGroundTruth(
      emulator,
      records('event_counts_daily', first.messages),
      'day',
      events,
      bucketsAgo('day', 20),
    );
    assertRecordsAreGroundTruth(
      emulator,
      records('event_counts_hourly', first.messages),
      'hour',
      events,
      bucketsAgo('day', 20),
    );

    // Each STATE counts exactly the records of its stream since the previous one.
    const counted = new Map<string, number>();
    let sinceState = new Map<string, number>();
    for (const m of first.messages) {
      if (m.type === 'RECORD')
        sinceState.set(m.record.stream, (sinceState.get(m.record.stream) ?? 0) + 1);
      if (m.type === 'STATE') {
        const name = m.state.stream.stream_descriptor.name as string;
        assert.equal(m.state.type, 'STREAM');
        assert.equal(m.state.sourceStats.recordCount, sinceState.get(name) ?? 0);
        counted.set(name, (counted.get(name) ?? 0) + m.state.sourceStats.recordCount);
        sinceState = new Map([...sinceState].filter(([k]) => k !== name));
      }
    }
    assert.equal(
      counted.get('event_counts_daily'),
      records('event_counts_daily', first.messages).length,
    );
    // No error; each stream's status goes STARTED, RUNNING (first record), COMPLETE.
    const traces = first.messages.filter((m) => m.type === 'TRACE');
    assert.ok(traces.every((m) => m.trace.type === 'STREAM_STATUS'));
    for (const name of ['events', 'event_counts_daily', 'event_counts_hourly']) {
      assert.deepEqual(
        traces
          .filter((m) => m.trace.stream_status.stream_descriptor.name === name)
          .map((m) => m.trace.stream_status.status),
        ['STARTED', 'RUNNING', 'COMPLETE'],
      );
    }
    assert.equal(first.messages.at(-1)!.trace?.stream_status?.status, 'COMPLETE');

    // Second read with the last state of each stream, as Airbyte passes it.
    const last = new Map<string, unknown>();
    for (const m of first.messages)
      if (m.type === 'STATE') last.set(m.state.stream.stream_descriptor.name, m.state);
    const state = [...last.values()];
    const latest = (last.get('event_counts_daily') as Message).stream.stream_state;
    assert.equal(latest.bucket_utc_offset, '+00:00');
    assert.equal(latest.series.length, events.length);
    assert.equal(latest.series[0].synced_through, new Date(bucketsAgo('day', 0)).toISOString());

    emulator.clearRequests();
    const second = await runInProcess(
      emulator,
      'read',
      await files({ config: cfg, catalog, state }),
    );
    assert.equal(second.code, 0, second.stdout.slice(-500));
    const series = emulator.requests().filter((r) => r.path === '/events/data_series');
    assert.equal(series.length, events.length * 2, 'one data_series request per series');
    const perSeries = new Map<string, number>();
    for (const r of series) {
      const k = `${r.query.event}/${r.query.unit}`;
      perSeries.set(k, (perSeries.get(k) ?? 0) + 1);
    }
    assert.ok(
      [...perSeries.values()].every((c) => c === 1),
      JSON.stringify([...perSeries]),
    );
    // The lookback: today + 14 days and this hour + 48 hours re-read, not the history.
    assert.deepEqual([...new Set(series.map((r) => `${r.query.unit}:${r.query.length}`))].sort(), [
      'day:15',
      'hour:49',
    ]);
    // Re-read buckets equal the ground truth too.
    assertRecordsAreGroundTruth(
      emulator,
      records('event_counts_daily', second.messages),
      'day',
      events,
      bucketsAgo('day', 14),
    );
  });

  test('read: the lookback of a later read never reaches before start_date', async () => {
    const catalog = configuredCatalog(['event_counts_daily']);
    const start = bucketsAgo('day', 3);
    const cfg = config({ units: ['day'], start_date: day(start) });
    const first = await runInProcess(emulator, 'read', await files({ config: cfg, catalog }));
    assert.equal(first.code, 0, first.stdout.slice(-500));
    const state = first.messages.filter((m) => m.type === 'STATE').map((m) => m.state);
    emulator.clearRequests();
    const second = await runInProcess(
      emulator,
      'read',
      await files({ config: cfg, catalog, state: [state.at(-1)] }),
    );
    assert.equal(second.code, 0, second.stdout.slice(-500));
    const starts = second.messages
      .filter((m) => m.type === 'RECORD')
      .map((m) => Date.parse((m.record.data as CountRecord).bucket_start));
    assert.ok(starts.length > 0);
    assert.equal(Math.min(...starts), start);
    const lengths = emulator
      .requests()
      .filter((r) => r.path === '/events/data_series')
      .map((r) => r.query.length);
    assert.deepEqual([...new Set(lengths)], ['4']); // start_date's day, two more, today
  });

  test('read: full_refresh ignores the state; filters become series', async () => {
    const apps = emulator
      .apps()
      .slice(0, 2)
      .map((a) => a.id);
    const events = emulator.eventNames().slice(0, 2);
    const cfg = config({ events, app_ids: apps, start_date: day(bucketsAgo('day', 4)) });
    const catalog = configuredCatalog(['event_counts_daily'], 'full_refresh');
    emulator.clearRequests();
    const run = await runInProcess(emulator, 'read', await files({ config: cfg, catalog }));
    assert.equal(run.code, 0, run.stdout.slice(-400));
    const recs = run.messages
      .filter((m) => m.type === 'RECORD')
      .map((m) => m.record.data as CountRecord);
    assert.deepEqual(
      [...new Set(recs.map((r) => `${r.event}|${r.app_id}`))].sort(),
      events.flatMap((e) => apps.map((a) => `${e}|${a}`)).sort(),
    );
    assert.equal(recs.length, events.length * apps.length * 5);
    const sent = emulator.requests().filter((r) => r.path === '/events/data_series');
    assert.deepEqual([...new Set(sent.map((r) => r.query.app_id))].sort(), [...apps].sort());
  });

  test('read: failures are TRACE errors with a non-zero exit, nothing else on stdout', async () => {
    const catalog = configuredCatalog(['event_counts_daily']);
    const denied = await runInProcess(
      emulator,
      'read',
      await files({ config: config({ api_key: LIST_ONLY }), catalog }),
    );
    assert.equal(denied.code, 1);
    const trace = denied.messages.at(-1)!;
    assert.equal(trace.type, 'TRACE');
    assert.equal(trace.trace.type, 'ERROR');
    assert.equal(trace.trace.error.failure_type, 'config_error');
    assert.equal(denied.messages.at(-2)!.trace.stream_status.status, 'INCOMPLETE');
    assert.ok(!denied.stdout.includes(LIST_ONLY));

    const badState = await runInProcess(
      emulator,
      'read',
      await files({
        config: config(),
        catalog,
        state: [
          {
            type: 'STREAM',
            stream: {
              stream_descriptor: { name: 'event_counts_daily' },
              stream_state: { bucket_utc_offset: '-05:00', series: [] },
            },
          },
        ],
      }),
    );
    assert.equal(badState.code, 2);
    assert.match(badState.messages.at(-1)!.trace.error.message, /bucket_utc_offset -05:00/);

    const noCatalog = await runInProcess(emulator, 'read', await files({ config: config() }));
    assert.equal(noCatalog.code, 2);
    assert.match(noCatalog.messages.at(-1)!.trace.error.message, /--catalog FILE is required/);

    const unknown = await runInProcess(
      emulator,
      'read',
      await files({
        config: config(),
        catalog: {
          streams: [
            {
              stream: { name: 'campaigns' },
              sync_mode: 'full_refresh',
              destination_sync_mode: 'append',
            },
          ],
        },
      }),
    );
    assert.equal(unknown.code, 2);
    assert.match(unknown.messages.at(-1)!.trace.error.message, /unknown stream "campaigns"/);
  });
});
