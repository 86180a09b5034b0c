/**
 * `braze-events demo` (what `npm start` runs): the main job end to end, on the built-in
 * emulator when no credentials are configured.
 */
import { type Command, Option } from 'commander';
import { runAction } from '../errors.js';
import { intOption } from '../parse.js';

/** Registers `demo` on the program. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'run the main job end to end: sync, summary, anomaly check (built-in demo data when no key is configured)',
    )
    .addOption(
      new Option(
        '--db <url>',
        'file path, sqlite:PATH or postgres://… (default: $BRAZE_EVENTS_DB, else ./braze-events.db)',
      ),
    )
    .addOption(intOption('--days <n>', 'complete days the summary covers', 2, 100).default(30))
    .addHelpText(
      'after',
      `
With no BRAZE_API_KEY, --api-key-file or profile, the demo starts the built-in emulator
(synthetic workspace of about 600 events) in this process and uses that. It syncs daily
counts into the database (incrementally, like \`braze-events sync --unit day\`), prints a
summary with charts and the anomaly check's findings, and says how to open the dashboard.

Examples:
  $ npm start
  $ BRAZE_API_KEY=... BRAZE_REST_ENDPOINT=US-03 braze-events demo`,
    )
    .action(
      runAction(async (flags: { db?: string; days: number }, cmd: Command) => {
        const { runDemo } = await import('../demo.js');
        return runDemo(cmd, { days: flags.days, ...(flags.db ? { db: flags.db } : {}) });
      }),
    );
}
