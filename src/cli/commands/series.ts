/**
 * `braze-events series <event>`: one event's counts over a range, as a table (with a chart
 * on a terminal), CSV, JSON or NDJSON.
 */
import { type Command, Option } from 'commander';
import { runAction } from '../errors.js';
import { addRangeOptions, type RangeFlags } from '../range.js';

const SERIES_FORMATS = ['table', 'csv', 'json', 'ndjson'] as const;
type SeriesFormat = (typeof SERIES_FORMATS)[number];

interface SeriesFlags extends RangeFlags {
  format: SeriesFormat;
  json?: boolean;
  chart?: boolean;
}

/** Registers `series` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('series')
    .description("one event's counts over time")
    .argument('<event>', 'custom event name (quote it if it has spaces)');
  addRangeOptions(cmd)
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices([...SERIES_FORMATS])
        // Piped, the default "table" is bare tab-separated rows (no header, no chart): say so.
        .default('table', 'a table on a terminal, tab-separated rows without a header when piped'),
    )
    .addOption(new Option('--json', 'same as --format json'))
    .addOption(new Option('--no-chart', 'no chart above the table'))
    .addHelpText(
      'after',
      `
Without a range flag: the last 30 days (or 24 hours with --unit hour), today included.
The table marks the current bucket "(partial)": Braze is still counting it. CSV, JSON and
NDJSON rows carry no marker; --complete-only ends at the last complete bucket instead.

Examples:
  $ braze-events series "Purchase Completed"
  $ braze-events series "Purchase Completed" --since 2026-10-01 --until 2026-11-01 --format csv
  $ braze-events series "App Open" --unit hour --length 48 --json`,
    )
    .action(
      runAction(async (event: string, flags: SeriesFlags, cmd: Command) => {
        const { resolveRange } = await import('../range.js');
        const { UsageError } = await import('../errors.js');
        if (event.trim() === '') throw new UsageError('<event> must not be empty');
        const format: SeriesFormat = flags.json ? 'json' : flags.format;
        const [{ openSession }, output, exp, { endAtLastComplete }] = await Promise.all([
          import('../context.js'),
          import('../output.js'),
          import('../../export/index.js'),
          import('../range.js'),
        ]);
        const asked = resolveRange(flags, new Date());
        const { client, log } = await openSession(cmd);
        const range = flags.completeOnly
          ? endAtLastComplete(asked, new Date(), client.bucketZone)
          : asked;
        const exportOptions = {
          events: [event],
          unit: range.unit,
          ...(range.kind === 'length'
            ? { length: range.length, ...(range.endingAt ? { endingAt: range.endingAt } : {}) }
            : { since: range.since, ...(range.until ? { until: range.until } : {}) }),
          ...(flags.appId !== undefined ? { appId: flags.appId } : {}),
          ...(flags.segmentId !== undefined ? { segmentId: flags.segmentId } : {}),
        };
        // One event is small: fetch it whole, so a failure leaves stdout empty.
        const rows = await exp.fetchEventRows(
          client,
          event,
          exportOptions,
          new AbortController().signal,
        );
        if (rows.length > 0 && rows.every((r) => r.count === 0)) {
          // Braze answers zeros for names it has never seen: a typo looks like silence.
          log.info(
            `note: every count is 0; if that is unexpected, check the name with: braze-events list --match ${JSON.stringify(`*${event.slice(0, 20)}*`)}`,
          );
        }
        if (format !== 'table') {
          const f = exp.createRowFormatter(format, exp.exportColumns(exportOptions));
          await output.writeChunk(
            process.stdout,
            f.header() + rows.map(f.row).join('') + f.footer(),
          );
          return;
        }
        const caps = output.detectTerminal();
        const { formatSeriesTable } = await import('../series-table.js');
        const text = await formatSeriesTable(event, range.unit, rows, {
          chart: caps.stdoutIsTTY && !caps.ci && flags.chart !== false,
          // An explicit --format table is a table with its header even when piped; the
          // default, piped, stays bare TSV for scripts.
          tty: caps.stdoutIsTTY || cmd.getOptionValueSource('format') === 'cli',
          zone: client.bucketZone,
          now: new Date(),
        });
        await output.writeChunk(process.stdout, text);
      }),
    );
}
