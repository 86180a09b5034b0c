/**
 * The range flags shared by `series` and `export`: `--length N` (Braze's own shape, counted
 * back from `--ending-at` or now) or `--since DATE [--until DATE]` (any span; the client
 * splits it into windows of at most 100 buckets). Dates are ISO 8601 dates/datetimes or a
 * relative age such as `30d` or `48h`.
 */
import { type Command, Option } from 'commander';
import { MAX_SERIES_LENGTH, UNIT_MS, UNITS, type Unit } from '../api/constants.js';
import { UsageError } from './errors.js';
import { intParser } from './parse.js';

/** Buckets shown when no range flag is given: 30 days, or 24 hours. */
export const DEFAULT_LENGTH: Readonly<Record<Unit, number>> = { day: 30, hour: 24 };

/** Longest `--length` accepted (longer ones become a `since` range): 10 years of days. */
export const MAX_CLI_LENGTH = 3_660;

/** A resolved range, ready for the client or the export library. */
export type SeriesRange =
  | { kind: 'length'; unit: Unit; length: number; endingAt?: string }
  | { kind: 'since'; unit: Unit; since: string; until?: string };

/** Raw range flags as commander parses them. */
export interface RangeFlags {
  length?: number;
  since?: string;
  until?: string;
  unit?: string;
  endingAt?: string;
  appId?: string;
  segmentId?: string;
}

/** Adds the range and filter flags to a command. */
export function addRangeOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '-n, --length <n>',
        'buckets counted back from --ending-at (default 30 days / 24 hours)',
      )
        .argParser(intParser('--length', 1, MAX_CLI_LENGTH))
        .conflicts(['since', 'until']),
    )
    .addOption(
      new Option(
        '-s, --since <date>',
        'first bucket: ISO date/datetime or age (30d, 48h)',
      ).conflicts('endingAt'),
    )
    .addOption(new Option('-u, --until <date>', 'end of the range, exclusive (default: now)'))
    .addOption(new Option('--unit <unit>', 'bucket size').choices([...UNITS]).default('day'))
    .addOption(new Option('--ending-at <iso>', 'end of a --length range, exclusive (default: now)'))
    .addOption(new Option('--app-id <id>', 'counts of one app only'))
    .addOption(new Option('--segment-id <id>', 'counts of one analytics-enabled segment only'));
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
// Full ISO 8601 extended datetime: date, T, hh:mm[:ss[.fff]], optional Z or ±h(h):mm.
const DATETIME_RE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{1,2}:?\d{2})?$/i;
const AGE_RE = /^(\d{1,6})\s*(d|h|w)$/i;

/**
 * Parses a date flag into an ISO string the client accepts: a date (`2026-10-01`), a
 * datetime (`2026-10-01T12:00:00Z`), or an age before `now` (`30d`, `48h`, `2w`).
 * Throws a UsageError naming the flag.
 *
 * @example
 * parseDateFlag('--since', '7d', new Date('2026-11-27T00:00:00Z')) // '2026-11-20T00:00:00.000Z'
 */
export function parseDateFlag(flag: string, value: string, now: Date): string {
  const v = value.trim();
  const age = AGE_RE.exec(v);
  if (age) {
    const n = Number(age[1]);
    const unit = age[2]!.toLowerCase();
    const ms = n * (unit === 'w' ? 7 * UNIT_MS.day : unit === 'd' ? UNIT_MS.day : UNIT_MS.hour);
    return new Date(now.getTime() - ms).toISOString();
  }
  if ((DATE_RE.test(v) || DATETIME_RE.test(v)) && Number.isFinite(Date.parse(v))) {
    const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
    const probe = new Date(Date.UTC(y, m - 1, d));
    // Date.parse rolls 2026-02-31 over to March: refuse impossible calendar dates.
    if (probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d) return v;
  }
  throw new UsageError(
    `${flag} must be an ISO 8601 date (2026-10-01), datetime (2026-10-01T12:00:00Z) or age (30d, 48h), got "${value}"`,
  );
}

/**
 * Turns the flags into a range, validating combinations before any request.
 *
 * @example
 * resolveRange({ since: '2026-10-01', unit: 'day' }, new Date())
 */
export function resolveRange(flags: RangeFlags, now: Date): SeriesRange {
  const unit = (flags.unit ?? 'day') as Unit;
  if (!UNITS.includes(unit)) {
    throw new UsageError(`--unit must be one of ${UNITS.join(', ')}, got "${flags.unit}"`);
  }
  if (flags.until !== undefined && flags.since === undefined) {
    throw new UsageError('--until needs --since (or use --length N --ending-at DATE)');
  }
  if (flags.since !== undefined) {
    if (flags.endingAt !== undefined) {
      throw new UsageError('--ending-at goes with --length; with --since use --until');
    }
    const since = parseDateFlag('--since', flags.since, now);
    const range: SeriesRange = { kind: 'since', unit, since };
    if (flags.until !== undefined) {
      const until = parseDateFlag('--until', flags.until, now);
      if (Date.parse(since) >= Date.parse(until)) {
        throw new UsageError(`--since (${flags.since}) must be before --until (${flags.until})`);
      }
      range.until = until;
    } else if (Date.parse(since) > now.getTime()) {
      throw new UsageError(`--since (${flags.since}) is in the future`);
    }
    return range;
  }
  const length = flags.length ?? DEFAULT_LENGTH[unit];
  const range: SeriesRange = { kind: 'length', unit, length };
  if (flags.endingAt !== undefined)
    range.endingAt = parseDateFlag('--ending-at', flags.endingAt, now);
  return range;
}

/** The range's longest span fits one Braze request. */
export function fitsOneRequest(range: SeriesRange): boolean {
  return range.kind === 'length' && range.length <= MAX_SERIES_LENGTH;
}
