/**
 * The `table` output of `series`: an optional chart and summary, then aligned rows.
 */
import type { Unit } from '../api/constants.js';
import { escapeControlChars } from '../api/quote.js';
import { type BucketZone, floorToBucket, parseBucketTime } from '../api/time.js';
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
  options: { chart: boolean; tty: boolean; zone?: BucketZone; now?: Date },
): Promise<string> {
  // The bucket `now` falls in is still growing: at 23:55 a bare count looks like a drop.
  const current =
    options.now === undefined
      ? Number.POSITIVE_INFINITY
      : floorToBucket(options.now.getTime(), unit, options.zone);
  const partial = (time: string) => {
    try {
      return parseBucketTime(time, unit, options.zone ?? {}).getTime() >= current;
    } catch {
      return false; // a time the client passed on unread is shown as it came
    }
  };
  const counts = rows.map((r) => r.count);
  let out = '';
  if (options.chart && rows.length > 0) {
    const total = counts.reduce((a, b) => a + b, 0);
    const last = rows.at(-1)!.time;
    out += `${escapeControlChars(event)} — ${rows.length} ${unit}s, ${rows[0]!.time} … ${last}${partial(last) ? ' (partial)' : ''}
`;
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
  const marked = rows.map((r, i) => [...cells[i]!, partial(r.time) ? '(partial)' : '']);
  const lines = alignColumns([['TIME', 'COUNT', ''], ...marked], [1]).map((l) => l.trimEnd());
  return `${out}${lines.join('\n')}\n`;
}
