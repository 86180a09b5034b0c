/**
 * Client overhead and emulator throughput, side by side against ONE emulator process:
 * interleaved rounds of N length=100 data_series requests through the library and through
 * a bare `fetch` loop with the same concurrency; the figure is the ratio of the medians.
 * Against a local emulator the client process is CPU-bound, so this is the library's CPU
 * cost per request at its worst; the same comparison with 20 ms of server latency shows
 * what it costs when, as with Braze, the network dominates.
 */
import { core } from './dist.js';
import { type Figure, median, pool, round, startEmulatorProcess, timed } from './lib.js';

const KEY = 'emulator-key';
const ENDING_AT = '2026-11-01';

export interface OverheadOptions {
  /** Requests per side per round. */
  perRound: number;
  rounds: number;
  concurrency: number;
  /** Requests of the throughput run. */
  throughputRequests: number;
  throughputConcurrency: number;
}

interface Sides {
  lib: number[];
  bare: number[];
}

function ratioFigure(name: string, target: boolean, s: Sides, extra: Record<string, unknown>) {
  const ratio = median(s.lib) / median(s.bare);
  const figure: Figure = {
    name,
    value: round(ratio),
    unit: '×',
    detail: {
      ...extra,
      rounds: s.lib.length,
      libraryMedianMs: round(median(s.lib), 1),
      bareFetchMedianMs: round(median(s.bare), 1),
      medianOfPairedRatios: round(median(s.lib.map((l, i) => l / s.bare[i]!))),
      libraryRoundsMs: s.lib.map((x) => round(x, 1)),
      bareFetchRoundsMs: s.bare.map((x) => round(x, 1)),
    },
  };
  if (target) Object.assign(figure, { target: '≤ 1.10', pass: ratio <= 1.1 });
  return figure;
}

export async function benchClientOverhead(o: OverheadOptions): Promise<Figure[]> {
  const emu = await startEmulatorProcess({
    events: 200,
    rateLimits: { dataSeries: 100_000_000, listing: 1_000_000 },
  });
  try {
    const client = core.createBrazeClient({
      apiKey: KEY,
      endpoint: emu.url,
      maxConcurrency: o.concurrency,
    });
    const names: string[] = [];
    for await (const name of client.eventNames()) names.push(name);
    const nameAt = (i: number) => names[i % names.length]!;
    const urlAt = (i: number) =>
      `${emu.url}/events/data_series?event=${encodeURIComponent(nameAt(i))}&length=100&unit=day&ending_at=${ENDING_AT}`;
    const headers = { authorization: `Bearer ${KEY}`, accept: 'application/json' };

    const viaLibrary = (count: number) =>
      pool(count, o.concurrency, async (i) => {
        const { data } = await client.getEventSeries({
          event: nameAt(i),
          length: 100,
          unit: 'day',
          endingAt: ENDING_AT,
        });
        if (data.length !== 100) throw new Error(`library got ${data.length} buckets`);
      });
    const viaFetch = (count: number, concurrency: number) =>
      pool(count, concurrency, async (i) => {
        const res = await fetch(urlAt(i), { headers });
        const body = (await res.json()) as { data?: unknown[] };
        if (!res.ok || body.data?.length !== 100) throw new Error(`fetch got ${res.status}`);
      });
    /** Interleaved rounds; the side that goes first alternates, so drift hits both alike. */
    const compare = async (perRound: number, rounds: number): Promise<Sides> => {
      const s: Sides = { lib: [], bare: [] };
      for (let r = 0; r < rounds; r++) {
        const lib = () => viaLibrary(perRound);
        const bare = () => viaFetch(perRound, o.concurrency);
        if (r % 2 === 0) {
          s.lib.push(await timed(lib));
          s.bare.push(await timed(bare));
        } else {
          s.bare.push(await timed(bare));
          s.lib.push(await timed(lib));
        }
      }
      return s;
    };

    // Warm up both paths (JIT, keep-alive sockets) before anything is timed.
    await viaLibrary(o.perRound);
    await viaFetch(o.perRound, o.concurrency);
    const local = await compare(o.perRound, o.rounds);
    const throughputMs = await timed(() => viaFetch(o.throughputRequests, o.throughputConcurrency));
    await emu.control('POST', 'faults', { kind: 'delay', route: 'dataSeries', delayMs: 20 });
    const latent = await compare(Math.max(20, o.perRound / 4), Math.min(o.rounds, 9));
    await emu.control('DELETE', 'faults');
    const common = { requestsPerRound: o.perRound, concurrency: o.concurrency };
    return [
      ratioFigure('client overhead (library ÷ bare fetch, medians)', true, local, {
        ...common,
        libraryRetries: client.stats().retries,
      }),
      ratioFigure('client overhead with 20 ms server latency (informational)', false, latent, {
        requestsPerRound: Math.max(20, o.perRound / 4),
        concurrency: o.concurrency,
      }),
      {
        name: 'emulator throughput (data_series length=100, one client process)',
        value: Math.round((o.throughputRequests / throughputMs) * 1000),
        unit: 'req/s',
        detail: {
          requests: o.throughputRequests,
          concurrency: o.throughputConcurrency,
          ms: round(throughputMs, 1),
        },
      },
    ];
  } finally {
    await emu.close();
  }
}
