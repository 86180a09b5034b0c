/**
 * Where output goes and how it may look. Data goes to stdout (and nothing else does);
 * logs and progress go to stderr. Colour, bars and charts only on a TTY, never under
 * `CI`, never with `NO_COLOR` (https://no-color.org) or `TERM=dumb`.
 */
import type { Writable } from 'node:stream';
import { escapeControlChars } from '../api/quote.js';
import { writeChunk } from '../core/write-chunk.js';
import { redact } from './redact.js';

/** What the terminal allows, decided once per run. */
export interface TerminalCaps {
  /** stdout is a terminal (charts next to tables, human formats). */
  stdoutIsTTY: boolean;
  /** stderr is a terminal. */
  stderrIsTTY: boolean;
  /** ANSI colour allowed on stderr/stdout. */
  color: boolean;
  /** Animated progress bars allowed on stderr (TTY and not CI). */
  progressBar: boolean;
  /** Running under CI (`CI` set to anything but `false`/`0`). */
  ci: boolean;
}

function truthyEnv(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Detects what the current process may print.
 *
 * @example
 * const caps = detectTerminal(); if (caps.progressBar) { … }
 */
export function detectTerminal(
  env: NodeJS.ProcessEnv = process.env,
  streams: { stdout: { isTTY?: boolean }; stderr: { isTTY?: boolean } } = process,
): TerminalCaps {
  const stdoutIsTTY = streams.stdout.isTTY === true;
  const stderrIsTTY = streams.stderr.isTTY === true;
  const ci = truthyEnv(env.CI);
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const dumb = env.TERM === 'dumb';
  return {
    stdoutIsTTY,
    stderrIsTTY,
    ci,
    color: !noColor && !ci && !dumb && (stdoutIsTTY || stderrIsTTY),
    progressBar: stderrIsTTY && !ci && !dumb && !noColor,
  };
}

// The one backpressure write lives in core (the export's sink uses it too); the CLI's
// commands reach it here, beside the other output helpers.
export { writeChunk } from '../core/write-chunk.js';

/**
 * Prints lines on stdout. With `escape`, each line's control characters are shown as
 * escapes (for a person at a terminal); without, the lines are written byte-exact (data
 * for a pipe or a file).
 */
export async function printLines(
  lines: Iterable<string> | AsyncIterable<string>,
  options: { escape?: boolean } = {},
): Promise<void> {
  for await (const line of lines) {
    await writeChunk(process.stdout, `${options.escape ? escapeControlChars(line) : line}\n`);
  }
}

/** Prints a value as pretty JSON on stdout. */
export async function printJson(value: unknown): Promise<void> {
  await writeChunk(process.stdout, `${JSON.stringify(value, null, 2)}\n`);
}

/** Logs for humans on stderr. Every line is redacted. */
export interface CliLogger {
  info(message: string): void;
  warn(message: string): void;
  /** Printed only with `--debug`. */
  debug(message: string, fields?: Record<string, unknown>): void;
}

const ANSI = { yellow: '\u001b[33m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };

/** Wraps text in an ANSI style when colour is allowed. */
export function style(caps: TerminalCaps, name: keyof typeof ANSI, text: string): string {
  return caps.color && name !== 'reset' ? `${ANSI[name]}${text}${ANSI.reset}` : text;
}

/**
 * A stderr logger honouring `--quiet` and `--debug`.
 *
 * @example
 * const log = createCliLogger({ debug: opts.debug }); log.info('Exporting 12 events');
 */
export function createCliLogger(
  options: { debug?: boolean; quiet?: boolean; caps?: TerminalCaps; stream?: Writable } = {},
): CliLogger {
  const stream = options.stream ?? process.stderr;
  const caps = options.caps ?? detectTerminal();
  // Messages quote event names, which are data: their control characters are shown as
  // escapes before any style of ours is added.
  const write = (line: string) => stream.write(`${line}\n`);
  const clean = (message: string) => escapeControlChars(redact(message));
  return {
    info(message) {
      if (!options.quiet) write(clean(message));
    },
    warn(message) {
      write(style(caps, 'yellow', `warning: ${clean(message)}`));
    },
    debug(message, fields) {
      if (!options.debug) return;
      const extra = fields ? ` ${safeJson(fields)}` : '';
      write(style(caps, 'dim', `debug: ${clean(message + extra)}`));
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (v instanceof Error ? v.message : v));
  } catch {
    return '[unserializable]';
  }
}
