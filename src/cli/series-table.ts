/**
 * The `table` output of `series`: an optional chart and summary, then aligned rows.
 */
import type { Unit } from '../api/constants.js';
import { escapeControlChars } from '../api/quote.js';
import { alignColumns } from '../core/columns.js';
import type { ExportRow } from '../export/types.js';
import { compactNumber, lineChart, sparkline } from './charts.js';

/**
 * Formats one event's rows as text for stdout.
 *
 * @example
 * await formatSeriesTable('Purchase', 'day', rows, { chart: true, tty: true })
 */
export async function formatSeriesTable(
  event: string,
  unit: Unit,
  rows: readonly ExportRow[],
  options: { chart: boolean; tty: boolean },
): Promise<string> {
  const counts = rows.map((r) => r.count);
  let out = '';
  if (options.chart && rows.length > 0) {
    const total = counts.reduce((a, b) => a + b, 0);
    out += `${escapeControlChars(event)} — ${rows.length} ${unit}s, ${rows[0]!.time} … ${rows.at(-1)!.time}\n`;
    out += `total ${total.toLocaleString('en-US')}, max ${compactNumber(Math.max(...counts))}, min ${compactNumber(Math.min(...counts))}\n\n`;
    out +=
      rows.length >= 3
        ? await lineChart(counts, { height: 8, width: 72 })
        : `${sparkline(counts)}\n`;
    out += '\n';
  }
  const cells = rows.map((r) => [r.time, String(r.count)]);
  if (!options.tty) {
    return `${out}${cells.map((c) => c.join('\t')).join('\n')}${cells.length ? '\n' : ''}`;
  }
  return `${out}${alignColumns([['TIME', 'COUNT'], ...cells], [1]).join('\n')}\n`;
}
