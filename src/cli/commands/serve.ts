/**
 * `braze-events serve`: the read-only dashboard over the synced database. Prints its URL
 * on stdout (the only line there) and runs until SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { quoteInput } from '../../api/quote.js';
import { isLoopback } from '../../core/endpoint.js';
import {
  DEFAULT_DASHBOARD_DB_RECONNECT_TIMEOUT_MS,
  dashboardDatabaseOptions,
} from '../../dashboard/db-away.js';
import { EXIT_OK, listenError, runAction, UsageError } from '../errors.js';
import { intOption } from '../parse.js';

interface ServeFlags {
  db?: string;
  port: string;
  host: string;
  tokenFile?: string;
  requireToken?: boolean;
  dbReconnectTimeout?: number;
}

/** Registers `serve` on the program. */
export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'open a local, read-only dashboard of the synced database: every event with sparklines and anomaly badges, charts per event, CSV downloads, sync status',
    )
    .option('--db <url>', 'database: file path, sqlite:PATH or postgres://… (env BRAZE_EVENTS_DB)')
    .option('--port <n>', 'TCP port (0 picks a free one)', '0')
    .option(
      '--host <host>',
      'interface to bind; anything but loopback requires an access token',
      '127.0.0.1',
    )
    .option(
      '--token-file <file>',
      'access token for the dashboard (at least 16 characters); required by every request',
    )
    .option(
      '--require-token',
      'require an access token on loopback too (one is generated unless --token-file)',
    )
    .addOption(
      intOption(
        '--db-reconnect-timeout <seconds>',
        `how long an API request waits for a PostgreSQL server that stopped answering before it answers 503 (default ${DEFAULT_DASHBOARD_DB_RECONNECT_TIMEOUT_MS / 1000})`,
        0,
        600,
      ),
    )
    .addHelpText(
      'after',
      `
Prints the dashboard URL on stdout and serves until Ctrl-C. On any --host but loopback
(or with --require-token) every page, asset and API call needs an access token: from
--token-file, or generated and printed once, in the URL (…/?token=…). The browser trades
it for an HttpOnly cookie that lasts 12 hours and ends when serve stops (open the link
again then); scripts may send "Authorization: Bearer TOKEN". Without it: 401.

While the database server is away (stopped, restarting), each API request retries it for
--db-reconnect-timeout seconds, then answers 503 with Retry-After and {"error": "the
database at … is not answering …"} (the password hidden), which the page shows; answers
come back by themselves once the server does.

Examples:
  $ braze-events serve
  $ braze-events serve --port 8080 --db postgres://localhost/analytics
  $ braze-events serve --host 0.0.0.0 --port 8080 --token-file /run/secrets/dashboard-token`,
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
        const { startDashboard, generateAccessToken, validateAccessToken } = await import(
          '../../dashboard/index.js'
        );
        const loopback = isLoopback(flags.host.trim().toLowerCase());
        let token: string | undefined;
        if (flags.tokenFile !== undefined) {
          const { readFile } = await import('node:fs/promises');
          const text = await readFile(flags.tokenFile, 'utf8').catch(
            (err: NodeJS.ErrnoException) => {
              throw new UsageError(
                `--token-file: cannot read ${flags.tokenFile}: ${err.code ?? err.message}`,
              );
            },
          );
          try {
            token = validateAccessToken(text);
          } catch (err) {
            throw new UsageError(`--token-file: ${(err as Error).message}`);
          }
          const { registerSecret } = await import('../redact.js');
          registerSecret(token);
        }
        const generated = token === undefined && (!loopback || flags.requireToken === true);
        if (generated) token = generateAccessToken();
        const { openDbFlag } = await import('../db-flag.js');
        const db = await openDbFlag(flags.db, {
          mustExist: true,
          ...dashboardDatabaseOptions(
            flags.dbReconnectTimeout === undefined ? undefined : flags.dbReconnectTimeout * 1000,
          ),
        });
        let dashboard: Awaited<ReturnType<typeof startDashboard>>;
        try {
          dashboard = await startDashboard({
            db,
            port,
            host: flags.host,
            ...(token !== undefined ? { accessToken: token } : {}),
          });
        } catch (err) {
          await db.close();
          throw listenError(err, port);
        }
        const { createCliLogger, writeChunk } = await import('../output.js');
        const log = createCliLogger();
        if (!loopback) {
          log.warn(
            `listening on ${flags.host}: anyone who can reach it and holds the token can read the counts; put it behind TLS (docs/RECIPES.md)`,
          );
        }
        // A generated token is shown once, in the link; it is not stored anywhere.
        await writeChunk(
          process.stdout,
          generated ? `${dashboard.url}/?token=${token}\n` : `${dashboard.url}\n`,
        );
        if (generated) {
          log.info(
            'access token generated for this run: the link above is the only place it is shown',
          );
        } else if (token !== undefined) {
          log.info(`open ${dashboard.url}/?token=… with the token from ${flags.tokenFile}`);
        }
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
