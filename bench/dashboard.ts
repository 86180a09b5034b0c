/**
 * Dashboard time to first render with 2,000 events × 365 days in SQLite: the overview API
 * (cold and warm, default 30-day range and the full year) and, when Debian's Chromium is
 * installed, a real page load until the first sparkline is drawn.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlValue } from '../src/sync/db/types.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium.js';
import { dashboard as dash, sync } from './dist.js';
import { type Figure, median, timed } from './lib.js';

const DAY = 86_400_000;

/** Seeds `events` day series of `days` buckets each (plus watermarks and one run). */
async function seed(url: string, events: number, days: number, now: number): Promise<number> {
  const db = await sync.openDatabase(url);
  const today = Math.floor(now / DAY) * DAY;
  const iso = (ms: number) => new Date(ms).toISOString();
  let rows = 0;
  try {
    await db.migrate();
    await db.transaction(async (tx) => {
      for (let e = 0; e < events; e++) {
        const event = `Event ${String(e).padStart(4, '0')} & "bench"`;
        const level = 100 + ((e * 7919) % 5000);
        for (let start = 0; start < days; start += 100) {
          const n = Math.min(100, days - start);
          const params: SqlValue[] = [];
          for (let k = 0; k < n; k++) {
            const ms = today - (days - 1 - (start + k)) * DAY;
            const weekday = new Date(ms).getUTCDay();
            const count = Math.round(level * (weekday === 0 || weekday === 6 ? 0.6 : 1));
            params.push(
              'bench',
              event,
              'day',
              '',
              '',
              iso(ms).slice(0, 10),
              iso(ms),
              count,
              iso(now),
            );
          }
          await tx.exec(
            `INSERT INTO event_counts (workspace, event, unit, app_id, segment_id, time, bucket_start, count, fetched_at) VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
            params,
          );
          rows += n;
        }
        await tx.exec(
          'INSERT INTO series_watermarks (workspace, event, unit, app_id, segment_id, synced_through, complete_through, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          ['bench', event, 'day', '', '', iso(today), iso(today - DAY), iso(now)],
        );
      }
      await tx.exec(
        'INSERT INTO sync_runs (workspace, started_at, finished_at, status, units, requests, retries, rate_limited, rows_inserted, rows_updated, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['bench', iso(now - 60_000), iso(now), 'succeeded', 'day', events, 0, 0, rows, 0, null],
      );
    });
  } finally {
    await db.close();
  }
  return rows;
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function benchDashboard(events: number, days: number): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'braze-bench-dash-'));
  const now = Date.UTC(2026, 10, 1, 10, 30);
  const figures: Figure[] = [];
  try {
    const file = join(dir, 'dash.db');
    const seedMs = await timed(async () => {
      await seed(file, events, days, now);
    });
    const dashboard = await dash.startDashboard({ db: file, now: () => now });
    try {
      // The dashboard caches API answers: each first call is the cold figure that matters.
      const overview = `${dashboard.url}/api/overview?unit=day`;
      let listed = 0;
      const coldMs = await timed(async () => {
        listed = ((await getJson(overview)) as { events: unknown[] }).events.length;
      });
      if (listed !== events) throw new Error(`overview listed ${listed} of ${events} events`);
      const warm: number[] = [];
      for (let i = 0; i < 5; i++) warm.push(await timed(() => getJson(overview)));
      const yearMs = await timed(() => getJson(`${overview}&days=365`));
      const anomaliesMs = await timed(() => getJson(`${dashboard.url}/api/anomalies?unit=day`));
      const detail = { events, days, rows: events * days, seedMs: Math.round(seedMs) };
      figures.push(
        {
          name: `dashboard overview API, ${events} events × ${days} days, 30-day range (cold)`,
          value: Math.round(coldMs),
          unit: 'ms',
          detail,
        },
        {
          name: 'dashboard overview API, 365-day range (cold)',
          value: Math.round(yearMs),
          unit: 'ms',
        },
        {
          name: 'dashboard anomalies API, all events (cold)',
          value: Math.round(anomaliesMs),
          unit: 'ms',
        },
        {
          name: 'dashboard overview API, repeated (cached, median of 5)',
          value: Math.round(median(warm)),
          unit: 'ms',
        },
      );
      if (existsSync(CHROMIUM_PATH)) {
        // A fresh server, so the first page load meets an empty cache, as a user would.
        const fresh = await dash.startDashboard({ db: file, now: () => now });
        try {
          figures.push(...(await browserLoad(fresh.url)));
        } finally {
          await fresh.close();
        }
      } else
        figures.push({
          name: 'dashboard page load: /usr/bin/chromium missing',
          value: 0,
          unit: '',
        });
    } finally {
      await dashboard.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}

async function browserLoad(url: string): Promise<Figure[]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const loads: { chart: number; ready: number }[] = [];
    for (let i = 0; i < 4; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(url);
      await page.waitForSelector('svg.spark polyline', { timeout: 60_000 });
      const chart = performance.now() - start;
      await page.waitForSelector('body[data-ready="overview"]', { timeout: 60_000 });
      loads.push({ chart, ready: performance.now() - start });
      await context.close();
    }
    return [
      {
        name: 'dashboard page load to first sparkline (Chromium, cold server)',
        value: Math.round(loads[0]!.chart),
        unit: 'ms',
        detail: {
          runs: loads.map((l) => ({ chartMs: Math.round(l.chart), readyMs: Math.round(l.ready) })),
        },
      },
      {
        name: 'dashboard page load to first sparkline (Chromium, warm, median)',
        value: Math.round(median(loads.slice(1).map((l) => l.chart))),
        unit: 'ms',
      },
    ];
  } finally {
    await browser.close();
  }
}
