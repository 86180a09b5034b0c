/** The CSV download of the event page: exactly the rows shown, one line per stored bucket. */
import type { CountRecord } from './queries.js';

/** Columns of the download, in order. */
export const CSV_COLUMNS = [
  'workspace',
  'event',
  'unit',
  'app_id',
  'segment_id',
  'time',
  'bucket_start',
  'count',
] as const;

/**
 * Quotes a cell (RFC 4180). A text cell starting with `=`, `+`, `-`, `@`, tab or CR gets a
 * leading `'` so a spreadsheet does not run an event name as a formula (OWASP "CSV injection").
 */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * Renders rows as CSV with a header line (CRLF line ends, as RFC 4180 and Excel expect).
 *
 * @example
 * eventCsv('prod', 'Purchase', 'day', rows); // "workspace,event,unit,…\r\nprod,Purchase,day,,,2026-03-01,…"
 */
export function eventCsv(
  workspace: string,
  event: string,
  unit: string,
  rows: readonly CountRecord[],
): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [workspace, event, unit, r.app_id, r.segment_id, r.time, r.bucket_start, r.count]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
