/**
 * `npm run bench`: every figure measured in one run, printed as a table with PASS/FAIL
 * against its target and written to bench/results.json. Never part of `npm test`.
 * `BENCH_ONLY=overhead,pacing,…` runs a subset (names: the keys of SUITES).
 */
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { benchClientOverhead } from './client-overhead.js';
import { benchColdStart } from './cold-start.js';
import { benchDashboard } from './dashboard.js';
import { benchExportMemory } from './export-memory.js';
import { benchFaultMix } from './fault-mix.js';
import { benchIncremental } from './incremental.js';
import type { Figure } from './lib.js';
import { benchPacingBurst, benchPacingSync } from './pacing.js';
import { benchUpsert } from './upsert.js';

const PACING = { hourMs: 3000, limit: 20, events: 70 };

const SUITES: Record<string, () => Promise<Figure[]> | Figure[]> = {
  overhead: () =>
    benchClientOverhead({
      perRound: 20,
      rounds: 401,
      latentRounds: 15,
      concurrency: 4,
      throughputRequests: 5000,
      throughputConcurrency: 16,
    }),
  pacing: async () => [
    ...(await benchPacingSync(PACING)),
    ...(await benchPacingBurst(PACING)),
    ...(await benchPacingBurst(PACING, 0.5)),
  ],
  incremental: () => benchIncremental(100, ['day', 'hour']),
  export: () => benchExportMemory(1_000, 10_000, 3, 20_000),
  upsert: () => benchUpsert(1_000),
  coldstart: () => benchColdStart(15),
  dashboard: () => benchDashboard([2_000, 20_000], 365, 720),
  faults: () => benchFaultMix(612, 120, 1),
};

function format(f: Figure): string[] {
  const verdict = f.pass === undefined ? '' : f.pass ? 'PASS' : 'FAIL';
  return [f.name, `${f.value.toLocaleString('en')} ${f.unit}`.trim(), f.target ?? '', verdict];
}

function table(rows: string[][]): string {
  const head = ['figure', 'value', 'target', 'result'];
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const started = performance.now();
  const figures: Figure[] = [];
  const errors: Record<string, string> = {};
  for (const [name, suite] of Object.entries(SUITES)) {
    if (only && !only.includes(name)) continue;
    const t = performance.now();
    process.stderr.write(`bench: ${name}…\n`);
    try {
      figures.push(...(await suite()));
    } catch (error) {
      errors[name] = (error as Error).stack ?? String(error);
      figures.push({
        name: `${name}: ERROR ${(error as Error).message}`,
        value: 0,
        unit: '',
        pass: false,
      });
    }
    process.stderr.write(
      `bench: ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
    );
  }
  const totalS = (performance.now() - started) / 1000;
  const text = table(figures.map(format));
  process.stdout.write(
    `${text}\n\nwhole bench: ${totalS.toFixed(1)} s on ${cpus().length} cores, Node ${process.version}\n`,
  );
  await writeFile(
    new URL('./results.json', import.meta.url),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        durationS: Math.round(totalS),
        figures,
        errors,
      },
      null,
      2,
    )}\n`,
  );
  if (figures.some((f) => f.pass === false)) process.exitCode = 1;
}

await main();
