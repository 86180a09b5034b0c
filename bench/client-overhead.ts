/**
 * Client overhead and emulator throughput, side by side against ONE emulator process:
 * interleaved rounds of N length=100 data_series requests through the library and through
 * a bare `fetch` loop with the same concurrency; the figure is the ratio of the medians.
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

    const viaLibrary = () =>
      pool(o.perRound, o.concurrency, async (i) => {
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

    // Warm up both paths (JIT, keep-alive sockets) before anything is timed.
    await viaLibrary();
    await viaFetch(o.perRound, o.concurrency);
    const lib: number[] = [];
    const bare: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      // Alternate which goes first so drift (GC, thermal) hits both sides alike.
      if (r % 2 === 0) {
        lib.push(await timed(viaLibrary));
        bare.push(await timed(() => viaFetch(o.perRound, o.concurrency)));
      } else {
        bare.push(await timed(() => viaFetch(o.perRound, o.concurrency)));
        lib.push(await timed(viaLibrary));
      }
    }
    const ratio = median(lib) / median(bare);
    const paired = lib.map((l, i) => l / bare[i]!);
    const throughputMs = await timed(() => viaFetch(o.throughputRequests, o.throughputConcurrency));
    const stats = client.stats();
    return [
      {
        name: 'client overhead (library ÷ bare fetch, medians)',
        value: round(ratio),
        unit: '×',
        target: '≤ 1.10',
        pass: ratio <= 1.1,
        detail: {
          requestsPerRound: o.perRound,
          rounds: o.rounds,
          concurrency: o.concurrency,
          libraryMedianMs: round(median(lib), 1),
          bareFetchMedianMs: round(median(bare), 1),
          libraryRoundsMs: lib.map((x) => round(x, 1)),
          bareFetchRoundsMs: bare.map((x) => round(x, 1)),
          medianOfPairedRatios: round(median(paired)),
          libraryRetries: stats.retries,
        },
      },
      {
        name: 'emulator throughput (data_series length=100)',
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
