/**
 * UTC offsets as people write them (`-05:00`, `+0530`, `Z`), for the day-bucket zone,
 * which Braze does not document (docs/BRAZE_API.md): users who know theirs say so.
 */
import { describe } from './validate.js';

/** Largest offset accepted, in minutes: ±18:00, the range ISO 8601 and Temporal allow. */
export const MAX_UTC_OFFSET_MINUTES = 18 * 60;

const OFFSET_RE = /^([+-])(\d{1,2})(?::?(\d{2}))?$/;

/**
 * Minutes east of UTC, or `null` when `text` is not an offset: `Z`, `UTC` (either case),
 * `±H`, `±HH`, `±HH:MM`, `±H:MM` or `±HHMM`, at most ±18:00, minutes below 60.
 *
 * @example parseUtcOffset('-05:00') // -300
 * @example parseUtcOffset('+0530')  // 330
 */
export function parseUtcOffset(text: string): number | null {
  const trimmed = text.trim();
  if (/^(z|utc)$/i.test(trimmed)) return 0;
  const match = OFFSET_RE.exec(trimmed);
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = match[3] === undefined ? 0 : Number(match[3]);
  if (minutes >= 60) return null;
  const total = hours * 60 + minutes;
  if (total > MAX_UTC_OFFSET_MINUTES) return null;
  // `-00:00` is UTC too, not minus zero.
  return match[1] === '-' && total !== 0 ? -total : total;
}

/**
 * `±HH:MM` for an offset in minutes.
 *
 * @example formatUtcOffset(-300) // '-05:00'
 */
export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}

/**
 * Checks an option holding an offset in minutes; throws a RangeError naming it.
 *
 * @example validateUtcOffsetMinutes('bucketUtcOffsetMinutes', -300) // -300
 */
export function validateUtcOffsetMinutes(name: string, value: unknown): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    Math.abs(value) > MAX_UTC_OFFSET_MINUTES
  ) {
    throw new RangeError(
      `${name} must be an integer from -${MAX_UTC_OFFSET_MINUTES} to ${MAX_UTC_OFFSET_MINUTES}, got ${describe(value)}`,
    );
  }
  return value;
}
