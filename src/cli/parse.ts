/**
 * Flag parsers for commander. They throw `InvalidArgumentError`, which commander turns
 * into a usage error (exit 2) before any action runs.
 */
import { InvalidArgumentError, Option } from 'commander';
import { quoteInput } from '../api/quote.js';
import { parseUtcOffset, UTC_OFFSET_FORMS } from '../api/time.js';

/**
 * Parses a non-negative integer flag within bounds.
 *
 * @example
 * new Option('--max-retries <n>').argParser(intParser('--max-retries', 0, 20))
 */
export function intParser(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d{1,9}$/.test(value.trim())) {
      throw new InvalidArgumentError(
        `${name} must be an integer from ${min} to ${max}, got ${quoteInput(value)}`,
      );
    }
    const n = Number(value.trim());
    if (n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, got ${n}`);
    }
    return n;
  };
}

/**
 * An option whose value is an integer within bounds, parsed by {@link intParser} under
 * the option's long flag name (so the message names the flag as typed).
 *
 * @example
 * program.addOption(intOption('--timeout <ms>', 'per-request timeout', 1, 3_600_000));
 */
export function intOption(flags: string, description: string, min: number, max: number): Option {
  const name = /--[\w-]+/.exec(flags)?.[0] ?? flags;
  return new Option(flags, description).argParser(intParser(name, min, max));
}

/**
 * `-m, --match <glob>` as every command declares it: repeatable, read by `nameMatcher`
 * (src/core/name-match.ts), so list, export, sync and check select the same names.
 * `note` ends the help text (`'; implies --all'`).
 */
export function matchOption(note = ''): Option {
  return new Option(
    '-m, --match <glob>',
    `only events whose name matches this glob ('Purchase*'; * matches any characters, / too; repeatable${note})`,
  ).argParser(collect);
}

/** Collects a repeatable flag into an array. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** How a day-bucket offset is written, for messages (the time module's one syntax). */
export { UTC_OFFSET_FORMS } from '../api/time.js';

/**
 * Parses a UTC offset flag (`-05:00`, `+0530`, `Z`) into minutes east of UTC.
 *
 * @example
 * new Option('--bucket-utc-offset <offset>').argParser(utcOffsetParser('--bucket-utc-offset'))
 */
export function utcOffsetParser(name: string): (value: string) => number {
  return (value) => {
    const minutes = parseUtcOffset(value);
    if (minutes === null) {
      throw new InvalidArgumentError(
        `${name} must be ${UTC_OFFSET_FORMS}, got ${quoteInput(value)}`,
      );
    }
    return minutes;
  };
}
