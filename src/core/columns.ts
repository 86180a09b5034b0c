/**
 * The one aligned-column table of every human output (list --details, series, the demo
 * summary, the check's findings). Pure.
 */

/**
 * Aligns rows of cells into columns two spaces apart, widths counted in code points; the
 * columns in `rightAlign` (indexes) are padded on the left, the last column is never padded
 * on the right. Callers escape names first (api/quote.ts): a cell is shown as is.
 *
 * @example
 * alignColumns([['EVENT', 'COUNT'], ['Purchase', '12']], [1]); // ['EVENT     COUNT', 'Purchase     12']
 */
export function alignColumns(
  rows: readonly (readonly string[])[],
  rightAlign: number[] = [],
): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        const pad = ' '.repeat(w - [...cell].length);
        if (rightAlign.includes(i)) return pad + cell;
        return i === row.length - 1 ? cell : cell + pad;
      })
      .join('  '),
  );
}
