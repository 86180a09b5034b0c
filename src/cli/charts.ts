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
 * Axis labels with just enough decimals that neighbouring rows differ (1.52M, 1.54M …).
 */
export function axisFormatter(min: number, max: number, rows: number): (x: number) => string {
  const top = Math.max(Math.abs(min), Math.abs(max));
  const [scale, suffix] =
    top >= 1e9 ? [1e9, 'B'] : top >= 1e6 ? [1e6, 'M'] : top >= 1e4 ? [1e3, 'k'] : [1, ''];
  const step = (max - min) / Math.max(1, rows) / scale;
  const decimals = step > 0 ? Math.min(3, Math.max(0, Math.ceil(-Math.log10(step)))) : 0;
  return (x) => `${(x / scale).toFixed(decimals)}${suffix}`;
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
  const height = options.height ?? 8;
  const label = axisFormatter(min, max, height);
  const pad = Math.max(label(max).length, label(min).length) + 1;
  return `${plot(points, {
    height,
    padding: ' '.repeat(pad),
    format: (x) => label(x).padStart(pad),
    // A flat series would otherwise have a zero range and draw nothing useful.
    ...(max === min ? { min: 0, max: Math.max(1, max) } : {}),
  })}\n`;
}
