/**
 * Human tables for stdout. On a terminal, aligned columns with a header (like gh); piped,
 * tab-separated values without a header, so `cut -f` and `awk` work.
 */
import { escapeControlChars } from '../api/quote.js';
import type { CustomEvent } from '../core/types.js';

/** Aligns rows of cells into columns (first row is the header). */
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

/** Lines for `list --details`. */
export function formatEventTable(events: readonly CustomEvent[], tty: boolean): string[] {
  const cells = events.map((e) => [
    e.name,
    e.status,
    e.includedInAnalyticsReport ? 'yes' : 'no',
    e.tagNames.join(','),
    e.description,
  ]);
  if (!tty) return cells.map((c) => c.map((v) => v.replace(/[\t\n\r]/g, ' ')).join('\t'));
  return alignColumns([
    ['NAME', 'STATUS', 'ANALYTICS', 'TAGS', 'DESCRIPTION'],
    ...cells.map((c) => c.map(escapeControlChars)),
  ]);
}
