/**
 * End to end: the emulator's clock is set to the morning after a seeded anomaly, the
 * anomalous events are synced with the real client and sync engine, and check must report
 * them on that day — the still-growing current day excluded.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkDatabase } from '../../src/check/index.js';
import { createBrazeClient } from '../../src/core/client.js';
import {
  EMULATOR_DEFAULT_KEY,
  type Emulator,
  type SeededAnomaly,
  startEmulator,
} from '../../src/emulator/index.js';
import type { Database } from '../../src/sync/db/types.js';
import { openDatabase, syncWorkspace } from '../../src/sync/index.js';
import { createVirtualClock } from '../helpers/clock.js';

const DAY = 86_400_000;
const KIND: Record<SeededAnomaly['kind'], string> = {
  drop: 'drop',
  spike: 'spike',
  stopped: 'silent',
  started: 'new',
};

describe('sync then check, against the emulator', () => {
  let emulator: Emulator;
  let db: Database;
  let dir: string;
  let day: string;
  let expected: Record<string, string>;
  let now: number;

  before(async () => {
    emulator = await startEmulator({ seed: 5, events: 250, now: () => Date.UTC(2026, 10, 2) });
    // The day with the most seeded anomalies starting on it.
    const byDay = new Map<string, SeededAnomaly[]>();
    for (const a of emulator.anomalies()) byDay.set(a.start, [...(byDay.get(a.start) ?? []), a]);
    const [bestDay, anomalies] = [...byDay].sort((a, b) => b[1].length - a[1].length)[0]!;
    day = bestDay;
    expected = Object.fromEntries(anomalies.map((a) => [a.event, KIND[a.kind]]));
    // 10:30 the next morning: the anomaly day is complete, the current day is not.
    now = Date.parse(`${day}T00:00:00Z`) + DAY + 10.5 * 3_600_000;
    emulator.setClock(() => now);
    dir = mkdtempSync(join(tmpdir(), 'braze-check-sync-'));
    db = await openDatabase(join(dir, 'sync.db'), { migrate: true });
    const time = createVirtualClock(now);
    const client = createBrazeClient({
      apiKey: EMULATOR_DEFAULT_KEY,
      endpoint: emulator.url,
      now: time.now,
      sleep: time.sleep,
    });
    await syncWorkspace({
      client,
      db,
      workspace: 'emu',
      units: ['day'],
      events: Object.keys(expected),
      since: new Date(now - 60 * DAY),
      now: () => now,
    });
  });

  after(async () => {
    await db?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('check reports every seeded anomaly of that day with its kind', async () => {
    assert.ok(Object.keys(expected).length >= 2, JSON.stringify(expected));
    const report = await checkDatabase(db, { minVolume: 1 });
    assert.deepEqual(Object.fromEntries(report.findings.map((f) => [f.event, f.kind])), expected);
    for (const f of report.findings) assert.equal(f.bucketStart, `${day}T00:00:00.000Z`);
  });
});
