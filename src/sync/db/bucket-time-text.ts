/**
 * The compact schema (migration 3) stores Braze's `time` text only where it cannot be
 * derived from the bucket's start: a row whose `time` equals the canonical text of its
 * start, unit and its series' offset stores NULL, and the `event_counts` view puts the
 * text back. The canonical text is the emulator's default form: `YYYY-MM-DD` for days
 * (Braze's documented form) and `YYYY-MM-DDTHH:MM:SS±HH:MM` for hours, both read at the
 * offset. Braze's exact hour form is unknown (docs/BRAZE_API.md): any other text it sends
 * (`Z`, fractions) is simply stored as text, so nothing is guessed; the rule only decides
 * what is compressed. The writer (TypeScript) uses the project's one formatter,
 * `formatBucketTime(…, 'offset')` of src/api/time.ts; the view and the migration (SQL)
 * cannot call it, so the rule is written here once per SQL dialect.
 */

/**
 * SQLite expression of the canonical text (`formatBucketTime(start, unit, offset,
 * 'offset')` of src/api/time.ts, which the writer uses) over SQL expressions for the start
 * (epoch seconds), the unit and the offset (minutes).
 */
export function sqliteCanonicalTime(start: string, unit: string, offset: string): string {
  return `(CASE WHEN ${unit} = 'day'
    THEN strftime('%Y-%m-%d', ${start} + ${offset} * 60, 'unixepoch')
    ELSE strftime('%Y-%m-%dT%H:%M:%S', ${start} + ${offset} * 60, 'unixepoch')
      || printf('%s%02d:%02d', CASE WHEN ${offset} < 0 THEN '-' ELSE '+' END, abs(${offset}) / 60, abs(${offset}) % 60)
    END)`;
}

/** SQLite: ISO-8601 text (`…Z`, milliseconds) as epoch milliseconds, exactly. */
export function sqliteIsoToMs(iso: string): string {
  return `CAST(round(unixepoch(${iso}, 'subsec') * 1000) AS INTEGER)`;
}

/** SQLite: epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export function sqliteMsToIso(ms: string): string {
  return `(strftime('%Y-%m-%dT%H:%M:%S', ${ms} / 1000, 'unixepoch') || printf('.%03dZ', ${ms} % 1000))`;
}

/** SQLite: epoch seconds as `YYYY-MM-DDTHH:MM:SS.000Z`. */
export function sqliteSecondsToIso(seconds: string): string {
  return `strftime('%Y-%m-%dT%H:%M:%S.000Z', ${seconds}, 'unixepoch')`;
}

/** PostgreSQL: the function the view and the writer call (created by migration 3). */
export const POSTGRES_CANONICAL_TIME_FUNCTION = `
CREATE OR REPLACE FUNCTION braze_bucket_time(start_seconds BIGINT, unit TEXT, offset_minutes INTEGER)
RETURNS TEXT LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN unit = 'day'
    THEN to_char(timestamp 'epoch' + (start_seconds + offset_minutes * 60) * interval '1 second', 'YYYY-MM-DD')
    ELSE to_char(timestamp 'epoch' + (start_seconds + offset_minutes * 60) * interval '1 second', 'YYYY-MM-DD"T"HH24:MI:SS')
      || CASE WHEN offset_minutes < 0 THEN '-' ELSE '+' END
      || lpad((abs(offset_minutes) / 60)::text, 2, '0') || ':' || lpad((abs(offset_minutes) % 60)::text, 2, '0')
  END
$$;
`;
