/**
 * `braze-events emulator`: runs the local Braze emulator until SIGINT/SIGTERM. The first
 * line of stdout is its base URL, printed once it listens; logs go to stderr. Options map
 * one to one onto `startEmulator` (src/emulator/README.md).
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { isBrazeOptionError } from '../../api/option-errors.js';
import { quoteInput } from '../../api/quote.js';
import { DEFAULT_HOUR_BUCKETS, describeHourBuckets, formatUtcOffset } from '../../api/time.js';
// Static on purpose: the flags' choices are needed to register the command, and
// defaults.ts holds constants only (the emulator itself is imported when it runs).
import {
  FUTURE_ENDING_AT,
  type FutureEndingAt,
  HOUR_FORMATS,
  LINK_STYLES,
  type LinkStyle,
} from '../../emulator/defaults.js';
import type { HourFormat } from '../../emulator/types.js';
import { envBucketOffset, envHourBuckets, type GlobalOptions } from '../context.js';
import { listenError, runAction, UsageError } from '../errors.js';
import { collect, intOption } from '../parse.js';

interface EmulatorFlags {
  port?: number;
  host?: string;
  seed?: number;
  events?: number;
  data?: string;
  key?: string[];
  hourMs?: number;
  rateLimitListing?: number;
  rateLimitDataSeries?: number;
  fault?: string[];
  futureEndingAt?: FutureEndingAt;
  hourFormat?: HourFormat;
  anchor?: string;
  provisional?: string;
  linkStyle?: LinkStyle;
}

/** A signed integer flag within bounds (the shared intParser takes no sign). */
function signedInt(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^[+-]?\d{1,10}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!(n >= min && n <= max)) {
      throw new InvalidArgumentError(
        `${name} must be an integer from ${min} to ${max}, got ${quoteInput(value)}`,
      );
    }
    return n;
  };
}

/** Registers `emulator` on the program. */
export function register(program: Command): void {
  program
    .command('emulator')
    .description('run a local Braze emulator for the custom-events endpoints (prints its URL)')
    .addOption(intOption('--port <n>', 'port (0 = any free port)', 0, 65_535).default(0))
    .addOption(new Option('--host <host>', 'address to bind').default('127.0.0.1'))
    .addOption(
      new Option('--seed <n>', 'seed of the synthetic workspace').argParser(
        signedInt('--seed', 0, 4_294_967_295),
      ),
    )
    .addOption(intOption('--events <n>', 'number of synthetic events (default 612)', 0, 1_000_000))
    .addOption(new Option('--data <file>', 'serve this JSON data set instead of synthetic data'))
    .addOption(
      new Option(
        '--key <key[:perm,perm]>',
        'accepted API key and its permissions (repeatable; default emulator-key with all)',
      ).argParser(collect),
    )
    .addOption(intOption('--hour-ms <n>', 'length of a rate-limit "hour" in ms', 1, 86_400_000))
    .addOption(
      intOption(
        '--rate-limit-listing <n>',
        'requests per window for /events/list and /events (default 1000)',
        0,
        999_999_999,
      ),
    )
    .addOption(
      intOption(
        '--rate-limit-data-series <n>',
        'requests per window for /events/data_series (default 250000)',
        0,
        999_999_999,
      ),
    )
    .addOption(
      new Option(
        '--fault <spec>',
        'inject faults: KIND[:ROUTE[:N|P%[:DELAY_MS]]][@EVENT] (repeatable)',
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--future-ending-at <answer>',
        'an ending_at after the clock: reject (400, as a user reports Braze does) or accept',
      ).choices(FUTURE_ENDING_AT),
    )
    .addOption(
      new Option('--hour-format <form>', 'form of hourly time values').choices(HOUR_FORMATS),
    )
    .addOption(
      new Option('--anchor <date>', 'seeded anomalies fall in the 90 days before this date'),
    )
    .addOption(
      new Option(
        '--provisional <days:factor>',
        'the last DAYS days show FACTOR of their final counts',
      ),
    )
    .addOption(new Option('--link-style <style>', 'form of Link header URLs').choices(LINK_STYLES))
    .addHelpText(
      'after',
      `
The buckets' zone is the global --bucket-utc-offset (default $BRAZE_BUCKET_UTC_OFFSET,
else UTC) and --hour-buckets (default $BRAZE_HOUR_BUCKETS, else local): the same flags and
variables the other commands read Braze with.

Fault kinds: 400 404 429 500 502 503 504 202 reset hang delay slow truncated
invalid-json content-type html 401-echo 429-minute proxy-429 truncated-close
duplicate-headers ignore-page repeat-cursor. Routes: * list events data_series (or the
path). @EVENT: only data_series requests for that event name (e.g. 400@$Purchase).
Rules are tried in the order given: a delay rule holds whatever answer the request gets,
and the first other rule that matches (a failure or a body fault) still applies, so
--fault delay:*:100%:2000 --fault 503:data_series:10% is a slow Braze that sometimes
answers 503; of two non-delay rules matching one request, only the first applies.
Control API (no auth) under /_emulator/: requests, faults, ground-truth, restate,
anomalies, workspace, rate-limits, clock, health.

Examples:
  $ braze-events emulator --seed 7
  $ braze-events emulator --port 4010 --key test-key:events.list,events.get
  $ braze-events emulator --fault '400@$Purchase' --fault '404@Deleted Event'
  $ braze-events emulator --hour-ms 2000 --rate-limit-data-series 50 --fault 503:data_series:3
  $ braze-events emulator --fault delay:*:100%:2000 --fault 503:data_series:10%
  $ braze-events emulator --bucket-utc-offset +05:30 --hour-buckets utc`,
    )
    .action(
      runAction(async (flags: EmulatorFlags, cmd: Command) => {
        const globals = cmd.optsWithGlobals<GlobalOptions>();
        const offset = globals.bucketUtcOffset ?? envBucketOffset(process.env);
        const hourBuckets = globals.hourBuckets ?? envHourBuckets(process.env);
        const emulator = await import('../../emulator/index.js');
        let options: import('../../emulator/index.js').EmulatorOptions;
        try {
          options = {
            port: flags.port ?? 0,
            host: flags.host ?? '127.0.0.1',
            ...(flags.seed !== undefined && { seed: flags.seed }),
            ...(flags.events !== undefined && { events: flags.events }),
            ...(flags.key !== undefined && { keys: flags.key.map(emulator.parseKeySpec) }),
            ...(flags.hourMs !== undefined && { hourMs: flags.hourMs }),
            rateLimits: {
              ...(flags.rateLimitListing !== undefined && { listing: flags.rateLimitListing }),
              ...(flags.rateLimitDataSeries !== undefined && {
                dataSeries: flags.rateLimitDataSeries,
              }),
            },
            ...(flags.fault !== undefined && { faults: flags.fault.map(emulator.parseFaultSpec) }),
            ...(offset !== undefined && { zoneOffsetMinutes: offset }),
            ...(hourBuckets !== undefined && { hourBuckets }),
            ...(flags.futureEndingAt !== undefined && { futureEndingAt: flags.futureEndingAt }),
            ...(flags.hourFormat !== undefined && { hourFormat: flags.hourFormat }),
            ...(flags.anchor !== undefined && { anchor: flags.anchor }),
            ...(flags.linkStyle !== undefined && { linkStyle: flags.linkStyle }),
          };
          if (flags.provisional !== undefined) {
            const [days, factor, ...more] = flags.provisional.split(':');
            // Number('') is 0 and Number('x') is NaN: check each part before converting, so
            // the message shows what was typed, not what Number made of it.
            const isNumber = (part: string | undefined) =>
              part !== undefined && part.trim() !== '' && Number.isFinite(Number(part));
            if (!isNumber(days) || !isNumber(factor) || more.length > 0) {
              throw new UsageError(
                `--provisional must be DAYS:FACTOR, got ${quoteInput(flags.provisional)}`,
              );
            }
            options.provisional = { days: Number(days), factor: Number(factor) };
          }
          // Unchecked JSON: startEmulator validates the data set and names what is wrong.
          if (flags.data !== undefined)
            options.data = (await readDataFile(flags.data)) as NonNullable<typeof options.data>;
        } catch (err) {
          // An option error (a bad --fault or --key spec) names its flag through the error
          // table, and --data names itself; anything else here says it is the emulator's.
          if (isBrazeOptionError(err) || err instanceof UsageError) throw err;
          throw new UsageError(`emulator: ${(err as Error).message}`);
        }
        let running: import('../../emulator/index.js').Emulator;
        try {
          running = await emulator.startEmulator(options);
        } catch (err) {
          if (isBrazeOptionError(err)) throw err;
          if (err instanceof RangeError || err instanceof TypeError)
            throw new UsageError(`emulator: ${err.message}`);
          throw listenError(err, flags.port ?? 0);
        }
        process.stdout.write(`${running.url}\n`);
        const events = running.eventNames().length;
        const keys =
          flags.key === undefined
            ? `key ${emulator.EMULATOR_DEFAULT_KEY}`
            : `${flags.key.length} key(s)`;
        process.stderr.write(
          `braze-events emulator: listening on ${running.url} (${events} events, ${keys}; days at UTC${formatUtcOffset(offset ?? 0)}, hours on ${describeHourBuckets(hourBuckets ?? DEFAULT_HOUR_BUCKETS)}); Ctrl-C to stop\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: NodeJS.Signals) => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            process.stderr.write(`braze-events emulator: ${signal}, stopping\n`);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        await running.close();
        return 0;
      }),
    );
}

/** Reads and parses `--data FILE`; a missing file or bad JSON is one line naming the flag. */
async function readDataFile(file: string): Promise<unknown> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    // The fs message ends with the path, which the line already names.
    const reason = (err as Error).message.replace(/, open '.*'$/, '');
    throw new UsageError(`--data ${quoteInput(file)}: cannot be read: ${reason}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--data ${quoteInput(file)}: not valid JSON: ${(err as Error).message}`);
  }
}
