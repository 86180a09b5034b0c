/**
 * Export memory: peak RSS of the built CLI (`export --all`) exporting 1,000 and 10,000
 * events, each against an emulator holding exactly that many. Streaming means flat memory.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Figure, median, ROOT, round, startEmulatorProcess } from './lib.js';

interface ExportRun {
  peakRssKb: number;
  ms: number;
  lines: number;
}

/** Runs the CLI under `/usr/bin/time -v` and reads "Maximum resident set size". */
async function runExport(url: string, home: string): Promise<ExportRun> {
  const started = performance.now();
  const child = spawn(
    '/usr/bin/time',
    ['-v', process.execPath, 'dist/cli/bin.js', 'export', '--all', '--format', 'csv', '--out', '-'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CI: '1',
        NO_COLOR: '1',
        BRAZE_API_KEY: 'emulator-key',
        BRAZE_REST_ENDPOINT: url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let lines = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) lines++;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    if (stderr.length > 1_000_000) stderr = stderr.slice(-100_000);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  if (code !== 0 || !match) {
    throw new Error(`export exited ${code}: ${stderr.split('\n').slice(0, 5).join(' | ')}`);
  }
  return { peakRssKb: Number(match[1]), ms, lines };
}

export async function benchExportMemory(
  small: number,
  large: number,
  runs: number,
  plateau?: number,
) {
  const home = await mkdtemp(join(tmpdir(), 'braze-bench-home-'));
  const results: Record<number, ExportRun[]> = {};
  try {
    for (const events of plateau === undefined ? [small, large] : [small, large, plateau]) {
      const emu = await startEmulatorProcess({
        events,
        rateLimits: { listing: 1_000_000, dataSeries: 100_000_000 },
      });
      try {
        results[events] = [];
        for (let i = 0; i < runs; i++) results[events].push(await runExport(emu.url, home));
      } finally {
        await emu.close();
      }
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
  const peak = (n: number) => median(results[n]!.map((r) => r.peakRssKb));
  const growth = peak(large) / peak(small);
  const describe = (n: number) => ({
    events: n,
    peakRssMb: round(peak(n) / 1024, 1),
    medianMs: Math.round(median(results[n]!.map((r) => r.ms))),
    csvLines: results[n]![0]!.lines,
  });
  const figures: Figure[] = [
    {
      name: `export peak RSS, ${large.toLocaleString('en')} ÷ ${small.toLocaleString('en')} events`,
      value: round(growth),
      unit: '×',
      target: '≤ 1.30',
      pass: growth <= 1.3,
      detail: { small: describe(small), large: describe(large), runs },
    },
    {
      name: `export peak RSS, ${small.toLocaleString('en')} events`,
      value: round(peak(small) / 1024, 1),
      unit: 'MB',
    },
    {
      name: `export peak RSS, ${large.toLocaleString('en')} events`,
      value: round(peak(large) / 1024, 1),
      unit: 'MB',
    },
  ];
  if (plateau !== undefined) {
    // Twice the events again: a leak keeps growing, V8's heap sizing levels off.
    figures.push({
      name: `export peak RSS, ${plateau.toLocaleString('en')} ÷ ${large.toLocaleString('en')} events (plateau check)`,
      value: round(peak(plateau) / peak(large)),
      unit: '×',
      detail: describe(plateau),
    });
  }
  return figures;
}
