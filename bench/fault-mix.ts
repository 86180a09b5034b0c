/**
 * Issue 15's acceptance figure: the time of a sync of 612 events × 120 days while 10% of
 * requests fail (503, the edge's HTML 502, a reset connection, a body cut short by a
 * close, a short-window 429, an edge 429 with Retry-After), relative to the same sync
 * without faults. Real time, the emulator in its own process with a 60 s "hour", so its
 * short window (hourMs / 60) is 1 s, as a per-minute window's 429 is seconds from its reset.
 * The client runs with its defaults (backoff, retries). Correctness is test/sync/fault-mix.test.ts.
 *
 * Every answer that is not a fault takes `LATENCY_MS` (the emulator's `delay` fault): Braze
 * answers over the internet in tens to hundreds of milliseconds, while the emulator on
 * loopback answers in about one, against which any honest backoff (hundreds of ms) looks
 * enormous. Measured without it, the ratio was about 21× (2026-11-29, 2 cores).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { core, sync } from './dist.js';
import { type Figure, median, round, startEmulatorProcess } from './lib.js';

/** Latency of a normal answer, in both runs. */
const LATENCY_MS = 50;

const MIX = ['503', '502', 'reset', 'truncated-close', '429-minute', 'proxy-429'] as const;

export async function benchFaultMix(events: number, days: number, runs: number): Promise<Figure[]> {
  const emu = await startEmulatorProcess({ events, hourMs: 60_000, seed: 15 });
  const dir = await mkdtemp(join(tmpdir(), 'braze-bench-faults-'));
  const since = new Date(
    Math.floor(Date.now() / 86_400_000) * 86_400_000 - (days - 1) * 86_400_000,
  );
  let serial = 0;
  const once = async (): Promise<{
    ms: number;
    status: string;
    requests: number;
    retries: number;
  }> => {
    const db = await sync.openDatabase(join(dir, `run-${serial++}.db`));
    try {
      await db.migrate();
      const client = core.createBrazeClient({ apiKey: 'emulator-key', endpoint: emu.url });
      const started = performance.now();
      const s = await sync.syncWorkspace({ client, db, workspace: 'bench', units: ['day'], since });
      return {
        ms: performance.now() - started,
        status: s.status,
        requests: s.requests,
        retries: s.retries,
      };
    } finally {
      await db.close();
    }
  };
  try {
    const clean: number[] = [];
    const faulty: number[] = [];
    let lastFaulty = { status: '', requests: 0, retries: 0 };
    let allSucceeded = true;
    for (let i = 0; i < runs; i++) {
      const latency = { kind: 'delay', delayMs: LATENCY_MS };
      await emu.control('DELETE', 'faults');
      await emu.control('POST', 'faults', [latency]);
      const c = await once();
      clean.push(c.ms);
      const p = 1 - 0.9 ** (1 / MIX.length);
      // The mix first: a request it spares gets the latency rule, the last one.
      await emu.control('DELETE', 'faults');
      await emu.control('POST', 'faults', [
        ...MIX.map((kind) => ({ kind, probability: p })),
        latency,
      ]);
      const f = await once();
      faulty.push(f.ms);
      lastFaulty = f;
      allSucceeded &&= c.status === 'succeeded' && f.status === 'succeeded';
    }
    const ratio = median(faulty) / median(clean);
    return [
      {
        name: `sync ${events} events × ${days} days, 10% faults ÷ fault-free`,
        value: round(ratio, 2),
        unit: '×',
        target: '≤ 4',
        pass: ratio <= 4 && allSucceeded,
        detail: {
          faultFreeMs: clean.map((ms) => Math.round(ms)),
          faultyMs: faulty.map((ms) => Math.round(ms)),
          faultyRequests: lastFaulty.requests,
          faultyRetries: lastFaulty.retries,
          mix: MIX,
          latencyMs: LATENCY_MS,
        },
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
    await emu.close();
  }
}
