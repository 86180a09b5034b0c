/**
 * Row formatters for the three export formats. Pure: rows in, text chunks out, so they can
 * be used with any sink. CSV goes through csv-stringify so quotes, commas and newlines in
 * event names survive a round trip.
 */
import { stringify } from 'csv-stringify/sync';
import type { ExportFormat, ExportRow } from './types.js';

/** Output columns, in order. `app_id`/`segment_id` only when filtered by them. */
export type ExportColumn = 'event' | 'unit' | 'time' | 'count' | 'app_id' | 'segment_id';

/** Columns for an export with these filters. */
export function exportColumns(filters: { appId?: string; segmentId?: string }): ExportColumn[] {
  const cols: ExportColumn[] = ['event', 'unit', 'time', 'count'];
  if (filters.appId !== undefined) cols.push('app_id');
  if (filters.segmentId !== undefined) cols.push('segment_id');
  return cols;
}

/** Turns rows into text: a header, one chunk per row, a footer. */
export interface RowFormatter {
  header(): string;
  row(row: ExportRow): string;
  footer(): string;
}

function pick(row: ExportRow, columns: readonly ExportColumn[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c] = row[c] ?? '';
  return out;
}

/**
 * A formatter for one format and column set.
 *
 * @example
 * const f = createRowFormatter('csv', exportColumns({}));
 * f.header() + f.row({ event: 'a,"b"', unit: 'day', time: '2026-01-01', count: 3 }) + f.footer()
 * // 'event,unit,time,count\n"a,""b""",day,2026-01-01,3\n'
 */
export function createRowFormatter(
  format: ExportFormat,
  columns: readonly ExportColumn[],
): RowFormatter {
  switch (format) {
    case 'csv':
      return {
        header: () => stringify([columns as string[]]),
        row: (r) => stringify([columns.map((c) => r[c] ?? '')]),
        footer: () => '',
      };
    case 'ndjson':
      return {
        header: () => '',
        row: (r) => `${JSON.stringify(pick(r, columns))}\n`,
        footer: () => '',
      };
    case 'json': {
      // A streamed JSON array: '[', rows separated by ',', ']' — valid even when empty.
      let first = true;
      return {
        header: () => '[',
        row: (r) => {
          const sep = first ? '\n' : ',\n';
          first = false;
          return `${sep}  ${JSON.stringify(pick(r, columns))}`;
        },
        footer: () => (first ? ']\n' : '\n]\n'),
      };
    }
    default:
      throw new RangeError(
        `format must be one of csv, ndjson, json, got ${JSON.stringify(format as unknown)}`,
      );
  }
}
