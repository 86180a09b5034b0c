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
    const bar = await createProgressBar<ExportProgress>(
      {
        stream,
        format: `${options.label} [{bar}] {percentage}% | {value}/{total} events | {rows} rows | ETA {eta_formatted}{wait}`,
        etaBuffer: 50,
        fps: 10,
      },
      (p, wait) => ({
        done: p.eventsDone,
        total: p.eventsTotal,
        payload: { rows: p.rows, wait: wait === undefined ? '' : ` | ${wait}` },
      }),
    );
    return {
      update: (p) => bar.update(p),
      waiting: (until, cause) => bar.waiting(until, cause),
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

/** A bar on a terminal fed with progress events of type `P`. */
export interface ProgressBar<P> {
  update(progress: P): void;
  /** A client wait began: the bar says `waiting until HH:MM:SSZ (cause)` until `until`. */
  waiting(until: Date, cause: string): void;
  /** Clears the bar (nothing when it never started). */
  stop(): void;
}

/** Where a progress event puts the bar, and the format's `{payload}` fields. */
export type BarPosition = { done: number; total: number; payload: Record<string, unknown> };

/**
 * The one cli-progress setup of export and sync: loaded on demand, cursor hidden, cleared
 * when done, started by the first update; `position` maps an event (and the wait note, while
 * a client wait lasts) to the bar. A wait re-renders the last event at once.
 *
 * @example
 * const bar = await createProgressBar<SyncProgress>({ format: 'sync |{bar}| {value}/{total} {phase}' },
 *   (p, wait) => ({ done: p.windowsDone, total: p.windowsTotal, payload: { phase: wait ?? p.phase } }));
 */
export async function createProgressBar<P>(
  options: Options,
  position: (progress: P, wait: string | undefined) => BarPosition,
): Promise<ProgressBar<P>> {
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = new SingleBar(
    { hideCursor: true, clearOnComplete: true, ...options },
    Presets.shades_classic,
  );
  let started = false;
  let waitUntil = 0;
  let waitCause = '';
  let last: P | undefined;
  const self: ProgressBar<P> = {
    update(progress) {
      last = progress;
      const wait =
        Date.now() < waitUntil
          ? `waiting until ${new Date(waitUntil).toISOString().slice(11, 19)}Z (${waitCause})`
          : undefined;
      const { done, total, payload } = position(progress, wait);
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    waiting(until, cause) {
      waitUntil = until.getTime();
      waitCause = cause;
      if (last !== undefined) self.update(last);
    },
    stop() {
      if (started) bar.stop();
    },
  };
  return self;
}
