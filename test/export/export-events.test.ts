/**
 * The export library against the emulator: ground-truth rows, deterministic order,
 * bounded concurrency, long ranges split, filters, and nothing fetched after an error.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/client.js';
import { EventSelectionError } from '../../src/core/selection.js';
import type { BrazeClient } from '../../src/core/types.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  type ExportProgress,
  exportEvents,
  exportRows,
  lengthAsSpan,
  resolveEventNames,
} from '../../src/export/index.js';
import { parseCsv } from './csv-parse.js';

const KEY = 'TESTKEY-export-lib-91aa';
const ENDING = '2026-11-01';
let emulator: Emulator;
let client: BrazeClient;

before(async () => {
  emulator = await startEmulator({ port: 0, events: 80, keys: [{ key: KEY }] });
  client = createBrazeClient({ apiKey: KEY, endpoint: emulator.url, maxRetries: 1 });
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
});
after(() => emulator?.close());

function collector() {
  const chunks: string[] = [];
  return { sink: (c: string) => void chunks.push(c), text: () => chunks.join(''), chunks };
}

describe('exportEvents', () => {
  test('every event, sorted, rows equal to the ground truth', async () => {
    const out = collector();
    const progress: ExportProgress[] = [];
    const summary = await exportEvents(
      client,
      { length: 5, endingAt: ENDING, concurrency: 3, onProgress: (p) => progress.push(p) },
      'csv',
      out.sink,
    );
    const names = [...emulator.eventNames()].sort();
    assert.deepEqual(summary, {
      events: names.length,
      rows: names.length * 5,
      format: 'csv',
      failures: [],
    });
    const expected = names.flatMap((event) =>
      emulator
        .groundTruth({ event, length: 5, endingAt: ENDING })
        .map((p) => [event, 'day', p.time, String(p.count)]),
    );
    assert.deepEqual(parseCsv(out.text()).slice(1), expected);
    assert.equal(progress.length, names.length + 1);
    assert.deepEqual(progress[0], { eventsDone: 0, eventsTotal: names.length, rows: 0 });
    assert.equal(progress.at(-1)!.eventsDone, names.length);
  });

  test('a Node writable sink with backpressure gets the same bytes', async () => {
    const { PassThrough } = await import('node:stream');
    const stream = new PassThrough({ highWaterMark: 16 });
    const chunks: Buffer[] = [];
    const reading = (async () => {
      for await (const c of stream) {
        chunks.push(c as Buffer);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await exportEvents(
      client,
      { match: 'Purchase*', length: 3, endingAt: ENDING },
      'ndjson',
      stream,
    );
    stream.end();
    await reading;
    const rows = Buffer.concat(chunks)
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.event.startsWith('Purchase')));
  });

  test('names and a glob that select nothing together are refused, not an empty export', async () => {
    const out = collector();
    await assert.rejects(
      exportEvents(
        client,
        { events: ['Café Visit'], match: 'Zzz*', length: 3, endingAt: ENDING },
        'csv',
        out.sink,
      ),
      (e: unknown) => e instanceof EventSelectionError && e.option === 'match',
    );
    assert.equal(out.text(), '');
  });

  test('length above 100 is split and equals Braze`s own last buckets', async () => {
    const rows = [];
    for await (const r of exportRows(client, {
      events: ['Café Visit'],
      length: 150,
      endingAt: ENDING,
    })) {
      rows.push(r);
    }
    assert.equal(rows.length, 150);
    const truth = emulator.groundTruth({ event: 'Café Visit', length: 100, endingAt: ENDING });
    assert.deepEqual(
      rows.slice(-100).map((r) => [r.time, r.count]),
      truth.map((p) => [p.time, p.count]),
    );
    const times = rows.map((r) => Date.parse(r.time));
    assert.ok(
      times.every((t, i) => i === 0 || t - times[i - 1]! === 86_400_000),
      'no gap',
    );
  });

  test('lengthAsSpan: the same buckets as Braze`s length/ending_at', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    assert.equal(lengthAsSpan({ length: 3 }, now).since.toISOString(), '2026-11-25T00:00:00.000Z');
    const s = lengthAsSpan({ length: 3, endingAt: '2026-11-01' }, now);
    assert.equal(s.since.toISOString(), '2026-10-29T00:00:00.000Z');
    assert.equal(s.until, '2026-11-01');
    const h = lengthAsSpan({ length: 2, unit: 'hour', endingAt: '2026-11-01T05:30:00Z' }, now);
    assert.equal(h.since.toISOString(), '2026-11-01T04:00:00.000Z');
  });

  test('app and segment filters reach Braze and add columns', async () => {
    const appId = emulator.apps()[0]!.id;
    const out = collector();
    await exportEvents(
      client,
      { events: ['add_to_cart'], length: 2, endingAt: ENDING, appId },
      'json',
      out.sink,
    );
    const rows = JSON.parse(out.text());
    assert.deepEqual(Object.keys(rows[0]), ['event', 'unit', 'time', 'count', 'app_id']);
    assert.ok(emulator.requests().every((q) => q.query.app_id === appId));
  });

  test('names: de-duplicated, glob-filtered, code-unit sorted', async () => {
    const names = await resolveEventNames(client, {
      events: ['b', 'a', 'B', 'a', 'ä', 'c'],
      match: ['[abä]', 'B'],
    });
    assert.deepEqual(names, ['B', 'a', 'b', 'ä']);
  });

  test('an error stops the export: no rows after it, requests stop', async () => {
    emulator.addFault({ kind: '500', route: 'dataSeries', count: 100 });
    const out = collector();
    await assert.rejects(
      exportEvents(client, { length: 2, endingAt: ENDING, concurrency: 2 }, 'csv', out.sink),
      (e: unknown) => (e as { status?: number }).status === 500,
    );
    assert.equal(out.text(), '', 'not even a header when the first event fails');
    const seriesRequests = emulator.requests().filter((q) => q.route === 'dataSeries').length;
    assert.ok(seriesRequests <= 6, `requests after failure: ${seriesRequests}`);
  });

  test('an abort mid-export rejects, even when the later events were already fetched', async () => {
    const events = [...emulator.eventNames()].sort().slice(0, 3);
    // The real client, counting answers received, so the first write can wait until every
    // event's answer is in: the abort then comes when nothing is left in flight to cancel.
    let answered = 0;
    const counting = {
      eventNames: client.eventNames.bind(client),
      eventSeries: client.eventSeries.bind(client),
      getEventSeries: async (query: Parameters<BrazeClient['getEventSeries']>[0]) => {
        const answer = await client.getEventSeries(query);
        answered += 1;
        return answer;
      },
    };
    const chunks: string[] = [];
    const sink = async (chunk: string) => {
      while (answered < events.length) await new Promise((res) => setImmediate(res));
      chunks.push(chunk);
    };
    const controller = new AbortController();
    let batches = 0;
    await assert.rejects(
      exportEvents(
        counting,
        {
          events,
          length: 2,
          endingAt: ENDING,
          concurrency: events.length,
          signal: controller.signal,
          onBatch: () => {
            batches += 1;
            if (batches === 1) controller.abort(new Error('interrupted'));
          },
        },
        'csv',
        sink,
      ),
      /interrupted/,
    );
    assert.equal(answered, events.length);
    assert.equal(batches, 1);
    assert.equal(chunks.length, 1, 'nothing written after the abort');
  });

  test('invalid options are rejected before any request', async () => {
    const bad = [
      [{ length: 0 }, /length/],
      [{ length: 3, since: '2026-01-01' }, /length excludes since/],
      [{ until: '2026-01-01' }, /until needs since/],
      [{ concurrency: 0 }, /concurrency/],
      [{ unit: 'week' }, /unit/],
    ] as const;
    for (const [options, re] of bad) {
      await assert.rejects(
        exportEvents(client, options as never, 'csv', () => {}),
        (e: unknown) => (e instanceof RangeError || e instanceof TypeError) && re.test(e.message),
      );
    }
    await assert.rejects(
      exportEvents(client, {}, 'xml' as never, () => {}),
      RangeError,
    );
    assert.equal(emulator.requests().length, 0);
  });
});
