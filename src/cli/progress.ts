/**
 * Progress of an export on stderr: a bar with ETA on an interactive terminal (never under
 * CI or NO_COLOR), otherwise a plain line at every tenth of the work, so logs stay short
 * and deterministic.
 */
import type { ExportProgress } from '../export/types.js';
import type { TerminalCaps } from './output.js';

export interface ProgressReporter {
  update(progress: ExportProgress): void;
  /** A client wait began (the bar shows it until `until`; plain lines leave it to the wait line). */
  waiting?(until: Date, cause: string): void;
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
    const { SingleBar, Presets } = (await import('cli-progress')).default;
    const bar = new SingleBar(
      {
        stream,
        format: `${options.label} [{bar}] {percentage}% | {value}/{total} events | {rows} rows | ETA {eta_formatted}{wait}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
        fps: 10,
      },
      Presets.shades_classic,
    );
    let started = false;
    let waitUntil = 0;
    let waitCause = '';
    const wait = () =>
      Date.now() < waitUntil
        ? ` | waiting until ${new Date(waitUntil).toISOString().slice(11, 19)}Z (${waitCause})`
        : '';
    return {
      update(p) {
        if (!started) {
          bar.start(p.eventsTotal, p.eventsDone, { rows: p.rows, wait: wait() });
          started = true;
        } else bar.update(p.eventsDone, { rows: p.rows, wait: wait() });
      },
      waiting(until, cause) {
        waitUntil = until.getTime();
        waitCause = cause;
        if (started) bar.update({ wait: wait() });
      },
      stop() {
        if (started) bar.stop();
      },
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
