/**
 * `braze-events export`: many events' counts in one run, streamed as CSV, NDJSON or a JSON
 * array to stdout or (atomically) to a file; progress on stderr.
 */
import { type Command, Option } from 'commander';
import { runAction } from '../errors.js';
import { collect, intOption, matchOption } from '../parse.js';
import { addRangeOptions, type RangeFlags } from '../range.js';

interface ExportFlags extends RangeFlags {
  event?: string[];
  all?: boolean;
  match?: string[];
  format: 'csv' | 'ndjson' | 'json';
  json?: boolean;
  out: string;
  concurrency?: number;
}

/** Registers `export` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('export')
    .description('export many events’ counts as CSV, NDJSON or JSON (streamed)')
    .addOption(
      new Option('--event <name>', 'an event to export (repeatable)')
        .argParser(collect)
        .conflicts('match'),
    )
    .addOption(new Option('-a, --all', 'every custom event of the workspace').conflicts('event'))
    .addOption(matchOption('; implies --all'));
  addRangeOptions(cmd)
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['csv', 'ndjson', 'json'])
        .default('csv'),
    )
    .addOption(new Option('--json', 'same as --format json'))
    .addOption(
      new Option(
        '-o, --out <file>',
        'write to FILE (atomically: complete or absent; a device or pipe is written in place), - for stdout',
      ).default('-'),
    )
    .addOption(intOption('-c, --concurrency <n>', 'events fetched at once (default 4)', 1, 64))
    .addHelpText(
      'after',
      `
Columns: event,unit,time,count (+ app_id, segment_id when filtered by them), sorted by
event then time; time is exactly as Braze sent it. Without a range flag: the last 30 days
(or 24 hours with --unit hour), today included: the last row is then the current bucket,
still growing. --complete-only ends at the last complete bucket instead (same length).

One event's failure is that event's failure: when Braze refuses one event (400 for a
reserved name such as $Purchase, 404 for a name deleted since the listing) or a name cannot
be sent (half an emoji), each is named on stderr as it happens and the others are exported
in full. The output (stdout, or the file, still written atomically) then holds every row of
every other event and none of the failed ones; the run ends with one line naming the failed
events (a few, then a count) and exit 1. A rejected key (401/403), a spent rate limit or
Braze being down (network, 5xx after the retries) stops the export at once: no file.

--event names and --match globs are checked against the workspace's listing first: a name
it does not list, or a glob matching none of its events, is a usage error (exit 2, one line
naming them) before any data_series request.

Exit codes: 0 every event exported, 1 some events failed or the export stopped, 2 bad flags
or a selection the workspace does not hold, 130 Ctrl-C (SIGINT), 143 SIGTERM (no file).

Examples:
  $ braze-events export --all --format csv --out counts.csv
  $ braze-events export --match 'Purchase*' --since 2026-01-01 --format ndjson | jq .
  $ braze-events export --event "Sign Up" --event "Login" --unit hour --length 48`,
    )
    .action(
      runAction(async (flags: ExportFlags, cmd: Command) => {
        const { UsageError } = await import('../errors.js');
        const { resolveRange } = await import('../range.js');
        if (!flags.event?.length && !flags.all && !flags.match?.length) {
          throw new UsageError(
            'say which events to export: --event NAME (repeatable), --all, or --match GLOB',
          );
        }
        if (flags.event?.some((e) => e.trim() === '')) {
          throw new UsageError('--event must not be empty');
        }
        if (flags.out !== '-') {
          const { checkOutPath } = await import('../out-path.js');
          await checkOutPath(flags.out);
        }
        const format = flags.json ? 'json' : flags.format;
        const range = resolveRange(flags, new Date());
        const { runExport } = await import('../run-export.js');
        await runExport(cmd, {
          format,
          out: flags.out,
          range,
          ...(flags.event?.length ? { events: flags.event } : {}),
          ...(flags.match?.length ? { match: flags.match } : {}),
          ...(flags.appId !== undefined ? { appId: flags.appId } : {}),
          ...(flags.segmentId !== undefined ? { segmentId: flags.segmentId } : {}),
          ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
          ...(flags.completeOnly ? { completeOnly: true } : {}),
        });
      }),
    );
}
