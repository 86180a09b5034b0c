/**
 * Progress of an export on stderr: a bar with ETA on an interactive terminal (never under
 * CI or NO_COLOR), otherwise a plain line at every tenth of the work, so logs stay short
 * and deterministic.
 */
import type { Options } from 'cli-progress';
import type { ExportProgress } from '../export/types.js';
import type { TerminalCaps } from './output.js';

export interface ProgressReporter {
  update(progress: ExportProgress): void;
  stop(): void;
}

/** A reporter that prints nothing (`--quiet`). */
export const silentProgress: ProgressReporter = { update() {}, stop() {} };

/**
 * Creates the reporter for this terminal.
 *
 * @example
 * const progress = await createProgress(caps, { label: 'export', bar: true });
 */
export async function createProgress(
  caps: TerminalCaps,
  options: { label: string; bar: boolean; stream?: NodeJS.WritableStream },
): Promise<ProgressReporter> {
  const stream = options.stream ?? process.stderr;
  if (options.bar && caps.progressBar) {
    const bar = await createProgressBar({
      stream,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} events | {rows} rows | ETA {eta_formatted}`,
      etaBuffer: 50,
      fps: 10,
    });
    return {
      update: (p) => bar.update(p.eventsDone, p.eventsTotal, { rows: p.rows }),
      stop: () => bar.stop(),
    };
  }
  let lastTenth = 0;
  return {
    update(p) {
      if (p.eventsTotal === 0) return;
      const tenth = Math.floor((p.eventsDone * 10) / p.eventsTotal);
      if (p.eventsDone === 0 || tenth === lastTenth) return;
      lastTenth = tenth;
      const pct = Math.floor((p.eventsDone * 100) / p.eventsTotal);
      stream.write(
        `${options.label}: ${p.eventsDone}/${p.eventsTotal} events (${pct}%), ${p.rows} rows\n`,
      );
    },
    stop() {},
  };
}

/** A bar on a terminal: `done` of `total` (which may grow), with the format's `{payload}` fields. */
export interface ProgressBar {
  update(done: number, total: number, payload: Record<string, unknown>): void;
  /** Clears the bar (nothing when it never started). */
  stop(): void;
}

/**
 * The one cli-progress setup of export and sync: loaded on demand, cursor hidden, cleared
 * when done, started by the first update.
 *
 * @example
 * const bar = await createProgressBar({ format: 'sync |{bar}| {value}/{total}', stream: process.stderr });
 */
export async function createProgressBar(options: Options): Promise<ProgressBar> {
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = new SingleBar(
    { hideCursor: true, clearOnComplete: true, ...options },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, payload) {
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
