/**
 * `braze-events status`: what the database holds, per workspace: the sync in progress,
 * the last runs, series, rows, the freshest and stalest watermarks. Reads only (the lock
 * too: never takes it); never calls Braze.
 */
import { type Command, Option } from 'commander';
import { runAction } from '../errors.js';
import { intOption } from '../parse.js';

interface StatusFlags {
  db?: string;
  runs: number;
  json?: boolean;
}

/** Registers `status` on the program. */
export function register(program: Command): void {
  program
    .command('status')
    .description(
      'what the sync database holds: a sync in progress, last runs, series, rows, watermarks',
    )
    .addOption(
      new Option(
        '--db <url>',
        'file path, sqlite:PATH or postgres://… (default: $BRAZE_EVENTS_DB, else ./braze-events.db)',
      ),
    )
    .addOption(intOption('--runs <n>', 'runs listed per workspace', 1, 1000).default(5))
    .addOption(new Option('--json', 'print JSON'))
    .addHelpText(
      'after',
      `
All workspaces, or only the --profile one. A sync in progress is shown from the
workspace's lock (read, never taken): "sync in progress since … (pid … on …): preparing
(listing events, …); no run opened yet" before its run row exists, "…: run #N" after.

Examples:
  $ braze-events status
  $ braze-events status --db postgres://localhost/analytics --json`,
    )
    .action(
      runAction(async (flags: StatusFlags, cmd: Command) => {
        const [output, sync] = await Promise.all([
          import('../output.js'),
          import('../../sync/index.js'),
        ]);
        const profile = cmd.optsWithGlobals<{ profile?: string }>().profile;
        // Do not create an empty database just to say that it is empty.
        const { openDbFlag } = await import('../db-flag.js');
        const db = await openDbFlag(flags.db, { mustExist: true, migrate: true });
        try {
          const statuses = await sync.readStatus(db, {
            runs: flags.runs,
            ...(profile !== undefined ? { workspace: profile } : {}),
          });
          if (flags.json) await output.printJson(statuses);
          else await output.printLines(sync.formatStatus(statuses));
        } finally {
          await db.close();
        }
      }),
    );
}
