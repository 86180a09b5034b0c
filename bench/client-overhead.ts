/**
 * Client overhead and emulator throughput, side by side against ONE emulator process:
 * many short interleaved rounds of N length=100 data_series requests through the library
 * and through a bare `fetch` loop with the same concurrency; the figure is the ratio of
 * the medians. Short rounds matter on a shared machine: its speed drifts by several times
 * within seconds, and a round of a few milliseconds sees the same drift on both sides.
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
  /** Rounds of the comparison with 20 ms of server latency. */
  latentRounds: number;
  concurrency: number;
  /** Requests of the throughput run. */
  throughputRequests: number;
  throughputConcurrency: number;
}

interface Sides {
  lib: number[];
  bare: number[];
}

/** 10th, 50th and 90th percentiles, rounded, for results.json. */
function spread(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, 2);
  return { p10: at(0.1), p50: at(0.5), p90: at(0.9) };
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
      libraryMedianMs: round(median(s.lib), 2),
      bareFetchMedianMs: round(median(s.bare), 2),
      medianOfPairedRatios: round(median(s.lib.map((l, i) => l / s.bare[i]!))),
      libraryRoundMs: spread(s.lib),
      bareFetchRoundMs: spread(s.bare),
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
    // A few thousand requests, so both paths reach optimised code before the first round.
    for (let i = 0; i < 3; i++) {
      await viaLibrary(1000);
      await viaFetch(1000, o.concurrency);
    }
    const local = await compare(o.perRound, o.rounds);
    const throughputMs = await timed(() => viaFetch(o.throughputRequests, o.throughputConcurrency));
    await emu.control('POST', 'faults', { kind: 'delay', route: 'dataSeries', delayMs: 20 });
    const latent = await compare(o.perRound, o.latentRounds);
    await emu.control('DELETE', 'faults');
    const common = { requestsPerRound: o.perRound, concurrency: o.concurrency };
    return [
      ratioFigure('client overhead (library ÷ bare fetch, medians)', true, local, {
        ...common,
        libraryRetries: client.stats().retries,
      }),
      ratioFigure('client overhead with 20 ms server latency (informational)', false, latent, {
        ...common,
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
