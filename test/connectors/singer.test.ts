/**
 * The Singer tap in-process against the emulator (fixed clock): every message valid under
 * Singer's format, discovery, a full run equal to the ground truth, bookmarks per series, and
 * an incremental run costing one data_series request per series.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CountRecord } from '../../src/connectors/streams.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { bucketsAgo, clock } from '../sync/harness.js';
import { airbyteFiles, assertRecordsAreGroundTruth, runSingerInProcess } from './harness.js';
import { assertSingerCatalog, type Message, recordValidator } from './protocol.js';

const KEY = 'singer-test-key-8e1f2a-secret';

/** The discovered catalog with some streams selected, as Meltano writes it. */
function select(catalog: { streams: Message[] }, names: string[], fullTable: string[] = []) {
  return {
    streams: catalog.streams.map((s) => ({
      ...s,
      metadata: (s.metadata as Message[]).map((m) =>
        m.breadcrumb.length === 0
          ? {
              ...m,
              metadata: {
                ...m.metadata,
                selected: names.includes(s.tap_stream_id),
                ...(fullTable.includes(s.tap_stream_id)
                  ? { 'replication-method': 'FULL_TABLE' }
                  : {}),
              },
            }
          : m,
      ),
    })),
  };
}

describe('singer tap (in-process, emulator)', () => {
  let emulator: Emulator;
  let dir: string;
  let n = 0;
  const files = (f: Parameters<typeof airbyteFiles>[2]) => airbyteFiles(dir, `singer${n++}`, f);
  const config = (extra: Record<string, unknown> = {}) => ({
    api_key: KEY,
    endpoint: emulator.url,
    start_date: new Date(bucketsAgo('day', 20)).toISOString().slice(0, 10),
    units: ['day', 'hour'],
    ...extra,
  });
  let catalog: { streams: Message[] };

  before(async () => {
    emulator = await startEmulator({
      seed: 44,
      events: 6,
      port: 0,
      now: clock,
      keys: [{ key: KEY }],
    });
    dir = await mkdtemp(join(tmpdir(), 'braze-events-singer-'));
  });
  after(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('--discover: the three streams, their keys and replication metadata', async () => {
    const run = await runSingerInProcess(emulator, await files({ config: config() }), true);
    assert.equal(run.code, 0, run.stderr);
    catalog = JSON.parse(run.stdout);
    assertSingerCatalog(catalog);
    assert.deepEqual(
      catalog.streams.map((s) => [
        s.tap_stream_id,
        s.key_properties,
        s.replication_method,
        s.replication_key,
      ]),
      [
        ['events', ['name'], 'FULL_TABLE', undefined],
        [
          'event_counts_daily',
          ['event', 'app_id', 'segment_id', 'bucket_start'],
          'INCREMENTAL',
          'bucket_start',
        ],
        [
          'event_counts_hourly',
          ['event', 'app_id', 'segment_id', 'bucket_start'],
          'INCREMENTAL',
          'bucket_start',
        ],
      ],
    );
    assert.equal(emulator.requests().length, 0, 'discovery sends nothing to Braze');
  });

  test('a run equals the ground truth; the next, from its state, one request per series', async () => {
    const events = emulator.eventNames();
    const selected = select(catalog, ['events', 'event_counts_daily', 'event_counts_hourly']);
    const first = await runSingerInProcess(
      emulator,
      await files({ config: config(), catalog: selected }),
    );
    assert.equal(first.code, 0, first.stderr);
    assert.ok(!first.stdout.includes(KEY) && !first.stderr.includes(KEY));
    // A SCHEMA before any RECORD of its stream.
    const schemaAt = new Map<string, number>();
    first.messages.forEach((m, i) => {
      if (m.type === 'SCHEMA' && !schemaAt.has(m.stream)) schemaAt.set(m.stream, i);
      if (m.type === 'RECORD')
        assert.ok(
          (schemaAt.get(m.stream) ?? Infinity) < i,
          `RECORD of ${m.stream} before its SCHEMA`,
        );
    });
    const validators = new Map(
      first.messages
        .filter((m) => m.type === 'SCHEMA')
        .map((m) => [m.stream as string, recordValidator(m.schema)]),
    );
    const records = (stream: string, messages: Message[]) =>
      messages
        .filter((m) => m.type === 'RECORD' && m.stream === stream)
        .map((m) => {
          validators.get(stream)!(m.record);
          assert.match(m.time_extracted, /^\d{4}-\d\d-\d\dT/);
          return m.record as CountRecord;
        });
    assert.deepEqual(
      (records('events', first.messages) as unknown as { name: string }[])
        .map((r) => r.name)
        .sort(),
      [...events].sort(),
    );
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

    const state = first.messages.filter((m) => m.type === 'STATE').at(-1)!.value;
    assert.deepEqual(Object.keys(state.bookmarks).sort(), [
      'event_counts_daily',
      'event_counts_hourly',
    ]);
    assert.equal(state.bookmarks.event_counts_daily.series.length, events.length);
    assert.equal(
      state.bookmarks.event_counts_hourly.series[0].synced_through,
      new Date(bucketsAgo('hour', 0)).toISOString(),
    );

    emulator.clearRequests();
    const second = await runSingerInProcess(
      emulator,
      await files({ config: config(), catalog: selected, state }),
    );
    assert.equal(second.code, 0, second.stderr);
    const sent = emulator.requests().filter((r) => r.path === '/events/data_series');
    assert.equal(sent.length, events.length * 2);
    assert.equal(
      new Set(sent.map((r) => `${r.query.event}/${r.query.unit}`)).size,
      events.length * 2,
    );
  });

  test('FULL_TABLE reads from start_date again; unselected streams are not read; bad input exits 2', async () => {
    const selected = select(catalog, ['event_counts_daily'], ['event_counts_daily']);
    const state = {
      bookmarks: { event_counts_daily: { bucket_utc_offset: '+00:00', series: [] } },
    };
    const run = await runSingerInProcess(
      emulator,
      await files({ config: config(), catalog: selected, state }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      [...new Set(run.messages.filter((m) => m.type !== 'STATE').map((m) => m.stream))],
      ['event_counts_daily'],
    );
    assert.equal(
      run.messages.filter((m) => m.type === 'RECORD').length,
      emulator.eventNames().length * 21,
    );

    const bad = await runSingerInProcess(
      emulator,
      await files({ config: config({ units: ['week'] }) }),
    );
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^CRITICAL config: units must be/m);
  });
});
