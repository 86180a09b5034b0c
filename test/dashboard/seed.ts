/**
 * Seeds a real database (through openDatabase + migrate, so it never drifts from the sync
 * schema) with a deterministic workspace for the dashboard and check tests.
 */

import { createRandom } from '../../src/emulator/prng.js';
import { openDatabase } from '../../src/sync/db/index.js';
import type { Database } from '../../src/sync/db/types.js';
import { WEEKLY } from '../check/synthetic.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** "Now" of the seeded data: a Wednesday, mid-morning UTC. */
export const SEED_NOW = Date.UTC(2026, 2, 4, 10, 30);
/** The last complete day at SEED_NOW. */
export const LAST_COMPLETE_DAY = '2026-03-03T00:00:00.000Z';

/** Events with a known anomaly on the last complete day, by kind. */
export const SEEDED_ANOMALIES = {
  'Checkout Started': 'drop',
  'Retry Loop': 'spike',
  'Legacy Ping': 'silent',
  'New Feature Used': 'new',
} as const;

export const BREAKDOWN_EVENT = 'Purchase Completed';
export const APPS = ['ios-app', 'android-app'];
export const SEGMENTS = ['vip'];

export interface SeedOptions {
  workspace?: string;
  /** Plain seasonal events added to the named ones. */
  extraEvents?: number;
  days?: number;
  hours?: number;
}

/** Names of the plain seasonal events, with the characters real event names hold. */
export function plainEventNames(n: number): string[] {
  const special = [
    'Purchase Completed',
    'Add to Cart',
    'Søk & Finn / "beta"',
    'Level 100% done',
    'Profile Viewed',
  ];
  const names = special.slice(0, Math.min(n, special.length));
  for (let i = names.length; i < n; i++) names.push(`Event ${String(i).padStart(4, '0')}`);
  return names;
}

function dayCount(
  event: string,
  index: number,
  ms: number,
  level: number,
  random: () => number,
): number {
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  const base = level * WEEKLY[weekday]! * (1 + (random() - 0.5) * 0.2);
  const last = ms === Date.parse(LAST_COMPLETE_DAY);
  const current = ms > Date.parse(LAST_COMPLETE_DAY);
  // The current day is still growing: 10.5 hours into it.
  const partial = current ? 10.5 / 24 : 1;
  switch (event) {
    case 'Checkout Started':
      return Math.round(base * (last || current ? 0.2 : 1) * partial);
    case 'Retry Loop':
      return Math.round(base * (last ? 8 : 1) * partial);
    case 'Legacy Ping':
      return last || current ? 0 : Math.round(base);
    case 'New Feature Used':
      return last || current ? Math.round(400 * partial) : 0;
    default:
      return Math.round(base * partial * (1 + index * 0.001));
  }
}

/**
 * Creates (or fills) a database with daily and hourly counts, watermarks and sync runs.
 *
 * @example
 * const db = await seedDatabase(join(dir, 'dash.db'), { extraEvents: 20 });
 */
export async function seedDatabase(url: string, options: SeedOptions = {}): Promise<Database> {
  const workspace = options.workspace ?? 'demo';
  const days = options.days ?? 120;
  const hours = options.hours ?? 100;
  const db = await openDatabase(url, { migrate: true });
  const names = [...Object.keys(SEEDED_ANOMALIES), ...plainEventNames(options.extraEvents ?? 20)];
  const today = Math.floor(SEED_NOW / DAY) * DAY;
  const thisHour = Math.floor(SEED_NOW / HOUR) * HOUR;
  const iso = (ms: number) => new Date(ms).toISOString();
  const fetched = iso(SEED_NOW);
  const insert =
    'INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const mark =
    'INSERT INTO series_watermarks (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
  await db.transaction(async (tx) => {
    for (const [index, event] of names.entries()) {
      const random = createRandom(index + 1);
      const level = 200 + ((index * 7919) % 5000);
      const daily: number[] = [];
      for (let d = days; d >= 0; d--) {
        const ms = today - d * DAY;
        const count = dayCount(event, index, ms, level, random);
        daily.push(count);
        await tx.exec(insert, [
          workspace,
          event,
          'day',
          '',
          '',
          iso(ms).slice(0, 10),
          iso(ms),
          count,
          fetched,
        ]);
        if (event === BREAKDOWN_EVENT) {
          const ios = Math.round(count * 0.6);
          await tx.exec(insert, [
            workspace,
            event,
            'day',
            'ios-app',
            '',
            iso(ms).slice(0, 10),
            iso(ms),
            ios,
            fetched,
          ]);
          await tx.exec(insert, [
            workspace,
            event,
            'day',
            'android-app',
            '',
            iso(ms).slice(0, 10),
            iso(ms),
            count - ios,
            fetched,
          ]);
          await tx.exec(insert, [
            workspace,
            event,
            'day',
            '',
            'vip',
            iso(ms).slice(0, 10),
            iso(ms),
            Math.round(count * 0.15),
            fetched,
          ]);
        }
      }
      await tx.exec(mark, [
        workspace,
        event,
        'day',
        '',
        '',
        iso(today),
        LAST_COMPLETE_DAY,
        fetched,
      ]);
      if (event === BREAKDOWN_EVENT) {
        for (const [app, segment] of [
          ['ios-app', ''],
          ['android-app', ''],
          ['', 'vip'],
        ] as const) {
          await tx.exec(mark, [
            workspace,
            event,
            'day',
            app,
            segment,
            iso(today),
            LAST_COMPLETE_DAY,
            fetched,
          ]);
        }
      }
      for (let k = hours - 1; k >= 0; k--) {
        const ms = thisHour - k * HOUR;
        const hourOfDay = new Date(ms).getUTCHours();
        const shape = 0.3 + Math.sin((Math.PI * hourOfDay) / 24) ** 2;
        const count = Math.round((level / 24) * shape * (1 + (random() - 0.5) * 0.2));
        await tx.exec(insert, [workspace, event, 'hour', '', '', iso(ms), iso(ms), count, fetched]);
      }
      await tx.exec(mark, [
        workspace,
        event,
        'hour',
        '',
        '',
        iso(thisHour),
        iso(thisHour - HOUR),
        fetched,
      ]);
    }
    const run =
      'INSERT INTO sync_runs (workspace, started_at, finished_at, status, units, requests, retries, rate_limited, rows_inserted, rows_updated, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    await tx.exec(run, [
      workspace,
      iso(SEED_NOW - 2 * DAY),
      iso(SEED_NOW - 2 * DAY + 95_000),
      'succeeded',
      'day,hour',
      96,
      2,
      0,
      5000,
      0,
      null,
    ]);
    await tx.exec(run, [
      workspace,
      iso(SEED_NOW - DAY),
      iso(SEED_NOW - DAY + 12_000),
      'failed',
      'day,hour',
      40,
      5,
      3,
      0,
      120,
      'Braze answered 503: Service Unavailable; gave up after 5 retries',
    ]);
    await tx.exec(run, [
      workspace,
      iso(SEED_NOW - 3_600_000),
      iso(SEED_NOW - 3_600_000 + 31_000),
      'succeeded',
      'day,hour',
      52,
      0,
      0,
      24,
      1300,
      null,
    ]);
  });
  return db;
}

/**
 * A large workspace (2,000 events × 365 days by default, plus `hours` hourly buckets per
 * event): the schema comes from openDatabase + migrate, the rows go straight into the
 * compact tables (`series`, `counts`) through better-sqlite3, because 20,000 events × a
 * year is 7 million rows and a per-row async insert would take longer than the test.
 * Each event's day series has a watermark; `time` is the derivable text (NULL).
 */
export async function seedLargeSqlite(
  path: string,
  options: { events?: number; days?: number; hours?: number; workspace?: string } = {},
): Promise<void> {
  const events = options.events ?? 2000;
  const days = options.days ?? 365;
  const hours = options.hours ?? 0;
  const workspace = options.workspace ?? 'bench';
  const db = await openDatabase(path, { migrate: true });
  await db.close();
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const raw = new BetterSqlite3(path);
  try {
    raw.pragma('journal_mode = WAL');
    const today = Math.floor(SEED_NOW / DAY) * DAY;
    const thisHour = Math.floor(SEED_NOW / HOUR) * HOUR;
    const fetched = SEED_NOW;
    const iso = (ms: number) => new Date(ms).toISOString();
    const series = raw.prepare(
      `INSERT INTO series (workspace, event, unit, synced_through, complete_through, updated_at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    const count = raw.prepare(
      'INSERT INTO counts (series_id, bucket_start, count, fetched_at) VALUES (?, ?, ?, ?)',
    );
    const fill = raw.transaction(() => {
      for (let e = 0; e < events; e++) {
        const name = `Event ${String(e).padStart(5, '0')}`;
        const random = createRandom(e + 1);
        const level = 50 + ((e * 7919) % 20_000);
        const day = series.get(
          workspace,
          name,
          'day',
          iso(today),
          iso(today - DAY),
          iso(fetched),
        ) as {
          id: number;
        };
        for (let d = days; d >= 0; d--) {
          const ms = today - d * DAY;
          const weekday = (new Date(ms).getUTCDay() + 6) % 7;
          const value = Math.round(level * WEEKLY[weekday]! * (0.9 + random() * 0.2));
          count.run(day.id, ms / 1000, value, fetched);
        }
        if (hours === 0) continue;
        const hour = series.get(
          workspace,
          name,
          'hour',
          iso(thisHour),
          iso(thisHour - HOUR),
          iso(fetched),
        ) as { id: number };
        for (let k = hours; k >= 0; k--) {
          const ms = thisHour - k * HOUR;
          count.run(hour.id, ms / 1000, Math.round((level / 24) * (0.8 + random() * 0.4)), fetched);
        }
      }
    });
    fill();
  } finally {
    raw.close();
  }
}
