/**
 * Pacing: a burst whose data_series requests exceed one rate-limit window's budget, against
 * an emulator whose "hour" is scaled down. The minimum the limit allows, starting at a
 * window start, is (windows needed − 1) × window length; the figure is actual ÷ minimum,
 * with the 429s the emulator answered (every one is avoidable: this client is alone).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { core, sync } from './dist.js';
import { type Figure, pool, round, startEmulatorProcess, untilBoundary } from './lib.js';

const KEY = 'emulator-key';

export interface PacingOptions {
  /** Length of the emulator's rate-limit window (a whole number of seconds). */
  hourMs: number;
  /** data_series requests allowed per window. */
  limit: number;
  /** Events (= series = requests of a first day sync). */
  events: number;
}

interface LogEntry {
  route?: string;
  status: number;
}

async function countFromLog(emu: { control<T>(m: string, p: string): Promise<T> }) {
  const { requests } = await emu.control<{ requests: LogEntry[] }>('GET', 'requests');
  const series = requests.filter((r) => r.route === 'dataSeries');
  return {
    dataSeries: series.length,
    ok: series.filter((r) => r.status === 200).length,
    rateLimited: requests.filter((r) => r.status === 429).length,
  };
}

function figure(
  name: string,
  o: PacingOptions & { share?: number },
  actualMs: number,
  /** Milliseconds into its window the burst started. */
  startOffsetMs: number,
  log: { dataSeries: number; ok: number; rateLimited: number },
  extra: Record<string, unknown>,
): Figure[] {
  // With maxShareOfLimit, the client may only spend that share of each window.
  const perWindow = Math.floor(o.limit * (o.share ?? 1));
  const windows = Math.ceil(log.ok / perWindow);
  const minimumMs = (windows - 1) * o.hourMs - startOffsetMs;
  const ratio = actualMs / minimumMs;
  return [
    {
      name: `pacing, ${name} (actual ÷ minimum time)`,
      value: round(ratio),
      unit: '×',
      target: '≤ 1.10',
      pass: ratio <= 1.1,
      detail: {
        ...extra,
        requests: log.ok,
        limitPerWindow: o.limit,
        usablePerWindow: perWindow,
        windowMs: o.hourMs,
        windowsNeeded: windows,
        minimumMs,
        actualMs: Math.round(actualMs),
      },
    },
    {
      name: `pacing, ${name}: 429s seen`,
      value: log.rateLimited,
      unit: '429s',
      target: '= 0',
      pass: log.rateLimited === 0,
    },
  ];
}

/** A first sync of `events` day series: one data_series request each. */
export async function benchPacingSync(o: PacingOptions): Promise<Figure[]> {
  const emu = await startEmulatorProcess({
    events: o.events,
    hourMs: o.hourMs,
    rateLimits: { dataSeries: o.limit, listing: 1000 },
  });
  const dir = await mkdtemp(join(tmpdir(), 'braze-bench-pacing-'));
  const db = await sync.openDatabase(join(dir, 'pacing.db'));
  try {
    await db.migrate();
    const client = core.createBrazeClient({ apiKey: KEY, endpoint: emu.url });
    // Start a few ms into a fresh window, so the minimum is exactly (windows − 1) × hourMs.
    const start = await untilBoundary(o.hourMs, 20);
    const summary = await sync.syncWorkspace({ client, db, workspace: 'bench', units: ['day'] });
    const actualMs = Date.now() - start;
    if (summary.status !== 'succeeded') throw new Error(`pacing sync ${summary.status}`);
    return figure('sync', o, actualMs, start % o.hourMs, await countFromLog(emu), {
      series: summary.series,
      clientRateLimited: summary.rateLimited,
    });
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
    await emu.close();
  }
}

/** The same budget spent by plain `getEventSeries` calls, 8 at a time. */
export async function benchPacingBurst(o: PacingOptions, share = 1): Promise<Figure[]> {
  const emu = await startEmulatorProcess({
    events: o.events,
    hourMs: o.hourMs,
    rateLimits: { dataSeries: o.limit, listing: 1000 },
  });
  try {
    const client = core.createBrazeClient({
      apiKey: KEY,
      endpoint: emu.url,
      maxConcurrency: 8,
      maxShareOfLimit: share,
    });
    const names: string[] = [];
    for await (const name of client.eventNames()) names.push(name);
    const start = await untilBoundary(o.hourMs, 20);
    await pool(names.length, 8, (i) =>
      client.getEventSeries({ event: names[i]!, length: 100, unit: 'day' }),
    );
    const actualMs = Date.now() - start;
    const name = share === 1 ? 'client burst' : `client burst, maxShareOfLimit ${share}`;
    return figure(name, { ...o, share }, actualMs, start % o.hourMs, await countFromLog(emu), {
      clientRateLimited: client.stats().rateLimited,
    });
  } finally {
    await emu.close();
  }
}
