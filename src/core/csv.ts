/**
 * The one CSV cell writer (RFC 4180), for `export` (byte-exact) and the dashboard's
 * spreadsheet download (formulas guarded). Pure, zero-dependency.
 */

/** How {@link csvCell} writes a cell. */
export interface CsvCellOptions {
  /**
   * Prefix a text cell starting with `=`, `+`, `-`, `@`, tab or CR with `'`, so a spreadsheet
   * does not run an event name as a formula (OWASP "CSV injection"). Default false: the
   * cell is the value exactly, as a data export must be.
   */
  guardFormulas?: boolean;
}

/**
 * One CSV cell: quoted when it holds a quote, comma, CR or LF, quotes doubled; unchanged
 * otherwise, so times and names are exactly as Braze sent them. This is the output of
 * csv-stringify's defaults, written out because csv-stringify allocated about 64 KB per
 * exported event (tuples and option objects per field): most of an export's garbage, and
 * the reason its peak memory grew with the number of events. Numbers are written with
 * `String`.
 *
 * @example
 * csvCell('a,"b"'); // '"a,""b"""'
 * csvCell('=1+2', { guardFormulas: true }); // "'=1+2"
 */
export function csvCell(value: string | number, options?: CsvCellOptions): string {
  if (typeof value === 'number') return String(value);
  const text = options?.guardFormulas && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
