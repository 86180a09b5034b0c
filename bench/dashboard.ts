/**
 * The dashboard at two sizes side by side (issue 16): 2,000 and 20,000 events, each with a
 * year of days and 30 days of hours, in SQLite, with the overviews a sync precomputes
 * (timed). For each, {@link API_ROUNDS} rounds of both sizes side by side, each on a fresh
 * server: the overview API cold (30-day and 365-day day ranges, the default hourly range)
 * with its answer size, the anomalies API and a repeated (cached) overview; medians. Then, when Debian's Chromium is installed, page loads until
 * the first sparkline is drawn, {@link PAGE_ROUNDS} rounds of both sizes side by side, each
 * load on a fresh server (as a user's first visit meets it). Then the ratios the issue sets
 * targets for.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_NOW, seedLargeSqlite } from '../test/dashboard/seed.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/helpers/chromium.js';
import { dashboard as dash, sync } from './dist.js';
import { type Figure, median, round, timed } from './lib.js';

/** One size's measurements, in ms and bytes. */
interface SizeRun {
  events: number;
  rows: number;
  seedMs: number;
  /** The sync's last step: storing the standard overviews (precompute.ts). */
  precomputeMs: number;
  day30Ms: number;
  day30Bytes: number;
  day365Ms: number;
  day365Bytes: number;
  hourMs: number;
  hourBytes: number;
  anomaliesMs: number;
  cachedMs: number;
  /** The first round's cold calls alone (the figures before 2026-11-30: one sample). */
  firstRound: { day30Ms: number; day365Ms: number; hourMs: number };
  /** Median over the rounds of the first page load on a fresh server. */
  pageColdMs?: number;
  /** The first round's alone (the figure before 2026-11-30: one sample). */
  pageFirstMs?: number;
  /** Median of the second load on the same server. */
  pageWarmMs?: number;
}

/**
 * Rounds of page loads per size. One cold load per size swung by ±40% between runs on
 * this shared machine (load 6–15); rounds alternate the sizes' order, so both see the
 * same drift, and the median is the figure.
 */
export const PAGE_ROUNDS = 7;

/** Rounds of API calls per size, each on a fresh server; the figures are their medians. */
export const API_ROUNDS = 5;

async function getText(url: string): Promise<string> {
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text}`);
  return text;
}

/** A cold request's time and answer size. */
async function cold(url: string): Promise<{ ms: number; bytes: number }> {
  let bytes = 0;
  const ms = await timed(async () => {
    bytes = Buffer.byteLength(await getText(url));
  });
  return { ms, bytes };
}

/** A seeded database with the sync's precomputed overviews. */
async function prepare(dir: string, events: number, days: number, hours: number) {
  const file = join(dir, `dash-${events}.db`);
  const seedMs = await timed(() => seedLargeSqlite(file, { events, days, hours }));
  // What `braze-events sync` does after its run: store the dashboard's standard overviews.
  const precomputeMs = await timed(async () => {
    const db = await sync.openDatabase(file);
    try {
      await dash.precomputeOverviews(db, () => SEED_NOW);
    } finally {
      await db.close();
    }
  });
  return { file, seedMs, precomputeMs };
}

/** One round of API calls on a fresh server (empty caches, a new connection), ms and bytes. */
interface ApiSample {
  day30: { ms: number; bytes: number };
  day365: { ms: number; bytes: number };
  hour: { ms: number; bytes: number };
  anomaliesMs: number;
  cachedMs: number;
}

async function measureApi(file: string, events: number): Promise<ApiSample> {
  const server = await dash.startDashboard({ db: file, now: () => SEED_NOW });
  try {
    const base = `${server.url}/api/overview`;
    // The dashboard caches answers per data version: each first call is the cold figure.
    const day30 = await cold(`${base}?unit=day&days=30`);
    const listed = (JSON.parse(await getText(`${base}?unit=day&days=30`)) as { eventCount: number })
      .eventCount;
    if (listed !== events) throw new Error(`overview counted ${listed} of ${events} events`);
    const day365 = await cold(`${base}?unit=day&days=365`);
    const hour = await cold(`${base}?unit=hour`);
    const anomalies = await cold(`${server.url}/api/anomalies?unit=day`);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await timed(() => getText(`${base}?unit=day&days=30`)));
    return { day30, day365, hour, anomaliesMs: anomalies.ms, cachedMs: median(warm) };
  } finally {
    await server.close();
  }
}

export async function benchDashboard(
  sizes: readonly [number, number],
  days: number,
  hours: number,
): Promise<Figure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'braze-bench-dash-'));
  try {
    const prepared: Awaited<ReturnType<typeof prepare>>[] = [];
    for (const events of sizes) prepared.push(await prepare(dir, events, days, hours));
    const files = prepared.map((p) => p.file);
    // Rounds alternating the sizes' order, each on a fresh server: one cold call of a few
    // ms swung several-fold between runs on this shared machine.
    const samples: ApiSample[][] = sizes.map(() => []);
    for (let r = 0; r < API_ROUNDS; r++) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) samples[i]!.push(await measureApi(files[i]!, sizes[i]!));
    }
    const runs: SizeRun[] = sizes.map((events, i) => {
      const mine = samples[i]!;
      const at = (pick: (a: ApiSample) => number) => median(mine.map(pick));
      return {
        events,
        rows: events * (days + 1 + (hours ? hours + 1 : 0)),
        seedMs: prepared[i]!.seedMs,
        precomputeMs: prepared[i]!.precomputeMs,
        day30Ms: at((a) => a.day30.ms),
        day30Bytes: mine[0]!.day30.bytes,
        day365Ms: at((a) => a.day365.ms),
        day365Bytes: mine[0]!.day365.bytes,
        hourMs: at((a) => a.hour.ms),
        hourBytes: mine[0]!.hour.bytes,
        anomaliesMs: at((a) => a.anomaliesMs),
        cachedMs: at((a) => a.cachedMs),
        firstRound: {
          day30Ms: mine[0]!.day30.ms,
          day365Ms: mine[0]!.day365.ms,
          hourMs: mine[0]!.hour.ms,
        },
      };
    });
    if (existsSync(CHROMIUM_PATH)) {
      const loads = await browserLoads(files);
      runs.forEach((run, i) => {
        const mine = loads.map((round) => round[i]!);
        run.pageColdMs = median(mine.map((l) => l.cold));
        run.pageFirstMs = mine[0]!.cold;
        run.pageWarmMs = median(mine.map((l) => l.warm));
      });
    }
    const [small, big] = runs as [SizeRun, SizeRun];
    const figures: Figure[] = [];
    const shape = `× (${days} days + ${hours} hours)`;
    for (const r of [small, big]) {
      const n = r.events.toLocaleString('en');
      figures.push(
        {
          name: `dashboard overview API, ${n} events ${shape}, 30-day range (cold, median of ${API_ROUNDS} fresh servers)`,
          value: Math.round(r.day30Ms),
          unit: 'ms',
          detail: {
            bytes: r.day30Bytes,
            rows: r.rows,
            seedMs: Math.round(r.seedMs),
            firstRoundMs: Math.round(r.firstRound.day30Ms),
          },
        },
        {
          name: `dashboard precompute of the standard overviews after a sync, ${n} events`,
          value: Math.round(r.precomputeMs),
          unit: 'ms',
        },
        {
          name: `dashboard overview API, ${n} events, 365-day range (cold)`,
          value: Math.round(r.day365Ms),
          unit: 'ms',
          detail: { bytes: r.day365Bytes, firstRoundMs: Math.round(r.firstRound.day365Ms) },
        },
        {
          name: `dashboard overview API, ${n} events, hourly default range (cold)`,
          value: Math.round(r.hourMs),
          unit: 'ms',
          detail: { bytes: r.hourBytes, firstRoundMs: Math.round(r.firstRound.hourMs) },
        },
        {
          name: `dashboard overview answer, ${n} events, 30-day range`,
          value: r.day30Bytes,
          unit: 'B',
          target: '≤ 1,000,000 B',
          pass: r.day30Bytes <= 1_000_000 && r.day365Bytes <= 1_000_000 && r.hourBytes <= 1_000_000,
          detail: { day365Bytes: r.day365Bytes, hourBytes: r.hourBytes },
        },
        {
          name: `dashboard anomalies API, ${n} events (cold, median of ${API_ROUNDS})`,
          value: Math.round(r.anomaliesMs),
          unit: 'ms',
        },
        {
          name: `dashboard overview API, ${n} events, repeated (cached, median of 5 per round, median of ${API_ROUNDS} rounds)`,
          value: Math.round(r.cachedMs),
          unit: 'ms',
        },
      );
      if (r.pageColdMs !== undefined) {
        figures.push({
          name: `dashboard page load to first sparkline, ${n} events (Chromium, cold server, median of ${PAGE_ROUNDS})`,
          value: Math.round(r.pageColdMs),
          unit: 'ms',
          detail: {
            firstRoundMs: Math.round(r.pageFirstMs!),
            warmMedianMs: Math.round(r.pageWarmMs!),
          },
        });
      }
    }
    const ratio = (a: number, b: number) => round(b / a, 2);
    const side = (what: string, a: number, b: number, max: number) => ({
      name: `dashboard ${what}, ${big.events.toLocaleString('en')} ÷ ${small.events.toLocaleString('en')} events`,
      value: ratio(a, b),
      unit: '×',
      target: `≤ ${max}`,
      pass: ratio(a, b) <= max,
      detail: { smallMs: Math.round(a), bigMs: Math.round(b) },
    });
    figures.push(
      side('overview API 30-day', small.day30Ms, big.day30Ms, 2),
      side('overview API 365-day', small.day365Ms, big.day365Ms, 2),
      side('overview API hourly', small.hourMs, big.hourMs, 2),
    );
    if (small.pageColdMs !== undefined && big.pageColdMs !== undefined) {
      figures.push(side('page to first sparkline (cold)', small.pageColdMs, big.pageColdMs, 1.5));
    } else {
      figures.push({ name: 'dashboard page load: /usr/bin/chromium missing', value: 0, unit: '' });
    }
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Page loads until the first sparkline is drawn, ms, per round and file: the first on a
 * fresh server (cold), then one more on it (warm). Each load in a new browser context.
 */
async function browserLoads(files: readonly string[]): Promise<{ cold: number; warm: number }[][]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  const load = async (url: string): Promise<number> => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(url);
      await page.waitForSelector('svg.spark polyline', { timeout: 60_000 });
      const chart = performance.now() - start;
      await page.waitForSelector('body[data-ready="overview"]', { timeout: 60_000 });
      return chart;
    } finally {
      await context.close();
    }
  };
  try {
    // One load to start the browser's own processes, measured by neither size.
    const warmup = await dash.startDashboard({ db: files[0]!, now: () => SEED_NOW });
    await load(warmup.url).finally(() => warmup.close());
    const rounds: { cold: number; warm: number }[][] = [];
    for (let r = 0; r < PAGE_ROUNDS; r++) {
      const round: { cold: number; warm: number }[] = [];
      const order = files.map((_, i) => i);
      if (r % 2 === 1) order.reverse();
      for (const i of order) {
        const server = await dash.startDashboard({ db: files[i]!, now: () => SEED_NOW });
        try {
          const cold = await load(server.url);
          round[i] = { cold, warm: await load(server.url) };
        } finally {
          await server.close();
        }
      }
      rounds.push(round);
    }
    return rounds;
  } finally {
    await browser.close();
  }
}
