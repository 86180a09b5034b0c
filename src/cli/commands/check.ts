/**
 * `braze-events check`: compares each event's last complete bucket with its seasonal
 * baseline and exits 3 when something looks wrong, so cron or CI can alert on it.
 */
import type { Command } from 'commander';
import { quoteInput } from '../../core/quote.js';
import { envHourBuckets, type GlobalOptions } from '../context.js';
import { EXIT_ANOMALIES, EXIT_OK, runAction, UsageError } from '../errors.js';

interface CheckFlags {
  db?: string;
  unit: string;
  baseline: string;
  drop: string;
  spike: string;
  minVolume: string;
  workspace?: string;
  json?: boolean;
}

/** Parses `50`, `50%` or `12.5` as a fraction of 1 (0.5, 0.5, 0.125). */
export function parsePercent(name: string, value: string): number {
  // Trim first: `\s*` runs on both sides of an optional token backtrack quadratically.
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(value.trim());
  const pct = match ? Number(match[1]) : Number.NaN;
  if (!(pct > 0 && pct < 100)) {
    throw new UsageError(
      `${name} must be a percentage between 0 and 100, got ${quoteInput(value)}`,
    );
  }
  return pct / 100;
}

function parseNumber(
  name: string,
  value: string,
  ok: (n: number) => boolean,
  want: string,
): number {
  const n = /^\s*\d+(?:\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!ok(n)) throw new UsageError(`${name} must be ${want}, got ${quoteInput(value)}`);
  return n;
}

/**
 * Opens the database named by `--db` / BRAZE_EVENTS_DB for reading. A SQLite file that
 * does not exist is a usage error (opening it would create an empty database).
 */
export async function openExistingDatabase(flag: string | undefined) {
  const { existsSync } = await import('node:fs');
  const { parseDatabaseUrl, resolveDatabaseUrl, redactDatabaseUrl } = await import(
    '../../sync/db/url.js'
  );
  const url = resolveDatabaseUrl(flag, process.env);
  let target: ReturnType<typeof parseDatabaseUrl>;
  try {
    target = parseDatabaseUrl(url);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (target.dialect === 'sqlite' && target.path !== ':memory:' && !existsSync(target.path)) {
    throw new UsageError(
      `no database at ${redactDatabaseUrl(url)}: run "braze-events sync" first, or pass --db / set BRAZE_EVENTS_DB`,
    );
  }
  const { openDatabase } = await import('../../sync/db/index.js');
  return openDatabase(url);
}

/** Registers `check` on the program. */
export function register(program: Command): void {
  program
    .command('check')
    .description(
      "Find drops, spikes, silent and new events in the synced database: each event's last complete bucket against the median of the same weekday (or hour) over the last N weeks",
    )
    .option('--db <url>', 'database: file path, sqlite:PATH or postgres://… (env BRAZE_EVENTS_DB)')
    .option('--unit <unit>', 'day or hour', 'day')
    .option(
      '--baseline <n>',
      'seasonal periods in the baseline (weeks; days for short hourly history)',
      '4',
    )
    .option('--drop <pct>', 'flag a drop below this percentage under the baseline', '50')
    .option('--spike <x>', 'flag a spike above this multiple of the baseline', '3')
    .option('--min-volume <n>', 'ignore events whose baseline (or new count) is below this', '20')
    .option('--workspace <name>', 'only this workspace (default: all in the database)')
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Days are those of the workspace's bucket offset, the one its syncs recorded (see
--bucket-utc-offset): a finding's BUCKET is that local day (or hour, with its offset).

Exit codes: 0 nothing found, 3 anomalies found, 1 error, 2 bad flags.

Examples:
  $ braze-events check
  $ braze-events check --unit hour --drop 70 --min-volume 100
  $ braze-events check --json --db postgres://localhost/braze || notify-team`,
    )
    .action(
      runAction(async (flags: CheckFlags, cmd: Command) => {
        const hourBuckets =
          cmd.optsWithGlobals<GlobalOptions>().hourBuckets ?? envHourBuckets(process.env);
        if (flags.unit !== 'day' && flags.unit !== 'hour') {
          throw new UsageError(`--unit must be day or hour, got "${flags.unit}"`);
        }
        const options = {
          unit: flags.unit as 'day' | 'hour',
          baseline: parseNumber(
            '--baseline',
            flags.baseline,
            (n) => Number.isInteger(n) && n >= 1 && n <= 52,
            'an integer from 1 to 52',
          ),
          drop: parsePercent('--drop', flags.drop),
          spike: parseNumber('--spike', flags.spike, (n) => n > 1, 'a number greater than 1'),
          minVolume: parseNumber('--min-volume', flags.minVolume, (n) => n >= 0, 'a number >= 0'),
          ...(flags.workspace !== undefined ? { workspace: flags.workspace } : {}),
          // Days are cut at the offset the workspace's syncs recorded; hours need the rule.
          ...(hourBuckets !== undefined ? { hourBuckets } : {}),
        };
        const db = await openExistingDatabase(flags.db);
        try {
          const { checkDatabase, formatCheckTable } = await import('../../check/index.js');
          const report = await checkDatabase(db, options);
          const { printJson, writeChunk } = await import('../output.js');
          if (flags.json) await printJson(report);
          else await writeChunk(process.stdout, formatCheckTable(report));
          return report.findings.length > 0 ? EXIT_ANOMALIES : EXIT_OK;
        } finally {
          await db.close();
        }
      }),
    );
}
