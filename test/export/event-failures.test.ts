/**
 * One event's failure is that event's failure (issue 15): a 400 for a reserved name, a 404
 * for a name deleted since the listing and a name that cannot be URL-encoded are recorded
 * with the event and Braze's message; the other events are exported in full; the export
 * then throws ExportIncompleteError, with the output complete for the events it holds.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createBrazeClient } from '../../src/core/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  ExportIncompleteError,
  exportEvents,
  exportRows,
  isExportIncompleteError,
} from '../../src/export/index.js';
import { parseCsv } from './csv-parse.js';

const KEY = 'TESTKEY-export-failures-5d0c';
const ENDING = '2026-11-01';
/** Sorted before every other name, as `$` sorts before letters. */
const RESERVED = ['$Purchase', '$Session Start', '$attribution'];
const DELETED = 'Gone Since Listing';
const HALF_EMOJI = 'Party \ud83c';
const GOOD = ['Add to Cart', 'Purchase Completed', 'Zebra'];
let emulator: Emulator;

function dataset() {
  const names = [...RESERVED, DELETED, HALF_EMOJI, ...GOOD];
  return {
    events: names.map((name, i) => ({
      name,
      counts: { '2026-10-29': 10 + i, '2026-10-30': 20 + i, '2026-10-31': 30 + i },
    })),
  };
}

before(async () => {
  emulator = await startEmulator({ port: 0, data: dataset(), keys: [{ key: KEY }] });
});
beforeEach(() => {
  emulator.clearFaults();
  emulator.clearRequests();
  for (const event of RESERVED) emulator.addFault({ kind: '400', event });
  emulator.addFault({ kind: '404', event: DELETED });
});
after(() => emulator?.close());

const client = () => createBrazeClient({ apiKey: KEY, endpoint: emulator.url, maxRetries: 1 });

describe('per-event failures in an export', () => {
  test('the other events are exported in full; the failures are typed and name the event', async () => {
    const chunks: string[] = [];
    const seen: string[] = [];
    const error = await exportEvents(
      client(),
      {
        length: 3,
        endingAt: ENDING,
        concurrency: 2,
        onEventFailure: (f) => seen.push(f.event),
      },
      'csv',
      (c) => void chunks.push(c),
    ).then(
      () => assert.fail('an export with failed events must not resolve'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ExportIncompleteError);
    assert.ok(isExportIncompleteError(error));
    const { summary } = error;
    assert.equal(summary.events, 8);
    assert.equal(summary.rows, GOOD.length * 3);
    const failures = summary.failures.map((f) => ({
      event: f.event,
      status: f.status,
      message: f.message,
    }));
    assert.deepEqual(failures, [
      { event: '$Purchase', status: 400, message: "Invalid 'event' parameter: $Purchase" },
      {
        event: '$Session Start',
        status: 400,
        message: "Invalid 'event' parameter: $Session Start",
      },
      { event: '$attribution', status: 400, message: "Invalid 'event' parameter: $attribution" },
      { event: DELETED, status: 404, message: `Event not found: ${DELETED}` },
      {
        event: HALF_EMOJI,
        status: null,
        message:
          'the name holds half an emoji (a lone surrogate, U+D83C), which has no UTF-8 form and cannot be URL-encoded; Braze cannot be asked for it',
      },
    ]);
    for (const f of summary.failures.slice(0, 4)) assert.match(f.requestId ?? '', /.+/);
    assert.equal(summary.failures[4]!.requestId, null);
    assert.deepEqual(
      seen,
      failures.map((f) => f.event),
    );
    assert.match(
      error.message,
      /^5 of 8 events failed: "\$Purchase", "\$Session Start", "\$attribution", "Gone Since Listing", "Party \\ud83c" \(first: 400 Invalid 'event' parameter: \$Purchase\); the output holds the other 3 events' rows$/,
    );

    // The output is a complete CSV of the events that could be exported, in order.
    const rows = parseCsv(chunks.join(''));
    assert.deepEqual(rows[0], ['event', 'unit', 'time', 'count']);
    assert.deepEqual(
      rows.slice(1).map((r) => r[0]),
      GOOD.flatMap((g) => [g, g, g]),
    );
    for (const g of GOOD) {
      const expected = emulator.groundTruth({ event: g, length: 3, endingAt: ENDING });
      assert.deepEqual(
        rows.filter((r) => r[0] === g).map((r) => Number(r[3])),
        expected.map((p) => p.count),
      );
    }
    // Each event was asked for once (a 4xx is not retried); the unencodable name never.
    const asked = emulator
      .requests()
      .filter((r) => r.route === 'dataSeries')
      .map((r) => r.query.event);
    assert.deepEqual(asked.sort(), [...RESERVED, DELETED, ...GOOD].sort());
  });

  test('JSON output stays one valid array when events failed', async () => {
    const chunks: string[] = [];
    await assert.rejects(
      exportEvents(client(), { length: 3, endingAt: ENDING }, 'json', (c) => void chunks.push(c)),
      ExportIncompleteError,
    );
    const parsed = JSON.parse(chunks.join('')) as { event: string }[];
    assert.equal(parsed.length, GOOD.length * 3);
  });

  test('exportRows yields every good row, then throws the same typed error', async () => {
    const rows: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const row of exportRows(client(), { length: 3, endingAt: ENDING })) {
          rows.push(row.event);
        }
      })(),
      (e: unknown) => {
        assert.ok(e instanceof ExportIncompleteError);
        assert.equal(e.summary.failures.length, 5);
        return true;
      },
    );
    assert.equal(rows.length, GOOD.length * 3);
  });

  test('a failure that is about the key still stops the export at once', async () => {
    emulator.clearFaults();
    const bad = createBrazeClient({ apiKey: 'TESTKEY-wrong', endpoint: emulator.url });
    await assert.rejects(
      exportEvents(bad, { events: GOOD, length: 3, endingAt: ENDING }, 'csv', () => {}),
      (e: unknown) => (e as { status?: number }).status === 401,
    );
  });
});
