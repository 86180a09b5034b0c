/**
 * `braze-events airbyte spec|check|discover|read`: the Airbyte source (src/connectors/
 * airbyte). Every line on stdout is an Airbyte message; a failure is a TRACE error message
 * and a non-zero exit code.
 */
import { type Command, Option } from 'commander';
import type { GlobalOptions } from '../context.js';

interface AirbyteFlags {
  config?: string;
  catalog?: string;
  state?: string;
}

/** Registers `airbyte` on the program. */
export function register(program: Command): void {
  program
    .command('airbyte')
    .description('an Airbyte source: spec, check, discover, read (Airbyte protocol on stdout)')
    .argument('<command>', 'spec, check, discover or read')
    .addOption(
      new Option('--config <file>', 'connector configuration (JSON, as Airbyte passes it)'),
    )
    .addOption(new Option('--catalog <file>', 'configured catalog (read)'))
    .addOption(new Option('--state <file>', 'state from the last read (read)'))
    .addHelpText(
      'after',
      `
Speaks the Airbyte protocol: one JSON message per line on stdout, logs as LOG messages, a
failure as a TRACE error message with exit code 1 (2 for a bad --config/--catalog/--state).
check answers CONNECTION_STATUS SUCCEEDED or FAILED (exit 0). Streams: events (full
refresh), event_counts_daily and event_counts_hourly (incremental, cursor bucket_start).
See docs/CONNECTORS.md for the image and adding it to Airbyte.

Examples:
  $ braze-events airbyte spec
  $ braze-events airbyte check --config config.json
  $ braze-events airbyte discover --config config.json
  $ braze-events airbyte read --config config.json --catalog catalog.json --state state.json`,
    )
    .action(async (command: string, flags: AirbyteFlags, cmd: Command) => {
      const [{ AIRBYTE_COMMANDS, runAirbyte, errorTraceMessage }, errors, { registerSecret }] =
        await Promise.all([
          import('../../connectors/airbyte/index.js'),
          import('../errors.js'),
          import('../redact.js'),
        ]);
      const describeError = (error: unknown) =>
        errors
          .formatError(error, errors.connectorErrorContext(flags.config))
          .replace(/^error: /, '');
      if (!(AIRBYTE_COMMANDS as readonly string[]).includes(command)) {
        const message = `command must be one of ${AIRBYTE_COMMANDS.join(', ')}, got ${JSON.stringify(command)}`;
        process.stdout.write(
          `${JSON.stringify(errorTraceMessage(message, 'config_error', Date.now()))}\n`,
        );
        process.exitCode = errors.EXIT_USAGE;
        return;
      }
      const controller = new AbortController();
      const onSignal = () => controller.abort(new Error('interrupted by signal'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        process.exitCode = await runAirbyte({
          command: command as (typeof AIRBYTE_COMMANDS)[number],
          configFile: flags.config,
          catalogFile: flags.catalog,
          stateFile: flags.state,
          writeLine: (line) => process.stdout.write(line),
          describeError,
          onSecret: registerSecret,
          debug: cmd.optsWithGlobals<GlobalOptions>().debug === true,
          signal: controller.signal,
        });
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
}
