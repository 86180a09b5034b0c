/**
 * `braze-events singer`: the Singer tap (src/connectors/singer). SCHEMA, RECORD and STATE
 * messages on stdout, logs on stderr; `--discover` prints the catalog.
 */
import { type Command, Option } from 'commander';
import type { GlobalOptions } from '../context.js';

interface SingerFlags {
  config?: string;
  state?: string;
  catalog?: string;
  properties?: string;
  discover?: boolean;
}

/** Registers `singer` on the program. */
export function register(program: Command): void {
  program
    .command('singer')
    .description('a Singer tap (Meltano): SCHEMA, RECORD and STATE messages on stdout')
    .addOption(new Option('--config <file>', 'tap configuration (JSON)'))
    .addOption(new Option('--state <file>', 'state from the last run (the last STATE value)'))
    .addOption(new Option('--catalog <file>', 'catalog with the selected streams'))
    .addOption(new Option('--properties <file>', 'older name of --catalog').conflicts('catalog'))
    .addOption(new Option('--discover', 'print the catalog and exit'))
    .addHelpText(
      'after',
      `
Streams: events (full table, key name), event_counts_daily and event_counts_hourly
(incremental on bucket_start, key event, app_id, segment_id, bucket_start). The STATE
value holds one bookmark per stream with each series' watermark. Exit 0 ok, 1 failure,
2 a bad --config/--catalog/--state. See docs/CONNECTORS.md for a meltano.yml.

Examples:
  $ braze-events singer --config config.json --discover > catalog.json
  $ braze-events singer --config config.json --catalog catalog.json --state state.json`,
    )
    .action(async (flags: SingerFlags, cmd: Command) => {
      const [{ runSingerTap }, errors, { registerSecret }] = await Promise.all([
        import('../../connectors/singer/index.js'),
        import('../errors.js'),
        import('../redact.js'),
      ]);
      const controller = new AbortController();
      const onSignal = () => controller.abort(new Error('interrupted by signal'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        process.exitCode = await runSingerTap(
          {
            configFile: flags.config,
            stateFile: flags.state,
            catalogFile: flags.catalog ?? flags.properties,
            discover: flags.discover === true,
            writeLine: (line) => process.stdout.write(line),
            writeLog: (line) => process.stderr.write(line),
            onSecret: registerSecret,
            debug: cmd.optsWithGlobals<GlobalOptions>().debug === true,
            signal: controller.signal,
          },
          (error) =>
            errors
              .formatError(error, errors.connectorErrorContext(flags.config))
              .replace(/^error: /, ''),
        );
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
}
