/**
 * Timestamp text in one shape for both dialects: ISO-8601 UTC with milliseconds.
 * Pure.
 */

import { parseIsoInstant } from '../../api/time.js';

/**
 * Converts PostgreSQL's text form of a `timestamptz` (session time zone UTC, e.g.
 * `2026-11-27 05:00:00+00` or `2026-11-27 05:00:00.5+00`) to `2026-11-27T05:00:00.500Z`.
 * Values it cannot read (`infinity`) come back unchanged.
 *
 * @example
 * pgTimestampToIso('2026-11-27 05:00:00+00'); // '2026-11-27T05:00:00.000Z'
 */
export function pgTimestampToIso(text: string): string {
  const m =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?([+-]\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(
      text,
    );
  if (!m) return text;
  // Read by the time module; seconds of an offset (only historic zones have them) are
  // dropped, as they always were.
  const fraction = m[3] === undefined ? '' : `.${m[3]}`;
  const ms = parseIsoInstant(`${m[1]} ${m[2]}${fraction}${m[4]}:${m[5] ?? '00'}`, 0);
  return ms === null ? text : new Date(ms).toISOString();
}

/**
 * ISO-8601 UTC text for an instant, the form every timestamp column stores.
 *
 * @example
 * toIso(new Date(0)); // '1970-01-01T00:00:00.000Z'
 */
export function toIso(value: Date | number): string {
  return new Date(value).toISOString();
}
