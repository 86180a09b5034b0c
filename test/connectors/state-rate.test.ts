/**
 * STATE messages at a bounded rate: a read of many series emits a handful of states (each
 * listing every series), not one per window, so its output grows with the series, not with
 * their square; and a read stopped after any of them resumes onto the ground truth.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConnectorConfig } from '../../src/connectors/config.js';
import { type ReadSink, readStreams, STATES_PER_PASS } from '../../src/connectors/read.js';
import type { CountStreamState } from '../../src/connectors/state.js';
import type { CountRecord } from '../../src/connectors/streams.js';
import { startEmulator } from '../../src/emulator/index.js';
import { bucketsAgo, clock, NOW, testClient } from '../sync/harness.js';
import { assertRecordsAreGroundTruth } from './harness.js';

const KEY = 'connector-state-rate-key-4f0a';
const SERIES = 600;

type Out = { kind: 'record'; data: CountRecord } | { kind: 'state'; state: CountStreamState };

function collector(): { sink: ReadSink; out: Out[] } {
  const out: Out[] = [];
  return {
    out,
    sink: {
      record: (_stream, data) => out.push({ kind: 'record', data: data as CountRecord }),
      // A copy: the sink must not see the reader's later changes.
      state: (_stream, state) => out.push({ kind: 'state', state: structuredClone(state) }),
      log: () => {},
    },
  };
}

test(`${SERIES} series: at most ${STATES_PER_PASS} + 1 STATE messages, and a resume from one of them ends on the ground truth`, async () => {
  const emulator = await startEmulator({
    seed: 5,
    events: SERIES,
    port: 0,
    now: clock,
    keys: [{ key: KEY }],
  });
  try {
    const from = bucketsAgo('day', 20);
    const config = parseConnectorConfig(
      {
        api_key: KEY,
        endpoint: emulator.url,
        start_date: new Date(from).toISOString().slice(0, 10),
      },
      NOW,
    );
    const client = testClient(emulator, { apiKey: KEY });
    const first = collector();
    await readStreams({
      client,
      config,
      streams: ['event_counts_daily'],
      sink: first.sink,
      now: clock,
    });
    const states = first.out.filter((o) => o.kind === 'state').map((o) => o.state);
    const bytes = states.map((s) => JSON.stringify(s).length);
    const last = states.at(-1)!;
    assert.equal(last.series.length, SERIES, 'the last state lists every series');
    assert.equal(first.out.at(-1)!.kind, 'state', 'the stream ends with its state');
    // One state per window would be SERIES states of up to SERIES bookmarks each.
    assert.ok(
      states.length <= STATES_PER_PASS + 1,
      `${states.length} STATE messages for ${SERIES} series`,
    );
    const total = bytes.reduce((a, b) => a + b, 0);
    assert.ok(
      total <= (STATES_PER_PASS + 1) * bytes.at(-1)!,
      `${total} bytes of state for ${SERIES} series (the last one: ${bytes.at(-1)})`,
    );
    assert.ok(states.length >= 3, 'states come during the read too, not only at its end');

    // Stopped right after the third state: what came before it is committed, and a read
    // resumed from it brings the rest.
    const third = first.out.findIndex(
      (o, i) =>
        o.kind === 'state' &&
        first.out.slice(0, i + 1).filter((x) => x.kind === 'state').length === 3,
    );
    const committed = first.out
      .slice(0, third + 1)
      .flatMap((o) => (o.kind === 'record' ? [o.data] : []));
    const resumedFrom = (first.out[third] as { state: CountStreamState }).state;
    assert.ok(resumedFrom.series.length < SERIES, 'the third state is mid-read');
    emulator.clearRequests();
    const second = collector();
    await readStreams({
      client,
      config,
      streams: ['event_counts_daily'],
      states: { event_counts_daily: resumedFrom },
      sink: second.sink,
      now: clock,
    });
    for (const o of second.out) if (o.kind === 'record') committed.push(o.data);
    assertRecordsAreGroundTruth(emulator, committed, 'day', emulator.eventNames(), from);
  } finally {
    await emulator.close();
  }
});
