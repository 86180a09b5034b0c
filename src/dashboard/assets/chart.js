// Thin wrappers around uPlot (loaded from /vendor as the global `uPlot`).

export const PALETTE = [
  '#5b3fd9',
  '#e0569b',
  '#1f9d8a',
  '#f08c2e',
  '#3a86ff',
  '#8d6e63',
  '#9c27b0',
  '#43a047',
  '#d81b60',
  '#00838f',
];

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('en-US');

/**
 * Draws a time-series chart into `container` once it is in the document (uPlot needs a width).
 * series: [{ label, values, color?, fill? }]; times: epoch seconds.
 */
export function timeChart(container, { times, series, unit, height = 280 }) {
  let plot;
  const draw = () => {
    const width = Math.max(320, container.clientWidth);
    if (plot) {
      plot.setSize({ width, height });
      return;
    }
    plot = new uPlot(
      {
        width,
        height,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'),
        cursor: { drag: { x: true, y: false } },
        legend: { live: true },
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
        },
        axes: [
          { stroke: '#6b6880', grid: { stroke: '#eeedf3' }, ticks: { stroke: '#e2e0ea' } },
          {
            stroke: '#6b6880',
            grid: { stroke: '#eeedf3' },
            ticks: { show: false },
            size: 56,
            values: (_u, vals) => vals.map((v) => compact.format(v)),
          },
        ],
        series: [
          {
            label: unit === 'hour' ? 'Hour (UTC)' : 'Day (UTC)',
            value: unit === 'hour' ? '{YYYY}-{MM}-{DD} {HH}:{mm}' : '{YYYY}-{MM}-{DD}',
          },
          ...series.map((s, i) => {
            const color = s.color ?? PALETTE[i % PALETTE.length];
            return {
              label: s.label,
              stroke: color,
              width: 2,
              fill: s.fill ? `${color}22` : undefined,
              points: { show: times.length <= 45, size: 5 },
              value: (_u, v) => (v === null || v === undefined ? '–' : integer.format(v)),
            };
          }),
        ],
      },
      [times, ...series.map((s) => s.values)],
      container,
    );
  };
  const observer = new ResizeObserver(() => {
    if (container.isConnected && container.clientWidth > 0) draw();
  });
  observer.observe(container);
  return {
    destroy() {
      observer.disconnect();
      plot?.destroy();
    },
  };
}

/** A server-computed sparkline as a tiny inline SVG (cheap enough for 2,000 rows). */
export function sparklinePoints(values, width, height) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  return values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`)
    .join(' ');
}
