/** Plain-text rendering of a check report, for the CLI and the demo. Pure. */
import type { Unit } from '../api/constants.js';
import { escapeControlChars } from '../api/quote.js';
import { formatLocalDate, formatLocalTime, formatUtcOffset, instantMs } from '../api/time.js';
import { alignColumns } from '../core/columns.js';
import type { CheckReport, Finding } from './database.js';
import { describeIncompleteSync } from './sync-health.js';

/**
 * Formats a bucket start for people, on the workspace's clock (`offset` minutes east of
 * UTC): `2026-03-02` for days, `2026-03-02 14:00Z` or `2026-03-02 19:30+05:30` for hours.
 */
export function formatBucket(bucketStart: string, unit: Unit, offset = 0): string {
  const ms = instantMs(bucketStart);
  if (unit === 'day') return formatLocalDate(ms, offset);
  return `${formatLocalTime(ms, offset)}${offset === 0 ? 'Z' : formatUtcOffset(offset)}`;
}

/** `-62.5%`, `+310%`, `new` when there was nothing to compare with. */
export function formatChange(finding: Pick<Finding, 'changePct'>): string {
  const pct = finding.changePct;
  if (pct === null) return 'n/a';
  const rounded = Math.abs(pct) >= 100 ? Math.round(pct) : Math.round(pct * 10) / 10;
  return `${rounded > 0 ? '+' : ''}${rounded}%`;
}

function formatNumber(value: number | null): string {
  if (value === null) return '-';
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * Renders findings as an aligned table plus a one-line summary.
 *
 * @example
 * process.stdout.write(formatCheckTable(await checkDatabase(db)));
 */
export function formatCheckTable(report: CheckReport): string {
  return `${formatFindings(report)}${formatCheckWarnings(report)}`;
}

/**
 * `warning: …` lines, one per workspace whose last sync did not succeed (its counts may be
 * incomplete), or ''.
 */
export function formatCheckWarnings(report: Pick<CheckReport, 'incompleteSyncs'>): string {
  return (report.incompleteSyncs ?? [])
    .map((s) => `warning: ${describeIncompleteSync(s)}\n`)
    .join('');
}

function formatFindings(report: CheckReport): string {
  const summary = `${report.findings.length} ${report.findings.length === 1 ? 'anomaly' : 'anomalies'} in ${report.checkedSeries} ${report.unit} series`;
  if (report.findings.length === 0)
    return `No anomalies: ${report.checkedSeries} ${report.unit} series checked.\n`;
  const many = report.workspaces.length > 1;
  const header = [
    ...(many ? ['WORKSPACE'] : []),
    'EVENT',
    'KIND',
    'BUCKET',
    'VALUE',
    'BASELINE',
    'CHANGE',
  ];
  const rows = report.findings.map((f) => [
    // Names are data: a name holding ESC or U+202E must not drive the terminal.
    ...(many ? [escapeControlChars(f.workspace)] : []),
    escapeControlChars(f.event),
    f.kind,
    formatBucket(f.bucketStart, report.unit, f.utcOffsetMinutes),
    formatNumber(f.count),
    formatNumber(f.baseline),
    formatChange(f),
  ]);
  const numeric = [header.length - 3, header.length - 2, header.length - 1];
  return `${alignColumns([header, ...rows], numeric).join('\n')}\n\n${summary}.\n`;
}
