/** The CSV download of the event page: exactly the rows shown, one line per stored bucket. */
import { csvCell } from '../core/csv.js';
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

/** A spreadsheet opens this download: an event name must not run as a formula. */
const SPREADSHEET = { guardFormulas: true } as const;

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
        .map((cell) => csvCell(cell, SPREADSHEET))
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
