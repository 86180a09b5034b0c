/**
 * `braze-events serve`: the read-only dashboard over the synced database. Prints its URL
 * on stdout (the only line there) and runs until SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { quoteInput } from '../../core/quote.js';
import { EXIT_OK, runAction, UsageError } from '../errors.js';
import { openExistingDatabase } from './check.js';

interface ServeFlags {
  db?: string;
  port: string;
  host: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Registers `serve` on the program. */
export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'Open a local, read-only dashboard of the synced database: every event with sparklines and anomaly badges, charts per event, CSV downloads, sync status',
    )
    .option('--db <url>', 'database: file path, sqlite:PATH or postgres://… (env BRAZE_EVENTS_DB)')
    .option('--port <n>', 'TCP port (0 picks a free one)', '0')
    .option(
      '--host <host>',
      'interface to bind; anything but loopback exposes your data',
      '127.0.0.1',
    )
    .addHelpText(
      'after',
      `
Prints the dashboard URL on stdout and serves until Ctrl-C.

Examples:
  $ braze-events serve
  $ braze-events serve --port 8080 --db postgres://localhost/analytics`,
    )
    .action(
      runAction(async (flags: ServeFlags) => {
        const port = /^\d+$/.test(flags.port) ? Number(flags.port) : Number.NaN;
        if (!(port >= 0 && port <= 65_535)) {
          throw new UsageError(
            `--port must be an integer from 0 to 65535, got ${quoteInput(flags.port)}`,
          );
        }
        if (flags.host.trim() === '') throw new UsageError('--host must not be empty');
        const db = await openExistingDatabase(flags.db);
        const { startDashboard } = await import('../../dashboard/index.js');
        let dashboard: Awaited<ReturnType<typeof startDashboard>>;
        try {
          dashboard = await startDashboard({ db, port, host: flags.host });
        } catch (err) {
          await db.close();
          throw err;
        }
        const { createCliLogger, writeChunk } = await import('../output.js');
        const log = createCliLogger();
        if (!LOOPBACK.has(flags.host)) {
          log.warn(`listening on ${flags.host}: anyone who can reach it can read the counts`);
        }
        await writeChunk(process.stdout, `${dashboard.url}\n`);
        log.info(
          `Dashboard of ${db.location} at ${dashboard.url} (read-only). Press Ctrl-C to stop.`,
        );
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        await dashboard.close();
        await db.close();
        return EXIT_OK;
      }),
    );
}
