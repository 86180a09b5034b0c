/**
 * `braze-events check`: compares each event's last complete bucket with its seasonal
 * baseline and exits 3 when something looks wrong, so cron or CI can alert on it.
 */
import type { Command } from 'commander';
import { quoteInput } from '../../api/quote.js';
import { chosenHourBuckets, envHourBuckets, type GlobalOptions } from '../context.js';
import { EXIT_ANOMALIES, EXIT_FAILURE, EXIT_OK, runAction, UsageError } from '../errors.js';
import { collect, matchOption } from '../parse.js';

interface CheckFlags {
  db?: string;
  unit: string;
  baseline: string;
  drop: string;
  spike: string;
  minVolume: string;
  workspace?: string;
  match?: string[];
  json?: boolean;
  notify?: string[];
  notifyAlways?: boolean;
  notifyFormat?: string;
  dashboardUrl?: string;
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
  const { openDbFlag } = await import('../db-flag.js');
  return openDbFlag(flag, { mustExist: true });
}

/** Registers `check` on the program. */
export function register(program: Command): void {
  program
    .command('check')
    .description(
      "find drops, spikes, silent and new events in the synced database: each event's last complete bucket against the median of the same weekday (or hour) over the last N weeks",
    )
    .option('--db <url>', 'database: file path, sqlite:PATH or postgres://… (env BRAZE_EVENTS_DB)')
    .option('--unit <unit>', 'day or hour', 'day')
    .option(
      '--baseline <n>',
      'seasonal periods in the baseline (weeks; days for short hourly history)',
      '4',
    )
    .option(
      '--drop <pct>',
      'flag a drop below this percentage under the baseline (--json: options.dropFraction, 50 → 0.5)',
      '50',
    )
    .option('--spike <x>', 'flag a spike above this multiple of the baseline', '3')
    .option('--min-volume <n>', 'ignore events whose baseline (or new count) is below this', '20')
    .option('--workspace <name>', 'only this workspace (default: all in the database)')
    .addOption(matchOption())
    .option('--json', 'print the report as JSON')
    .option(
      '--notify <url>',
      'POST the report to this webhook when anomalies are found (repeatable; a Slack incoming webhook gets a Slack message; default: BRAZE_NOTIFY, or the profile\'s "notify")',
      collect,
    )
    .option('--notify-always', 'notify even when nothing was found (a daily digest)')
    .option(
      '--notify-format <format>',
      'slack or json (default: slack for hooks.slack.com/services/… URLs, else json)',
    )
    .option(
      '--dashboard-url <url>',
      'dashboard base URL to link each anomaly to (default: the profile\'s "dashboardUrl")',
    )
    .addHelpText(
      'after',
      `
Days and hours are those of the workspace's bucket zone, the one its syncs recorded (see
--bucket-utc-offset and --hour-buckets): a finding's BUCKET is that local day (or hour, with
its offset). An --hour-buckets (or BRAZE_HOUR_BUCKETS, or the profile's hourBuckets) that
contradicts a workspace's recorded alignment exits 2.

Exit codes: 0 nothing found, 3 anomalies found, 1 error (a webhook that still failed after
its retries included; no series of the unit to check, e.g. hours before a sync --unit hour),
2 bad flags. When a workspace's last sync did not succeed (interrupted, failed, still
running, or left running by a process that is gone) a warning names the run: its counts
may be incomplete (--json and the webhooks:
"incompleteSyncs"). Webhook URLs are secrets: only their host and first
path segment are ever printed. Keep them out of the command line (ps shows it to every
user): BRAZE_NOTIFY holds one or more, separated by spaces or commas.

Examples:
  $ braze-events check
  $ braze-events check --unit hour --drop 70 --min-volume 100
  $ braze-events check --match 'Purchase*'
  $ braze-events check --json --db postgres://localhost/braze || notify-team
  $ BRAZE_NOTIFY="$SLACK_WEBHOOK_URL" braze-events check --dashboard-url https://braze-dash.example.com`,
    )
    .action(
      runAction(async (flags: CheckFlags, cmd: Command) => {
        const globals = cmd.optsWithGlobals<GlobalOptions>();
        const { selectedProfile } = await import('../config.js');
        // Checked against each workspace's recorded alignment, which the check then uses.
        const hourBuckets = chosenHourBuckets(
          globals.hourBuckets,
          await selectedProfile(globals.profile),
          globals.profile !== undefined,
          envHourBuckets(process.env),
        );
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
          dropFraction: parsePercent('--drop', flags.drop),
          spike: parseNumber('--spike', flags.spike, (n) => n > 1, 'a number greater than 1'),
          minVolume: parseNumber('--min-volume', flags.minVolume, (n) => n >= 0, 'a number >= 0'),
          ...(flags.workspace !== undefined ? { workspace: flags.workspace } : {}),
          ...(flags.match?.length ? { match: flags.match } : {}),
          // Days and hours are cut in the zone the workspace's syncs recorded; an alignment
          // asked for here must agree with it (else exit 2, naming both).
          ...(hourBuckets !== undefined ? { hourBuckets } : {}),
        };
        const notify = await resolveNotify(flags, cmd.optsWithGlobals<GlobalOptions>());
        const db = await openExistingDatabase(flags.db);
        try {
          const check = await import('../../check/index.js');
          const report = await check.checkDatabase(db, options);
          report.incompleteSyncs = await check.readIncompleteSyncs(db, report.workspaces);
          // Nothing judged is not "no anomalies": a nightly job must see it fail.
          if (report.checkedSeries === 0) {
            process.stderr.write(check.formatCheckWarnings(report));
            throw await check.nothingCheckedError(db, report);
          }
          const { printJson, writeChunk } = await import('../output.js');
          if (flags.json) await printJson(report);
          else await writeChunk(process.stdout, check.formatCheckTable(report));
          const found = report.findings.length > 0;
          if (notify.urls.length > 0 && (found || flags.notifyAlways)) {
            const quiet = cmd.optsWithGlobals<GlobalOptions>().quiet === true;
            if (!(await sendNotifications(report, notify, quiet))) return EXIT_FAILURE;
          }
          return found ? EXIT_ANOMALIES : EXIT_OK;
        } finally {
          await db.close();
        }
      }),
    );
}

interface NotifyPlan {
  urls: URL[];
  format: 'slack' | 'json' | undefined;
  dashboardUrl: string | undefined;
}

/**
 * Webhooks from the flags, else an explicit `--profile`, else `BRAZE_NOTIFY`, else the
 * default profile (the API key's order); validated before anything is read.
 */
async function resolveNotify(flags: CheckFlags, globals: GlobalOptions): Promise<NotifyPlan> {
  const { parseNotifyEnv, parseWebhookUrl } = await import('../../check/notify.js');
  const needsProfile = flags.notify === undefined || flags.dashboardUrl === undefined;
  const profile = needsProfile
    ? await (await import('../config.js')).selectedProfile(globals.profile)
    : undefined;
  const fromEnv = parseNotifyEnv(process.env.BRAZE_NOTIFY);
  const fromProfile = profile?.notify;
  const [list, name] =
    flags.notify !== undefined
      ? [flags.notify, '--notify']
      : globals.profile !== undefined && fromProfile !== undefined
        ? [fromProfile, '--notify']
        : fromEnv !== undefined
          ? [fromEnv, 'BRAZE_NOTIFY']
          : [fromProfile ?? [], '--notify'];
  const urls = list.map((u) => {
    try {
      return parseWebhookUrl(u, name);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  });
  const format = flags.notifyFormat;
  if (format !== undefined && format !== 'slack' && format !== 'json') {
    throw new UsageError(`--notify-format must be slack or json, got ${quoteInput(format)}`);
  }
  const dashboardUrl = flags.dashboardUrl ?? profile?.dashboardUrl;
  if (dashboardUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(dashboardUrl)) {
    throw new UsageError(`--dashboard-url must be an http(s) URL, got ${quoteInput(dashboardUrl)}`);
  }
  if (flags.notifyAlways && urls.length === 0) {
    throw new UsageError(
      '--notify-always needs --notify URL (or BRAZE_NOTIFY, or "notify" in the profile)',
    );
  }
  return { urls, format, dashboardUrl };
}

/** Sends the report to every webhook; says on stderr what failed. False when one failed. */
async function sendNotifications(
  report: import('../../check/index.js').CheckReport,
  plan: NotifyPlan,
  quiet: boolean,
): Promise<boolean> {
  const { displayWebhookUrl, sendWebhook, webhookBody, webhookFormat } = await import(
    '../../check/notify.js'
  );
  let ok = true;
  for (const url of plan.urls) {
    const shown = displayWebhookUrl(url);
    const format = plan.format ?? webhookFormat(url);
    const result = await sendWebhook({
      url,
      body: webhookBody(format, report, plan.dashboardUrl),
      onRetry: (attempt, reason, waitMs) => {
        if (!quiet) {
          process.stderr.write(
            `webhook ${shown} ${reason}; retry ${attempt} in ${Math.round(waitMs / 100) / 10} s\n`,
          );
        }
      },
    });
    if (result.ok) {
      if (!quiet) process.stderr.write(`notified ${shown} (${format})\n`);
    } else {
      ok = false;
      process.stderr.write(
        `error: webhook ${shown} failed after ${result.attempts} attempt(s): ${result.error}\n`,
      );
    }
  }
  return ok;
}
