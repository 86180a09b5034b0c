/**
 * The demo's end summary: totals, a chart of all events per day, the top events with
 * sparklines, the biggest week-over-week drops and rises. Plain text (no colour codes).
 * Aggregation keeps a few numbers per event, never the rows.
 */
import { escapeControlChars } from '../api/quote.js';
import { alignColumns } from '../core/columns.js';
import type { ClientStats } from '../core/types.js';
import { compactNumber, lineChart, sparkline } from './charts.js';

/** What the summary knows of one event. */
export interface EventStats {
  event: string;
  total: number;
  /** Sum of the last 7 buckets and of the 7 before (the summary covers complete days). */
  last7: number;
  prev7: number;
  spark: string;
}

/** Collects per-event stats and per-day totals as batches stream by. */
export function createDemoAggregator() {
  const stats: EventStats[] = [];
  const daily = new Map<string, number>();
  return {
    add(event: string, rows: ReadonlyArray<{ time: string; count: number }>) {
      const counts = rows.map((r) => r.count);
      for (const r of rows) daily.set(r.time, (daily.get(r.time) ?? 0) + r.count);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      stats.push({
        event,
        total: sum(counts),
        last7: sum(counts.slice(-7)),
        prev7: sum(counts.slice(-14, -7)),
        spark: sparkline(counts),
      });
    },
    events: () => stats,
    dailyTotals: () => [...daily.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  };
}

function change(e: EventStats): number {
  return e.prev7 === 0 ? (e.last7 > 0 ? Number.POSITIVE_INFINITY : 0) : e.last7 / e.prev7 - 1;
}

function pct(x: number): string {
  if (!Number.isFinite(x)) return 'new';
  const s = `${(x * 100).toFixed(0)}%`;
  return x > 0 ? `+${s}` : s;
}

function truncate(s: string, n: number): string {
  const chars = [...escapeControlChars(s)];
  return chars.length <= n ? chars.join('') : `${chars.slice(0, n - 1).join('')}…`;
}

function eventTable(list: readonly EventStats[], nameWidth: number): string {
  const rows = list.map((e) => [
    truncate(e.event, nameWidth),
    compactNumber(e.total),
    pct(change(e)),
    e.spark,
  ]);
  return `${alignColumns([['EVENT', 'TOTAL', '7D vs PREV', 'DAILY'], ...rows], [1, 2])
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
}

/** Everything the summary shows. */
export interface DemoSummaryInput {
  workspace: string;
  demo: boolean;
  endpoint: string;
  events: readonly EventStats[];
  dailyTotals: ReadonlyArray<readonly [string, number]>;
  stats: ClientStats;
  width: number;
}

/**
 * Formats the summary for stdout.
 *
 * @example
 * process.stdout.write(await formatDemoSummary(input));
 */
export async function formatDemoSummary(input: DemoSummaryInput): Promise<string> {
  const nameWidth = Math.max(16, Math.min(40, input.width - 40));
  const totals = input.dailyTotals.map(([, n]) => n);
  const grand = totals.reduce((a, b) => a + b, 0);
  const first = input.dailyTotals[0]?.[0] ?? '';
  const last = input.dailyTotals.at(-1)?.[0] ?? '';
  const active = input.events.filter((e) => e.total > 0);
  const silent = input.events.filter((e) => e.prev7 > 0 && e.last7 === 0);
  const movers = input.events.filter((e) => e.prev7 >= 100 || e.last7 >= 100);
  const drops = [...movers].sort((a, b) => change(a) - change(b)).filter((e) => change(e) < -0.2);
  const rises = [...movers].sort((a, b) => change(b) - change(a)).filter((e) => change(e) > 0.2);
  const top = [...input.events].sort((a, b) => b.total - a.total).slice(0, 10);

  let out = '\n';
  out += `braze-events — workspace "${input.workspace}"${input.demo ? ' (DEMO DATA from the built-in emulator)' : ` at ${input.endpoint}`}\n`;
  out += `${input.events.length} custom events, ${active.length} with counts; ${grand.toLocaleString('en-US')} events fired ${first} … ${last}\n`;
  out += `${input.stats.requests} requests, ${input.stats.retries} retries, ${input.stats.rateLimited} rate-limited\n\n`;
  if (totals.length > 1) {
    out += 'All custom events per day:\n';
    out += await lineChart(totals, { height: 8, width: Math.max(20, input.width - 12) });
    out += '\n';
  }
  if (top.length > 0) out += `Top events:\n${eventTable(top, nameWidth)}\n`;
  if (drops.length > 0) {
    out += `Biggest drops, last 7 days vs the 7 before:\n${eventTable(drops.slice(0, 5), nameWidth)}\n`;
  }
  if (rises.length > 0) {
    out += `Biggest rises:\n${eventTable(rises.slice(0, 5), nameWidth)}\n`;
  }
  if (silent.length > 0) {
    const names = silent
      .slice(0, 3)
      .map((e) => `"${truncate(e.event, 30)}"`)
      .join(', ');
    out += `Went silent this week: ${silent.length} (${names}${silent.length > 3 ? ', …' : ''})\n\n`;
  }
  return out;
}
