/**
 * CLI cold start: `braze-events --help` vs `node -e 0`, hyperfine-style (warm-up, then
 * interleaved runs), medians and their ratio.
 */
import { spawnSync } from 'node:child_process';
import { type Figure, median, ROOT, round } from './lib.js';

function run(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return ms;
}

export function benchColdStart(runs: number): Figure[] {
  const help = ['dist/cli/bin.js', '--help'];
  const bare = ['-e', '0'];
  for (let i = 0; i < 3; i++) {
    run(help);
    run(bare);
  }
  const h: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < runs; i++) {
    h.push(run(help));
    b.push(run(bare));
  }
  const helpMs = median(h);
  const nodeMs = median(b);
  return [
    {
      name: 'CLI cold start, `braze-events --help` (median)',
      value: round(helpMs, 1),
      unit: 'ms',
      target: '< 200 (issue 4)',
      pass: helpMs < 200,
      detail: { runs, minMs: round(Math.min(...h), 1), maxMs: round(Math.max(...h), 1) },
    },
    {
      name: 'CLI cold start, `node -e 0` (median)',
      value: round(nodeMs, 1),
      unit: 'ms',
      detail: { runs, minMs: round(Math.min(...b), 1), maxMs: round(Math.max(...b), 1) },
    },
    {
      name: 'CLI cold start, --help ÷ node -e 0',
      value: round(helpMs / nodeMs, 2),
      unit: '×',
      detail: { addedMs: round(helpMs - nodeMs, 1) },
    },
  ];
}
