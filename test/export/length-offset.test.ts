/**
 * `length` longer than one request (issue 12): exactly `length` buckets at every offset,
 * in both units, with and without `endingAt` — and no request asks for the future.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatUtcOffset } from '../../src/api/time.js';
import { createBrazeClient } from '../../src/core/client.js';
import { startEmulator } from '../../src/emulator/index.js';
import { exportRows } from '../../src/export/index.js';

const NOW = Date.parse('2026-11-20T17:47:12.345Z');
const KEY = 'TESTKEY-length-offset';

describe('export length at an offset', () => {
  for (const offset of [-300, 0, 330, 345]) {
    test(`length 150 and 101 give exactly that many buckets at ${formatUtcOffset(offset)}`, async () => {
      const emulator = await startEmulator({
        events: 3,
        keys: [{ key: KEY }],
        zoneOffsetMinutes: offset,
        now: () => NOW,
      });
      try {
        const client = createBrazeClient({
          apiKey: KEY,
          endpoint: emulator.url,
          bucketUtcOffsetMinutes: offset,
          now: () => NOW,
          maxRetries: 0,
        });
        const event = [...emulator.eventNames()][0]!;
        for (const unit of ['day', 'hour'] as const) {
          for (const endingAt of [undefined, '2026-11-01']) {
            for (const length of [150, 101]) {
              const rows = [];
              for await (const row of exportRows(client, {
                events: [event],
                unit,
                length,
                now: () => NOW,
                ...(endingAt ? { endingAt } : {}),
              })) {
                rows.push(row);
              }
              const what = `${unit} length ${length} endingAt ${endingAt ?? 'now'}`;
              assert.equal(rows.length, length, what);
              assert.equal(new Set(rows.map((r) => r.time)).size, length, what);
            }
          }
        }
        for (const r of emulator.requests()) assert.equal(r.status, 200, JSON.stringify(r.query));
      } finally {
        await emulator.close();
      }
    });
  }
});
