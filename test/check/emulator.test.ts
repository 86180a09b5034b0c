/**
 * The check against the emulator's seeded anomalies: each seeded event's ground truth is
 * stored as a sync would store it, with its watermark on the anomaly's first day, and
 * checkDatabase must report it with the right kind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkDatabase } from '../../src/check/index.js';
import type { Emulator, SeededAnomaly } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { openDatabase } from '../../src/sync/db/index.js';
import type { Database } from '../../src/sync/db/types.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 2, 12);
const EXPECTED: Record<SeededAnomaly['kind'], string[]> = {
  drop: ['drop', 'silent'],
  spike: ['spike'],
  stopped: ['silent'],
  started: ['new'],
};

describe('check finds the emulator’s seeded anomalies', () => {
  let emulator: Emulator;
  let db: Database;
  let dir: string;
  let seeded: SeededAnomaly[];

  before(async () => {
    emulator = await startEmulator({ seed: 11, events: 300, now: () => NOW });
    dir = mkdtempSync(join(tmpdir(), 'braze-check-emu-'));
    db = await openDatabase(join(dir, 'emu.db'), { migrate: true });
    // One seeded anomaly per event (the first), judged on its first affected day.
    const seen = new Set<string>();
    seeded = emulator.anomalies().filter((a) => !seen.has(a.event) && seen.add(a.event));
    await db.transaction(async (tx) => {
      for (const a of seeded) {
        const at = Date.parse(`${a.start}T00:00:00Z`);
        const points = emulator.groundTruth({
          event: a.event,
          unit: 'day',
          length: 36,
          endingAt: new Date(at + DAY).toISOString().slice(0, 10),
        });
        for (const p of points) {
          const start = `${p.time}T00:00:00.000Z`;
          await tx.exec(
            'INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            ['emu', a.event, 'day', '', '', p.time, start, p.count, new Date(NOW).toISOString()],
          );
        }
        const last = new Date(at).toISOString();
        await tx.exec(
          'INSERT INTO series_watermarks (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          ['emu', a.event, 'day', '', '', last, last, new Date(NOW).toISOString()],
        );
      }
    });
  });

  after(async () => {
    await db?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the emulator seeds every kind', () => {
    const kinds = new Set(seeded.map((a) => a.kind));
    assert.deepEqual([...kinds].sort(), ['drop', 'spike', 'started', 'stopped']);
    assert.ok(seeded.length >= 30, `${seeded.length} seeded anomalies`);
  });

  test('every seeded drop, spike, stop and start is found with the right kind', async () => {
    const report = await checkDatabase(db, { workspace: 'emu', now: () => NOW, minVolume: 1 });
    const found = new Map(report.findings.map((f) => [f.event, f]));
    const missed = seeded.filter((a) => !EXPECTED[a.kind].includes(found.get(a.event)?.kind ?? ''));
    assert.deepEqual(
      missed.map(
        (a) => `${a.kind} ${a.event} on ${a.start}: got ${found.get(a.event)?.kind ?? 'nothing'}`,
      ),
      [],
    );
    assert.equal(report.findings.length, seeded.length);
  });

  test('with default --min-volume, every seeded anomaly of an event above it is found', async () => {
    const report = await checkDatabase(db, { workspace: 'emu', now: () => NOW });
    const found = new Map(report.findings.map((f) => [f.event, f.kind]));
    for (const f of report.findings)
      assert.ok(EXPECTED[seeded.find((a) => a.event === f.event)!.kind].includes(f.kind));
    // Drops and spikes are seeded on events of 300+ a day: all of them clear the default.
    for (const a of seeded.filter((s) => s.kind === 'drop' || s.kind === 'spike')) {
      assert.ok(found.has(a.event), `${a.kind} of ${a.event} on ${a.start}`);
    }
  });
});
