/**
 * `braze-events demo` (what `npm start` runs): the main job end to end, on the built-in
 * emulator when no credentials are configured.
 */
import { type Command, Option } from 'commander';
import { runAction } from '../errors.js';
import { intParser } from '../parse.js';

/** Registers `demo` on the program. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('run the main job end to end (built-in demo data when no key is configured)')
    .addOption(
      new Option('-o, --out <file>', 'CSV file to write').default('braze-events-export.csv'),
    )
    .addOption(
      new Option('--days <n>', 'days to export').default(30).argParser(intParser('--days', 2, 100)),
    )
    .addHelpText(
      'after',
      `
With no BRAZE_API_KEY, --api-key-file or profile, the demo starts the built-in emulator
(synthetic workspace of about 600 events) in this process and uses that.

Examples:
  $ npm start
  $ BRAZE_API_KEY=... BRAZE_REST_ENDPOINT=US-03 braze-events demo`,
    )
    .action(
      runAction(async (flags: { out: string; days: number }, cmd: Command) => {
        const { runDemo } = await import('../demo.js');
        return runDemo(cmd, { out: flags.out, days: flags.days });
      }),
    );
}
