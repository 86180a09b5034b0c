/**
 * The `braze-events` root command. Imports only commander and the command registrars;
 * every command loads its heavy parts (client, export, sqlite, emulator) inside its action,
 * so `--help` stays fast.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { escapeControlChars } from '../api/quote.js';
import { HOUR_BUCKETS } from '../api/time.js';
import { register as registerAirbyte } from './commands/airbyte.js';
import { register as registerCheck } from './commands/check.js';
import { register as registerDemo } from './commands/demo.js';
import { register as registerDoctor } from './commands/doctor.js';
import { register as registerEmulator } from './commands/emulator.js';
import { register as registerExport } from './commands/export.js';
import { register as registerList } from './commands/list.js';
import { register as registerSeries } from './commands/series.js';
import { register as registerServe } from './commands/serve.js';
import { register as registerSinger } from './commands/singer.js';
import { register as registerStatus } from './commands/status.js';
import { register as registerSync } from './commands/sync.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './errors.js';
import { intOption, intParser, utcOffsetParser } from './parse.js';

/** Every command, in the order `--help` lists them. Owners add their line here. */
const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerDemo,
  registerDoctor,
  registerList,
  registerSeries,
  registerExport,
  registerSync,
  registerStatus,
  registerCheck,
  registerServe,
  registerEmulator,
  registerAirbyte,
  registerSinger,
];

function packageVersion(): string {
  try {
    // dist/cli/program.js and src/cli/program.ts are both two levels below the root.
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

const ROOT_HELP_FOOTER = `
Configuration (flags win over the environment, which wins over the default profile):
  BRAZE_API_KEY         REST API key (preferred over --api-key, which shows up in ps)
  BRAZE_REST_ENDPOINT   instance id (US-03, EU-01, ...) or REST base URL
  BRAZE_EVENTS_CONFIG   profiles file (default $XDG_CONFIG_HOME/braze-events/config.json,
                        else ~/.config/braze-events/config.json), e.g.
                        {"defaultProfile": "prod", "profiles": {"prod":
                          {"endpoint": "US-03", "apiKeyFile": "~/.braze/prod.key"}}}
  BRAZE_EVENTS_DB       database URL for sync/status/check/serve
  BRAZE_BUCKET_UTC_OFFSET  offset of Braze's day buckets, ±HH:MM from -12:00 to +14:00
                        (Braze does not document it; default UTC); a profile's bucketUtcOffset
  BRAZE_HOUR_BUCKETS    local or utc: hour buckets under an offset that is not whole hours
                        (+05:30) start on local or UTC hours (undocumented; default local)
  NO_COLOR, CI          disable colour / progress bars and charts

Exit codes:
  0  success
  1  runtime or API failure (network, Braze error, retries exhausted, a database server that is down)
  2  usage or validation error (bad flag, missing configuration, a --db, --out or --port that cannot be used, a PostgreSQL database or role that does not exist or a refused password included: nothing was sent; an --event or --match selecting nothing the workspace lists: only the listing was sent)
  3  check found anomalies
  130  stopped by Ctrl-C (SIGINT); 143 stopped by SIGTERM (export and sync finish or undo the write in
       flight first; serve and emulator, which run until stopped, exit 0; airbyte and singer exit 1)

Examples:
  $ npm start                                   # demo on built-in data, no key needed
  $ export BRAZE_API_KEY=... BRAZE_REST_ENDPOINT=US-03
  $ braze-events doctor                         # endpoint, permissions, budgets, database
  $ braze-events list
  $ braze-events series "Purchase Completed" --since 2026-10-01 --format csv
  $ braze-events export --all --format csv --out counts.csv
`;

/**
 * Builds the program with every command registered.
 *
 * @example
 * await createProgram().parseAsync(['node', 'braze-events', 'list']);
 */
export function createProgram(): Command {
  const program = new Command('braze-events')
    .description('Custom-event counts out of Braze: list, chart, export and sync them.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('-p, --profile <name>', 'profile from the config file'))
    .addOption(
      new Option(
        '-e, --endpoint <instance|url>',
        'Braze instance id (US-03) or REST URL (default: $BRAZE_REST_ENDPOINT)',
      ),
    )
    .addOption(new Option('--api-key-file <file>', 'read the REST API key from a file'))
    .addOption(
      new Option('--api-key <key>', 'REST API key (discouraged: visible in ps; use BRAZE_API_KEY)'),
    )
    .addOption(intOption('--max-retries <n>', 'retries of a failed request', 0, 100))
    .addOption(intOption('--timeout <ms>', 'per-request timeout in milliseconds', 1, 3_600_000))
    .addOption(
      new Option(
        '--max-retry-wait <ms>',
        'longest wait for a rate-limit reset before failing instead (default: 1 hour)',
      ).argParser(intParser('--max-retry-wait', 0, 3_600_000)),
    )
    .addOption(
      new Option(
        '--allow-insecure-http',
        'allow a plain http:// endpoint on a non-loopback host (the key then crosses the network unencrypted)',
      ),
    )
    .addOption(
      new Option(
        '--bucket-utc-offset <offset>',
        "UTC offset of Braze's day buckets, ±HH:MM from -12:00 to +14:00, e.g. -05:00 or +05:30 (Braze does not document it; default: $BRAZE_BUCKET_UTC_OFFSET, the profile's bucketUtcOffset, else UTC)",
      ).argParser(utcOffsetParser('--bucket-utc-offset')),
    )
    .addOption(
      new Option(
        '--hour-buckets <alignment>',
        "under an offset that is not whole hours (+05:30), whether hour buckets start on local hours or UTC hours (Braze does not document it; default: $BRAZE_HOUR_BUCKETS, the profile's hourBuckets, else local; a workspace's syncs record it, and sync and check refuse the other one)",
      ).choices([...HOUR_BUCKETS]),
    )
    .addOption(
      new Option(
        '-q, --quiet',
        'no progress, notices or wait lines on stderr (errors and warnings still print)',
      ),
    )
    .addOption(new Option('--debug', 'print requests and stacks on stderr (key redacted)'))
    // Commander's own parse errors become one line, like every other error.
    .configureOutput({
      // Commander quotes what was typed (an unknown command or option): shown escaped.
      outputError: (text, write) =>
        write(`${escapeControlChars(text.trim().replace(/\s*\n\s*/g, ' '))} (see --help)\n`),
    })
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .addHelpText('after', ROOT_HELP_FOOTER);
  for (const register of COMMANDS) register(program);
  // `(default: 4)`, as the commands with parsed defaults show theirs, not `(default: "4")`.
  for (const command of program.commands) {
    for (const option of command.options) {
      if (typeof option.defaultValue === 'string' && option.defaultValueDescription === undefined) {
        option.defaultValueDescription = option.defaultValue;
      }
    }
  }
  return program;
}

/**
 * Runs the CLI. Sets `process.exitCode` instead of exiting, so stdout is flushed.
 * Commander's own parse errors exit 2 (usage), like every other usage error.
 */
export async function main(argv: readonly string[]): Promise<void> {
  // `braze-events … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw err;
  });
  const program = createProgram();
  if (argv.length <= 2) {
    // No command: the overview on stdout, like gh, rather than commander's error-help.
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok =
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help' ||
        err.exitCode === 0;
      process.exitCode = ok ? EXIT_OK : EXIT_USAGE;
      return;
    }
    process.stderr.write(`error: ${escapeControlChars((err as Error).message)}\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
