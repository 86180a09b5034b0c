/**
 * `braze-events sync`: bring the database's counts up to date (incremental; see
 * src/sync). Flags are validated before any request; the summary goes to stderr, or to
 * stdout as JSON with `--json`.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Unit } from '../../api/constants.js';
import { quoteInput } from '../../api/quote.js';
import type { SyncProgress } from '../../sync/index.js';
import { type GlobalOptions, WAIT_NOTICE_MS } from '../context.js';
import { runAction } from '../errors.js';
import { collect, intOption, intParser, matchOption } from '../parse.js';
import { createProgressBar, type ProgressBar } from '../progress.js';

interface SyncFlags {
  db?: string;
  unit: Unit[];
  since?: string;
  lookback?: number;
  event?: string[];
  match?: string[];
  appId?: string[];
  segmentId?: string[];
  concurrency: number;
  maxShare?: number;
  dbReconnectTimeout?: number;
  json?: boolean;
}

/** Parses `day`, `hour`, `day,hour`. */
function unitsParser(value: string): Unit[] {
  const units = value.split(',').map((u) => u.trim().toLowerCase());
  if (units.length === 0 || units.some((u) => u !== 'day' && u !== 'hour')) {
    throw new InvalidArgumentError(
      `--unit must be day, hour or day,hour, got ${quoteInput(value)}`,
    );
  }
  return [...new Set(units as Unit[])];
}

/** Parses a share of the hourly budget in (0, 1]. */
function shareParser(value: string): number {
  const n = Number(value.trim());
  if (!/^\d*\.?\d+$/.test(value.trim()) || !(n > 0 && n <= 1)) {
    throw new InvalidArgumentError(
      `--max-share must be a number in (0, 1], got ${quoteInput(value)}`,
    );
  }
  return n;
}

/** Registers `sync` on the program. */
export function register(program: Command): void {
  program
    .command('sync')
    .description('incrementally sync daily/hourly counts into SQLite or PostgreSQL')
    .addOption(
      new Option(
        '--db <url>',
        'file path, sqlite:PATH or postgres://… (default: $BRAZE_EVENTS_DB, else ./braze-events.db)',
      ),
    )
    .addOption(
      new Option('--unit <units>', 'day, hour or day,hour')
        .argParser(unitsParser)
        .default(['day'], 'day'),
    )
    .addOption(
      new Option(
        '-s, --since <date>',
        'first run: backfill from this date or age (30d); later: extend history back to it (stored buckets are not re-read: use --lookback); default: the last 100 days / 100 hours',
      ),
    )
    .addOption(
      intOption(
        '--lookback <n>',
        'buckets re-read before the current one (default 14 days / 48 hours)',
        0,
        10_000,
      ),
    )
    .addOption(
      new Option('--event <name>', 'only this event (repeatable; one the workspace lacks: exit 2)')
        .argParser(collect)
        .conflicts('match'),
    )
    .addOption(matchOption())
    .addOption(new Option('--app-id <id>', 'one series per app id (repeatable)').argParser(collect))
    .addOption(
      new Option('--segment-id <id>', 'one series per segment id (repeatable)').argParser(collect),
    )
    .addOption(intOption('-c, --concurrency <n>', 'series fetched in parallel', 1, 64).default(4))
    .addOption(
      new Option('--max-share <f>', 'share (0..1] of the hourly rate limits to use').argParser(
        shareParser,
      ),
    )
    .addOption(
      new Option(
        '--db-reconnect-timeout <seconds>',
        'how long to wait for a PostgreSQL server that is not answering (at the start, or after a restart or failover mid-run) before exit 1 (default 60)',
      )
        .env('BRAZE_EVENTS_DB_RECONNECT_TIMEOUT')
        .argParser(intParser('--db-reconnect-timeout', 0, 86_400)),
    )
    .addOption(new Option('--json', 'print the summary as JSON on stdout'))
    .addHelpText(
      'after',
      `
The first run backfills from --since (default: the last 100 days, or 100 hours); later runs
re-read the current bucket, the --lookback buckets and anything missed, one request per
series when possible. A row deleted from the database is fetched again only by a run that
re-reads its bucket: --lookback N reaching back to it (--since does not re-read stored
buckets). Safe to interrupt (kill -9 included) and to run from cron; a second
sync of the same workspace at the same time is refused. The workspace is the --profile name.

An event Braze refuses on its own (400 for a reserved name such as $Purchase, 404 for one
deleted since the listing) fails that event only: the others are synced, and the run exits
1 naming the failed events, as does its journal (see status). It stops early only when
Braze itself is down (5 series in a row failing on the network or a 5xx after the
retries), and at once when the key is refused (401/403) or the rate limit is spent; the
summary then counts the series done, failed and not attempted and says why it stopped
(--json: seriesDone, seriesFailed, seriesNotAttempted, stopReason).

A PostgreSQL server that is not answering, when the sync starts or during it (a
maintenance window, a restart, a failover), is waited for up to --db-reconnect-timeout,
said on stderr when the wait starts and when the server is back. A database or role that
does not exist, or a refused password, is not waited for (exit 2).

Ctrl-C (or SIGTERM) finishes the writes in flight; the summary then says how many series
and windows were done of those planned, and a re-run resumes where this one stopped. While
the database is away there is nothing to finish: the wait stops at once, what was committed
is kept.

Exit codes: 0 every series up to date, 1 series failed or the run stopped (a database
still away after --db-reconnect-timeout included), 2 bad flags, a selection the workspace
does not list, or a --db that cannot be used, 130 Ctrl-C (SIGINT), 143 SIGTERM.

Examples:
  $ braze-events sync
  $ braze-events sync --db postgres://localhost/analytics --unit day,hour --since 2026-01-01
  $ braze-events sync --match 'Purchase*' --max-share 0.5 --json`,
    )
    .action(
      runAction(async (flags: SyncFlags, cmd: Command) => {
        const [{ dateFlagMs, parseDateFlag }, { UsageError }, sync] = await Promise.all([
          import('../range.js'),
          import('../errors.js'),
          import('../../sync/index.js'),
        ]);
        // Everything that can be wrong with the flags is found before any request.
        const { openDbFlag, resolveDbFlag } = await import('../db-flag.js');
        await resolveDbFlag(flags.db);
        const since =
          flags.since === undefined
            ? undefined
            : new Date(dateFlagMs(parseDateFlag('--since', flags.since, new Date())));
        if (since && since.getTime() > Date.now())
          throw new UsageError(`--since (${flags.since}) is in the future`);
        if (flags.event?.some((e) => e.trim() === ''))
          throw new UsageError('--event must not be empty');

        const [{ openSession }, output] = await Promise.all([
          import('../context.js'),
          import('../output.js'),
        ]);
        const globals = cmd.optsWithGlobals<GlobalOptions>();
        let bar: ProgressBar<SyncProgress> | undefined;
        const {
          client,
          connection: conn,
          log,
        } = await openSession(cmd, {
          resumable: true,
          // On a terminal the bar says the wait too (the stderr line is printed either way).
          onWait: (wait) => bar?.waiting(wait.until, wait.cause),
          maxConcurrency: flags.concurrency,
          ...(flags.maxShare !== undefined ? { maxShareOfLimit: flags.maxShare } : {}),
        });
        const reconnectS = flags.dbReconnectTimeout ?? sync.DEFAULT_DB_RECONNECT_TIMEOUT_MS / 1000;
        const { listenForInterrupt } = await import('../interrupt.js');
        const interrupt = listenForInterrupt(() =>
          log.warn('interrupted: finishing the current writes (press Ctrl-C again to force)'),
        );
        // A server not answering yet (a maintenance window, a failover) is waited for
        // within the bound, as one that stops answering mid-run is; the interrupt stops
        // every wait for it at once: nothing can commit while it is away.
        let db: import('../../sync/index.js').Database;
        try {
          db = await openDbFlag(flags.db, {
            reconnectTimeoutMs: reconnectS * 1000,
            waitOnOpen: true,
            signal: interrupt.signal,
          });
        } catch (error) {
          interrupt.dispose();
          if (interrupt.received()) {
            throw interrupt.error(
              'sync interrupted while waiting for the database; nothing was written',
            );
          }
          throw error;
        }
        const caps = output.detectTerminal();
        // A bar on stderr (TTY only), fed with the sync's progress events; a client wait
        // shows in place of the phase.
        bar =
          caps.progressBar && !globals.quiet
            ? await createProgressBar<SyncProgress>(
                {
                  format: 'sync |{bar}| {value}/{total} requests | {phase} | {rows} rows written',
                  stream: process.stderr,
                },
                (p, wait) => ({
                  done: p.windowsDone,
                  total: Math.max(p.windowsTotal, 1),
                  payload: { phase: wait ?? p.phase, rows: p.rowsInserted + p.rowsUpdated },
                }),
              )
            : undefined;
        let summary: import('../../sync/index.js').SyncSummary | undefined;
        try {
          summary = await sync.syncWorkspace({
            client,
            db,
            workspace: conn.workspace,
            bucketUtcOffsetMinutes: conn.bucketUtcOffsetMinutes,
            units: flags.unit,
            ...(since ? { since } : {}),
            ...(flags.lookback !== undefined ? { lookback: flags.lookback } : {}),
            ...(flags.event ? { events: flags.event } : {}),
            ...(flags.match?.length ? { match: flags.match } : {}),
            ...(flags.appId ? { appIds: flags.appId } : {}),
            ...(flags.segmentId ? { segmentIds: flags.segmentId } : {}),
            concurrency: flags.concurrency,
            signal: interrupt.signal,
            logger: {
              info: (m) => log.info(m),
              warn: (m) => log.warn(m),
              debug: (m, f) => log.debug(m, f),
            },
            onProgress: (p) => bar?.update(p),
          });
          // The dashboard's default overviews, at this data version. If this step is cut
          // short the version has moved on without them, and the dashboard answers live:
          // so its failure is a warning, never the sync's failure.
          const { precomputeOverviews } = await import('../../dashboard/precompute.js');
          const slow = setTimeout(
            () =>
              log.info(
                `precomputing the dashboard's overviews (Ctrl-C is safe: the counts are stored, the dashboard then answers live)`,
              ),
            WAIT_NOTICE_MS,
          );
          try {
            await precomputeOverviews(db);
          } catch (error) {
            log.warn(
              `the dashboard's overviews were not precomputed (${error instanceof Error ? error.message : String(error)}); the counts are stored and the dashboard answers live`,
            );
          } finally {
            clearTimeout(slow);
          }
        } catch (error) {
          // Interrupted while waiting for the database before the run was journalled (the
          // lock, the first writes): the signal's exit code too.
          if (error instanceof sync.DatabaseUnavailableError && error.interrupted) {
            throw interrupt.error(
              'sync interrupted while waiting for the database; what was written is kept, a re-run resumes where this one stopped',
            );
          }
          if (!(error instanceof sync.SyncFailedError)) throw error;
          summary = error.summary;
          // Stopped by a signal: the signal's exit code (130/143), as export; the summary
          // (below) says what was done of what was planned.
          if (summary.status === 'interrupted' && interrupt.received()) {
            throw interrupt.error(
              'sync interrupted: what was written is kept, a re-run resumes where this one stopped',
            );
          }
          // A Braze answer that stopped the run is formatted with its hint (permission,
          // endpoint, reset time) when it is the whole story.
          const cause = error.cause as { status?: unknown } | undefined;
          const alone = summary.failures.length === 0 && summary.missingEvents.length === 0;
          throw alone && typeof cause?.status === 'number' ? cause : error;
        } finally {
          bar?.stop();
          interrupt.dispose();
          await db.close();
          if (summary) {
            if (flags.json) await output.printJson(summary);
            else if (!globals.quiet || summary.status !== 'succeeded') {
              for (const line of sync.formatSyncSummary(summary)) process.stderr.write(`${line}\n`);
            }
          }
        }
      }),
    );
}
