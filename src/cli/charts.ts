/**
 * Terminal charts: a one-line sparkline and a small line chart (asciichart). Plain text,
 * no colour codes, so they read the same in a terminal, a log file or a CI page.
 */

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A one-line chart of the values, one character each.
 *
 * @example
 * sparkline([1, 5, 3]) // '▁█▄'
 */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  return values
    .map((v) => BARS[span === 0 ? (max === 0 ? 0 : 3) : Math.round(((v - min) / span) * 7)]!)
    .join('');
}

/** Averages `values` into at most `width` points, keeping the shape. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.floor(((i + 1) * values.length) / width);
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j]!;
    out.push(sum / Math.max(1, to - from));
  }
  return out;
}

/** Compact count: 1234 → '1.2k', 5_600_000 → '5.6M'. */
export function compactNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/**
 * A line chart of `values`, `height` rows tall and at most `width` columns wide (longer
 * series are averaged down), labels on the left.
 *
 * @example
 * process.stdout.write(await lineChart([3, 5, 2, 8], { height: 5 }));
 */
export async function lineChart(
  values: readonly number[],
  options: { height?: number; width?: number } = {},
): Promise<string> {
  if (values.length === 0) return '';
  const { plot } = await import('asciichart');
  const points = downsample(values, options.width ?? 60);
  const max = Math.max(...points);
  const min = Math.min(...points);
  const labels = [max, min].map(compactNumber);
  const pad = Math.max(...labels.map((l) => l.length)) + 1;
  return `${plot(points, {
    height: options.height ?? 8,
    padding: ' '.repeat(pad),
    format: (x) => compactNumber(x).padStart(pad),
    // A flat series would otherwise have a zero range and draw nothing useful.
    ...(max === min ? { min: 0, max: Math.max(1, max) } : {}),
  })}\n`;
}
