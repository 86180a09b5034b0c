/**
 * Whether a stream is read incrementally is the STREAMS table's `incremental` flag, for
 * both connectors: flipping the flag (restored afterwards) flips what they decide.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfiguredCatalog } from '../../src/connectors/airbyte/run.js';
import { selectedStreams } from '../../src/connectors/singer/tap.js';
import { EVENTS_STREAM, STREAMS } from '../../src/connectors/streams.js';

function withFlag(name: string, incremental: boolean, fn: () => void) {
  const info = STREAMS.find((s) => s.name === name)!;
  const before = info.incremental;
  info.incremental = incremental;
  try {
    fn();
  } finally {
    info.incremental = before;
  }
}

const singerCatalog = (name: string) => ({
  streams: [{ tap_stream_id: name, metadata: [{ breadcrumb: [], metadata: { selected: true } }] }],
});
const airbyteCatalog = (name: string) => ({
  streams: [{ stream: { name }, sync_mode: 'incremental' }],
});

test('singer: a selected stream is incremental exactly when the table says so', () => {
  assert.deepEqual(selectedStreams(singerCatalog('event_counts_daily')), [
    { name: 'event_counts_daily', incremental: true },
  ]);
  assert.deepEqual(selectedStreams(singerCatalog(EVENTS_STREAM)), [
    { name: EVENTS_STREAM, incremental: false },
  ]);
  withFlag('event_counts_daily', false, () =>
    assert.deepEqual(selectedStreams(singerCatalog('event_counts_daily')), [
      { name: 'event_counts_daily', incremental: false },
    ]),
  );
  withFlag(EVENTS_STREAM, true, () =>
    assert.deepEqual(selectedStreams(singerCatalog(EVENTS_STREAM)), [
      { name: EVENTS_STREAM, incremental: true },
    ]),
  );
});

test('airbyte: incremental is refused for a stream the table marks full refresh only', () => {
  assert.throws(() => parseConfiguredCatalog(airbyteCatalog(EVENTS_STREAM)), /full_refresh only/);
  withFlag('event_counts_hourly', false, () =>
    assert.throws(
      () => parseConfiguredCatalog(airbyteCatalog('event_counts_hourly')),
      /event_counts_hourly supports full_refresh only/,
    ),
  );
  withFlag(EVENTS_STREAM, true, () =>
    assert.deepEqual(parseConfiguredCatalog(airbyteCatalog(EVENTS_STREAM)), [
      { name: EVENTS_STREAM, syncMode: 'incremental' },
    ]),
  );
});
