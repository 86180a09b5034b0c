// @ts-check
// Thin wrappers around uPlot (loaded from /vendor as the global `uPlot`).
import { bucketSpanMs, formatLocalTime, formatUtcOffset, wallClockMs } from './time.js';

/** @typedef {import('../api-types.js').Unit} Unit */
/**
 * A line of a chart: one value per time (null: not stored), its colour (default: the
 * palette's, in order) and whether the area under it is filled.
 * @typedef {{ label: string, values: (number | null)[], color?: string, fill?: boolean }} ChartSeries
 */

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
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const DAY_S = bucketSpanMs('day') / 1000;

/**
 * Axis labels on the workspace's clock (`offset` minutes east of UTC): "Mar 2", "14:00"
 * within a day, "Mar 2026" for month steps.
 * @param {number} seconds
 * @param {number} incr
 * @param {number} offset
 */
function tick(seconds, incr, offset) {
  const local = formatLocalTime(seconds * 1000, offset); // YYYY-MM-DD HH:MM
  const month = MONTHS[Number(local.slice(5, 7)) - 1];
  if (incr >= 28 * DAY_S) return `${month} ${local.slice(0, 4)}`;
  const time = local.slice(11, 16);
  if (incr < DAY_S && time !== '00:00') return time;
  return `${month} ${Number(local.slice(8, 10))}`;
}
const integer = new Intl.NumberFormat('en-US');

/**
 * Draws a time-series chart into `container` once it is in the document (uPlot needs a width).
 * series: [{ label, values, color?, fill? }]; times: epoch seconds; offset: the workspace's
 * minutes east of UTC, the clock the axis and legend show.
 * @param {HTMLElement} container
 * @param {{ times: number[], series: ChartSeries[], unit: Unit, height?: number, mark?: number | undefined, offset?: number }} options
 */
export function timeChart(container, { times, series, unit, height = 280, mark, offset = 0 }) {
  // A translucent band over the bucket the check flagged (mark: epoch seconds).
  const markHook = (/** @type {uPlot} */ u) => {
    if (mark === undefined) return;
    const size = bucketSpanMs(unit) / 1000;
    const x0 = u.valToPos(mark - size / 2, 'x', true);
    const x1 = u.valToPos(mark + size / 2, 'x', true);
    const { ctx } = u;
    ctx.save();
    ctx.fillStyle = 'rgba(200, 50, 58, 0.12)';
    ctx.fillRect(
      Math.max(x0, u.bbox.left),
      u.bbox.top,
      Math.min(x1, u.bbox.left + u.bbox.width) - Math.max(x0, u.bbox.left),
      u.bbox.height,
    );
    ctx.restore();
  };
  /** @type {uPlot | undefined} */
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
        // A Date whose UTC fields are the workspace's wall clock: uPlot then places ticks
        // on its midnights and the legend shows its times.
        tzDate: (ts) => uPlot.tzDate(new Date(wallClockMs(ts * 1000, offset)), 'Etc/UTC'),
        cursor: { drag: { x: true, y: false } },
        hooks: { drawClear: [markHook] },
        legend: { live: true },
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] },
        },
        axes: [
          {
            stroke: '#6b6880',
            grid: { stroke: '#eeedf3' },
            ticks: { stroke: '#e2e0ea' },
            values: (_u, splits, _axis, _space, incr) => splits.map((s) => tick(s, incr, offset)),
          },
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
            label: `${unit === 'hour' ? 'Hour' : 'Day'} (${formatUtcOffset(offset)})`,
            value: unit === 'hour' ? '{YYYY}-{MM}-{DD} {HH}:{mm}' : '{YYYY}-{MM}-{DD}',
          },
          ...series.map((s, i) => {
            // The index is always within the palette.
            const color = s.color ?? /** @type {string} */ (PALETTE[i % PALETTE.length]);
            return {
              label: s.label,
              stroke: color,
              width: 2,
              // uPlot's types take no explicit undefined: no fill is no `fill` key.
              ...(s.fill ? { fill: `${color}22` } : {}),
              points: { show: times.length <= 45, size: 5 },
              value: (/** @type {uPlot} */ _u, /** @type {number | null} */ v) =>
                v === null || v === undefined ? '–' : integer.format(v),
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

/**
 * A server-computed sparkline as a tiny inline SVG (cheap enough for 2,000 rows). A null
 * value is a bin not (wholly) synced: it is left out, not drawn as 0, and a line never
 * crosses it (an unsynced week between synced ones would otherwise read as a straight
 * trend). Returns one run per stretch of non-null values: its points and the x of its ends
 * (for the area under it).
 * @param {(number | null)[]} values
 * @param {number} width
 * @param {number} height
 * @returns {{ points: string, first: number, last: number }[]}
 */
export function sparklinePoints(values, width, height) {
  const max = Math.max(1, ...values.map((v) => v ?? 0));
  const step = values.length > 1 ? width / (values.length - 1) : width;
  /** @type {[number, number][][]} */
  const runs = [];
  /** @type {[number, number][] | null} */
  let run = null;
  values.forEach((v, i) => {
    if (v === null) {
      run = null;
      return;
    }
    if (run === null) {
      run = [];
      runs.push(run);
    }
    run.push([i * step, height - 2 - (v / max) * (height - 4)]);
  });
  return runs.map((points) => ({
    points: points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '),
    first: points[0]?.[0] ?? 0,
    last: points.at(-1)?.[0] ?? 0,
  }));
}
