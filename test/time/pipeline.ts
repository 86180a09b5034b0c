/**
 * The whole product at one bucket offset: an emulator whose workspace has planted
 * anomalies on the last complete local day, the real client and sync engine into a real
 * SQLite file, then the check. Shared by the cross-layer tests of issue 12.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Unit } from '../../src/api/constants.js';
import { bucketIndex, DAY_MS, dateOfDayNumber, type HourBuckets } from '../../src/api/time.js';
import { type CheckReport, checkDatabase } from '../../src/check/index.js';
import { createBrazeClient } from '../../src/core/client.js';
import type { BrazeClient } from '../../src/core/types.js';
import { handleApi } from '../../src/dashboard/index.js';
import {
  type Emulator,
  type EmulatorDataset,
  type EmulatorOptions,
  startEmulator,
} from '../../src/emulator/index.js';
import type { Database } from '../../src/sync/db/types.js';
import { openDatabase, syncWorkspace } from '../../src/sync/index.js';
import { createVirtualClock } from '../helpers/clock.js';

export const KEY = 'TESTKEY-time-pipeline';
export type Plant = 'none' | 'silent' | 'drop';

/** Days of history: the check's 4-week baseline and some. */
const HISTORY_DAYS = 40;

/**
 * One event per plant: a steady 24 × (20 + i) a day (so hours divide evenly), except on the
 * last complete local day: 0 for `silent`, a tenth for `drop`.
 */
export function plantedDataset(
  offset: number,
  now: number,
  plants: readonly Plant[],
): EmulatorDataset {
  const today = bucketIndex(now, 'day', offset);
  return {
    events: plants.map((plant, i) => {
      const base = 24 * (20 + i);
      const counts: Record<string, number> = {};
      for (let d = today - HISTORY_DAYS - 2; d <= today; d++) {
        const last = d === today - 1;
        counts[dateOfDayNumber(d)] =
          last && plant === 'silent' ? 0 : last && plant === 'drop' ? 24 * 2 : base;
      }
      return { name: `Event ${i} ${plant}`, counts };
    }),
  };
}

export interface Pipeline {
  emulator: Emulator;
  client: BrazeClient;
  db: Database;
  close(): Promise<void>;
}

/** An emulator and a client on the same zone and clock (the emulator's `options` added). */
export async function emulatorAndClient(
  options: EmulatorOptions,
  offset: number,
  now: number,
  hourBuckets: HourBuckets = 'local',
): Promise<{ emulator: Emulator; client: BrazeClient }> {
  const emulator = await startEmulator({
    ...options,
    keys: [{ key: KEY }],
    zoneOffsetMinutes: offset,
    hourBuckets,
    now: () => now,
  });
  const time = createVirtualClock(now);
  const client = createBrazeClient({
    apiKey: KEY,
    endpoint: emulator.url,
    bucketUtcOffsetMinutes: offset,
    hourBuckets,
    now: time.now,
    sleep: time.sleep,
    maxRetries: 0,
  });
  return { emulator, client };
}

/** Starts the emulator at `offset` with `now`, and a client and SQLite file at the same. */
export async function startPipeline(
  offset: number,
  now: number,
  plants: readonly Plant[],
  hourBuckets: HourBuckets = 'local',
): Promise<Pipeline> {
  const dir = mkdtempSync(join(tmpdir(), 'braze-time-'));
  const { emulator, client } = await emulatorAndClient(
    { data: plantedDataset(offset, now, plants) },
    offset,
    now,
    hourBuckets,
  );
  const db = await openDatabase(join(dir, 'time.db'), { migrate: true });
  return {
    emulator,
    client,
    db,
    async close() {
      await db.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Days of hourly history synced: the check's 4-day hourly baseline before the planted day. */
export const HOUR_HISTORY_DAYS = 7;

/**
 * Syncs every event's series of each unit at the pipeline's offset (and its client's hour
 * alignment): 40 days of days, {@link HOUR_HISTORY_DAYS} of hours.
 */
export async function syncAll(
  p: Pipeline,
  offset: number,
  now: number,
  units: readonly Unit[] = ['day'],
): Promise<void> {
  for (const unit of units) {
    await syncWorkspace({
      client: p.client,
      db: p.db,
      workspace: 'w',
      units: [unit],
      since: new Date(now - (unit === 'day' ? HISTORY_DAYS : HOUR_HISTORY_DAYS) * DAY_MS),
      bucketUtcOffsetMinutes: offset,
      now: () => now,
    });
  }
}

/** `{ event: kind }` of a check report. */
export function findingsOf(report: CheckReport): Record<string, string> {
  return Object.fromEntries(report.findings.map((f) => [f.event, f.kind]));
}

/** What the check must find: every planted silence and drop, nothing else. */
export function expectedFindings(plants: readonly Plant[]): Record<string, string> {
  return Object.fromEntries(
    plants.flatMap((plant, i) => (plant === 'none' ? [] : [[`Event ${i} ${plant}`, plant]])),
  );
}

/** Runs the check as of `now` (minVolume 1: every planted event counts). */
export function check(p: Pipeline, now: number, unit: Unit = 'day'): Promise<CheckReport> {
  return checkDatabase(p.db, { now: () => now, minVolume: 1, unit });
}

/** GET of the dashboard API as of `now`; asserts a 200 and returns the parsed body. */
export async function api(
  db: Parameters<typeof handleApi>[0]['db'],
  now: number,
  path: string,
  q: Record<string, string>,
) {
  const res = await handleApi({ db, now: () => now }, path, new URLSearchParams(q));
  assert.equal(res.status, 200, res.body);
  return JSON.parse(res.body);
}
