/**
 * The range flags shared by `series` and `export`: `--length N` (Braze's own shape, counted
 * back from `--ending-at` or now) or `--since DATE [--until DATE]` (any span; the client
 * splits it into windows of at most 100 buckets). Dates are ISO 8601 dates/datetimes or a
 * relative age such as `30d` or `48h`.
 */
import { type Command, Option } from 'commander';
import { MAX_SERIES_LENGTH, UNITS, type Unit } from '../api/constants.js';
import { quoteInput } from '../api/quote.js';
// The file itself, not core's index: this module loads at start-up, the client does not.
import {
  addBuckets,
  type BucketZone,
  formatIsoInstant,
  lastCompleteBucket,
  parseIsoInstant,
} from '../api/time.js';
import { UsageError } from './errors.js';
import { intOption } from './parse.js';

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
  /** `--complete-only`: end at the last complete bucket (see {@link endAtLastComplete}). */
  completeOnly?: boolean;
}

/** Adds the range and filter flags to a command. */
export function addRangeOptions(cmd: Command): Command {
  return cmd
    .addOption(
      intOption(
        '-n, --length <n>',
        'buckets counted back from --ending-at (default 30 days / 24 hours)',
        1,
        MAX_CLI_LENGTH,
      ).conflicts(['since', 'until']),
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
    .addOption(
      new Option(
        '--complete-only',
        'end at the last complete bucket: leave out the current one, still growing',
      ),
    )
    .addOption(new Option('--app-id <id>', 'counts of one app only'))
    .addOption(new Option('--segment-id <id>', 'counts of one analytics-enabled segment only'));
}

const AGE_RE = /^(\d{1,6})\s*(d|h|w)$/i;
/** 0000-01-01T00:00:00Z: the client reads four-digit years only, so no age may go past it. */
const YEAR_ZERO_MS = -62_167_219_200_000;

/**
 * Parses a date flag into an ISO string the client accepts: a date (`2026-10-01`), a
 * datetime (`2026-10-01T12:00:00Z`), or an age before `now` (`30d`, `48h`, `2w`).
 * Dates and datetimes are exactly those the client takes (core's `parseIsoInstant`, so
 * the CLI can never pass on a value the client then refuses); odd spellings are normalised
 * so that `Date.parse` reads them the same way. Throws a UsageError naming the flag.
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
    const at =
      unit === 'h'
        ? addBuckets(now.getTime(), 'hour', -n)
        : addBuckets(now.getTime(), 'day', unit === 'w' ? -7 * n : -n);
    if (!(at >= YEAR_ZERO_MS)) {
      throw new UsageError(
        `${flag} must be a date from year 0000 on, got ${quoteInput(value)} (${new Date(at).toISOString()})`,
      );
    }
    return new Date(at).toISOString();
  }
  const ms = parseIsoInstant(v);
  if (ms === null) {
    throw new UsageError(
      `${flag} must be an ISO 8601 date (2026-10-01), datetime (2026-10-01T12:00:00Z) or age (30d, 48h), got ${quoteInput(value)}`,
    );
  }
  return canonicalIso(v, ms);
}

/**
 * One spelling of an accepted date/datetime: `T` and `.` separators and an upper-case `Z`.
 * A zone-less value stays zone-less (the client reads it at the workspace's bucket offset);
 * an offset `Date.parse` does not read (`-5:00`, `+0530`, `+05`) becomes the UTC instant.
 */
function canonicalIso(value: string, ms: number): string {
  if (value.length === 10) return value;
  const text = value
    .replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T')
    .replace(',', '.')
    .replace(/z$/, 'Z');
  const zoned = /(?:Z|[+-][\d:]+)$/.test(text.slice(16));
  return zoned && Date.parse(text) !== ms ? new Date(ms).toISOString() : text;
}

/**
 * Epoch milliseconds of a value returned by {@link parseDateFlag} (zone-less ones read as
 * UTC).
 *
 * @example
 * dateFlagMs('2026-10-01') // Date.UTC(2026, 9, 1)
 */
export function dateFlagMs(iso: string): number {
  return parseIsoInstant(iso) ?? Number.NaN;
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
    throw new UsageError(
      `--unit must be one of ${UNITS.join(', ')}, got ${quoteInput(String(flags.unit))}`,
    );
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
      if (dateFlagMs(since) >= dateFlagMs(until)) {
        throw new UsageError(
          `--since (${quoteInput(flags.since)}) must be before --until (${quoteInput(flags.until)})`,
        );
      }
      range.until = until;
    } else if (dateFlagMs(since) > now.getTime()) {
      throw new UsageError(`--since (${quoteInput(flags.since)}) is in the future`);
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

/**
 * `--complete-only`: the range ends where the last complete bucket ends (the start of the
 * one `now` falls in, which Braze still fills), in the client's bucket zone. A `--length`
 * range keeps its length and moves back; a `--since` range is cut. An end already before
 * that is kept; a range holding no complete bucket is a UsageError.
 *
 * @example
 * endAtLastComplete({ kind: 'length', unit: 'day', length: 3 }, now, client.bucketZone)
 * // { kind: 'length', unit: 'day', length: 3, endingAt: '2026-11-29T00:00:00Z' } at 2026-11-29T15:00Z
 */
export function endAtLastComplete(range: SeriesRange, now: Date, zone: BucketZone): SeriesRange {
  const edge = addBuckets(lastCompleteBucket(range.unit, now.getTime(), zone), range.unit, 1);
  const at = (iso: string | undefined) =>
    iso === undefined
      ? Number.POSITIVE_INFINITY
      : (parseIsoInstant(iso, zone.utcOffsetMinutes) ?? Number.NaN);
  const endingAt = formatIsoInstant(edge);
  if (range.kind === 'length') {
    return at(range.endingAt) <= edge ? range : { ...range, endingAt };
  }
  if (at(range.until) <= edge) return range;
  if (at(range.since) >= edge) {
    throw new UsageError(
      `--complete-only: --since ${range.since} falls in the current ${range.unit}, which is not complete yet`,
    );
  }
  return { ...range, until: endingAt };
}
