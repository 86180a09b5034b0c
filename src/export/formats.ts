/**
 * Row formatters for the three export formats. Pure: rows in, text chunks out, so they can
 * be used with any sink.
 */
import { validateChoice } from '../api/option-errors.js';
import { csvCell } from '../core/csv.js';
import { EXPORT_FORMATS, type ExportFormat, type ExportRow } from './types.js';

/**
 * Refuses a format that is not one of {@link EXPORT_FORMATS}, with the one choice check
 * (`validateChoice`): a `BrazeOptionRangeError` for another string, a
 * `BrazeOptionTypeError` for a non-string (option `format`).
 *
 * @example validateExportFormat('xml'); // throws: format must be one of csv, ndjson, json, got "xml"
 */
export function validateExportFormat(format: unknown): asserts format is ExportFormat {
  validateChoice('format', format, EXPORT_FORMATS, undefined);
}

/** Output columns, in order. `app_id`/`segment_id` only when filtered by them. */
export type ExportColumn = 'event' | 'unit' | 'time' | 'count' | 'app_id' | 'segment_id';

/** Columns for an export with these filters. */
export function exportColumns(filters: { appId?: string; segmentId?: string }): ExportColumn[] {
  const cols: ExportColumn[] = ['event', 'unit', 'time', 'count'];
  if (filters.appId !== undefined) cols.push('app_id');
  if (filters.segmentId !== undefined) cols.push('segment_id');
  return cols;
}

/** Turns rows into text: a header, one chunk per row (or per batch of rows), a footer. */
export interface RowFormatter {
  header(): string;
  row(row: ExportRow): string;
  /** The same text as `row` over each row, in one piece. */
  rows(rows: readonly ExportRow[]): string;
  footer(): string;
}

/** `rows` by calling `row` on each: for formats without a per-call setup cost. */
function eachRow(row: (r: ExportRow) => string) {
  return (rows: readonly ExportRow[]) => {
    let text = '';
    for (const r of rows) text += row(r);
    return text;
  };
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
    case 'csv': {
      const line = (r: ExportRow) => {
        let text = csvCell(r[columns[0]!] ?? '');
        for (let i = 1; i < columns.length; i++) text += `,${csvCell(r[columns[i]!] ?? '')}`;
        return text;
      };
      return {
        header: () => `${columns.map((c) => csvCell(c)).join(',')}\n`,
        row: (r) => `${line(r)}\n`,
        // Lines joined once per batch: the export's largest source of garbage otherwise,
        // and garbage is what makes a long export's peak memory grow (bench/README.md).
        rows: (rows) => (rows.length === 0 ? '' : `${rows.map(line).join('\n')}\n`),
        footer: () => '',
      };
    }
    case 'ndjson': {
      const row = (r: ExportRow) => `${JSON.stringify(pick(r, columns))}\n`;
      return { header: () => '', row, rows: eachRow(row), footer: () => '' };
    }
    case 'json': {
      // A streamed JSON array: '[', rows separated by ',', ']' — valid even when empty.
      let first = true;
      const row = (r: ExportRow) => {
        const sep = first ? '\n' : ',\n';
        first = false;
        return `${sep}  ${JSON.stringify(pick(r, columns))}`;
      };
      return {
        header: () => '[',
        row,
        rows: eachRow(row),
        footer: () => (first ? ']\n' : '\n]\n'),
      };
    }
    default:
      validateExportFormat(format);
      throw new Error('unreachable: every format has a case above');
  }
}
