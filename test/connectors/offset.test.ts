/**
 * A read at a day-bucket offset (-05:00, the emulator's zone too): every record's
 * `bucket_start` is a local midnight, the counts are the ground truth, and the state
 * records the offset it was computed at.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatLocalDate } from '../../src/api/time.js';
import type { CountRecord } from '../../src/connectors/streams.js';
import { startEmulator } from '../../src/emulator/index.js';
import { clock, NOW } from '../sync/harness.js';
import { airbyteFiles, configuredCatalog, runInProcess } from './harness.js';

const KEY = 'connector-offset-key-6b1d';
const OFFSET = -300;

test('airbyte read at bucket_utc_offset -05:00: local days, the ground truth, the offset in state', async () => {
  const emulator = await startEmulator({
    seed: 8,
    events: 3,
    port: 0,
    now: clock,
    zoneOffsetMinutes: OFFSET,
    keys: [{ key: KEY }],
  });
  const dir = await mkdtemp(join(tmpdir(), 'braze-events-offset-'));
  try {
    // Ten local days: nine before today (at -05:00) and today, in one request each.
    const start = formatLocalDate(NOW - 9 * 86_400_000, OFFSET);
    const files = await airbyteFiles(dir, 'offset', {
      config: {
        api_key: KEY,
        endpoint: emulator.url,
        start_date: start,
        bucket_utc_offset: '-05:00',
      },
      catalog: configuredCatalog(['event_counts_daily']),
    });
    const run = await runInProcess(emulator, 'read', files);
    assert.equal(run.code, 0, run.stdout.slice(-400));
    const records = run.messages
      .filter((m) => m.type === 'RECORD')
      .map((m) => m.record.data as CountRecord);
    for (const event of emulator.eventNames()) {
      const got = records.filter((r) => r.event === event);
      const want = emulator.groundTruth({ event, unit: 'day', length: 10, endingAt: NOW });
      assert.deepEqual(
        got.map((r) => ({ time: r.time, count: r.count })),
        want,
        `${event} differs from the ground truth`,
      );
      assert.equal(got[0]!.time, start);
      for (const r of got)
        assert.match(r.bucket_start, /T05:00:00\.000Z$/, 'a local midnight at -05:00');
    }
    const state = run.messages.filter((m) => m.type === 'STATE').at(-1)!.state.stream.stream_state;
    assert.equal(state.bucket_utc_offset, '-05:00');
    assert.equal(state.series[0].stored_from, `${start}T05:00:00.000Z`);
    assert.equal(emulator.requests().filter((r) => r.path === '/events/data_series').length, 3);
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
});
