/**
 * What the config's `units` leaves out (discover and read, Airbyte and Singer), and how an
 * Airbyte read that lost some series ends: a `transient_error`, streams read in full still
 * COMPLETE, every timestamp from the injected clock.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { runAirbyte } from '../../src/connectors/airbyte/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { bucketsAgo, clock, NOW, testClient } from '../sync/harness.js';
import {
  configuredCatalog,
  connectorFixture,
  runInProcess,
  runSingerInProcess,
  singerCatalog,
} from './harness.js';
import { airbyteMessages, type Message } from './protocol.js';

const KEY = 'connector-units-key-77e2';

describe('units, stream statuses and clocks', () => {
  const fx = connectorFixture({ seed: 12, events: 5, keys: [{ key: KEY }] });
  const files = fx.files;
  let emulator: Emulator;
  before(() => {
    emulator = fx.emulator();
  });
  const config = (extra: Record<string, unknown> = {}) => ({
    api_key: KEY,
    endpoint: emulator.url,
    start_date: new Date(bucketsAgo('day', 3)).toISOString().slice(0, 10),
    ...extra,
  });
  const streamsOf = (messages: Message[], type: string) => [
    ...new Set(
      messages
        .filter((m) => m.type === type)
        .map((m) => (type === 'RECORD' && m.record ? m.record.stream : m.stream)),
    ),
  ];

  test('airbyte, units ["day"]: no hourly stream discovered, none read though the catalog asks', async () => {
    const discover = await runInProcess(
      emulator,
      'discover',
      await files({ config: config({ units: ['day'] }) }),
    );
    assert.deepEqual(
      discover.messages[0]!.catalog.streams.map((s: Message) => s.name),
      ['events', 'event_counts_daily'],
    );
    const both = await runInProcess(
      emulator,
      'discover',
      await files({ config: config({ units: ['day', 'hour'] }) }),
    );
    assert.deepEqual(
      both.messages[0]!.catalog.streams.map((s: Message) => s.name),
      ['events', 'event_counts_daily', 'event_counts_hourly'],
    );

    emulator.clearRequests();
    const read = await runInProcess(
      emulator,
      'read',
      await files({
        config: config({ units: ['day'] }),
        catalog: configuredCatalog(['event_counts_daily', 'event_counts_hourly']),
      }),
    );
    assert.equal(read.code, 0, read.stdout.slice(-400));
    assert.deepEqual(streamsOf(read.messages, 'RECORD'), ['event_counts_daily']);
    const sent = emulator.requests().filter((r) => r.path === '/events/data_series');
    assert.deepEqual([...new Set(sent.map((r) => r.query.unit))], ['day']);
    assert.ok(
      read.messages.some(
        (m) => m.type === 'LOG' && /not read.*event_counts_hourly/.test(m.log.message),
      ),
    );
    assert.ok(
      read.messages.every(
        (m) =>
          m.type !== 'TRACE' ||
          m.trace.stream_status?.stream_descriptor.name !== 'event_counts_hourly',
      ),
      'no status for a stream not read',
    );
  });

  test('singer, units ["hour"]: no daily stream discovered; a run without a catalog reads no day buckets', async () => {
    const discover = await runSingerInProcess(
      emulator,
      await files({ config: config({ units: ['hour'] }) }),
      true,
    );
    assert.deepEqual(
      JSON.parse(discover.stdout).streams.map((s: Message) => s.tap_stream_id),
      ['events', 'event_counts_hourly'],
    );
    emulator.clearRequests();
    const run = await runSingerInProcess(
      emulator,
      await files({ config: config({ units: ['hour'] }) }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(streamsOf(run.messages, 'SCHEMA'), ['events', 'event_counts_hourly']);
    const units = emulator
      .requests()
      .filter((r) => r.path === '/events/data_series')
      .map((r) => r.query.unit);
    assert.ok(units.length > 0);
    assert.deepEqual([...new Set(units)], ['hour']);
    // time_extracted is the injected clock's.
    for (const m of run.messages.filter((x) => x.type === 'RECORD'))
      assert.equal(m.time_extracted, new Date(NOW).toISOString());

    const selectedDaily = await runSingerInProcess(
      emulator,
      await files({
        config: config({ units: ['hour'] }),
        catalog: singerCatalog(['event_counts_daily']),
      }),
    );
    assert.equal(selectedDaily.code, 0);
    assert.equal(selectedDaily.messages.filter((m) => m.type === 'RECORD').length, 0);
    assert.match(selectedDaily.stderr, /^WARN not read.*event_counts_daily$/m);
  });

  test('airbyte: some series failed → transient_error; streams read in full stay COMPLETE; times from the clock', async () => {
    const f = await files({
      config: config({ units: ['day', 'hour'] }),
      catalog: configuredCatalog(['events', 'event_counts_daily', 'event_counts_hourly']),
    });
    // The first data_series request (a daily series: day plans run first) fails for good.
    emulator.addFault({ kind: '500', route: 'dataSeries', count: 1 });
    let stdout = '';
    const code = await runAirbyte({
      command: 'read',
      ...f,
      writeLine: (line) => {
        stdout += line;
      },
      describeError: (e) => (e instanceof Error ? e.message : String(e)),
      createClient: (cfg) => testClient(emulator, { apiKey: cfg.apiKey(), maxRetries: 0 }),
      now: clock,
    });
    const messages = airbyteMessages(stdout);
    assert.equal(code, 1);
    const error = messages.at(-1)!;
    assert.equal(error.trace.type, 'ERROR');
    assert.equal(error.trace.error.failure_type, 'transient_error');
    assert.match(error.trace.error.message, /1 of 10 series failed/);
    const statuses = (name: string) =>
      messages
        .filter((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS')
        .filter((m) => m.trace.stream_status.stream_descriptor.name === name)
        .map((m) => m.trace.stream_status.status);
    assert.deepEqual(statuses('events'), ['STARTED', 'RUNNING', 'COMPLETE']);
    assert.deepEqual(statuses('event_counts_hourly'), ['STARTED', 'RUNNING', 'COMPLETE']);
    assert.deepEqual(statuses('event_counts_daily'), ['STARTED', 'RUNNING', 'INCOMPLETE']);
    // Every timestamp is the injected clock's, not the machine's.
    for (const m of messages) {
      if (m.type === 'RECORD') assert.equal(m.record.emitted_at, NOW);
      if (m.type === 'TRACE') assert.equal(m.trace.emitted_at, NOW);
    }
  });
});
