/**
 * The demo (`npm start`): the project's main job end to end — sync every event's daily
 * counts into the database, summarise them with charts, run the anomaly check and say how
 * to open the dashboard. It runs on whatever is configured, or on the built-in emulator
 * (in this process, loudly labelled as demo data) when nothing is.
 */
import type { Command } from 'commander';
import { addBuckets, floorToBucket } from '../api/time.js';
import type { Database } from '../sync/db/types.js';
import {
  type CliSession,
  createCliClient,
  type DemoSession,
  type GlobalOptions,
  startDemoEmulator,
  tryResolveConnection,
} from './context.js';
import { createDemoAggregator, formatDemoSummary } from './demo-summary.js';
import { EXIT_FAILURE, EXIT_OK } from './errors.js';
import { detectTerminal, writeChunk } from './output.js';

/** Options of `braze-events demo`. */
export interface DemoOptions {
  /** Database URL or path; undefined = `$BRAZE_EVENTS_DB`, else `./braze-events.db`. */
  db?: string;
  /** Complete days the summary covers. */
  days: number;
}

/** Days the summary covers by default. */
export const DEMO_SUMMARY_DAYS = 30;

/** Requests the demo keeps in flight (the client paces them against the rate limits). */
const DEMO_CONCURRENCY = 8;

/**
 * Runs the demo; returns the exit code: 0, or 1 when the sync failed. Anomalies are
 * reported, not turned into an exit code: that is `braze-events check`'s job in a cron.
 *
 * @example
 * process.exitCode = await runDemo(cmd, { days: 30 });
 */
export async function runDemo(cmd: Command, options: DemoOptions): Promise<number> {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const sync = await import('../sync/index.js');
  const dbUrl = sync.resolveDatabaseUrl(options.db, process.env);
  sync.parseDatabaseUrl(dbUrl); // a bad --db is a usage error before anything starts
  let demo: DemoSession | undefined;
  let db: Database | undefined;
  try {
    const session = await openDemoSession(globals, (d) => {
      demo = d;
    });
    const { client, log } = session;
    db = await sync.openDatabase(dbUrl, { migrate: true });
    const workspace = session.connection.workspace;
    log.info(`Syncing daily counts of every custom event into ${sync.redactDatabaseUrl(dbUrl)}…`);
    const summary = await sync.syncWorkspace({
      client,
      db,
      workspace,
      bucketUtcOffsetMinutes: session.connection.bucketUtcOffsetMinutes,
      units: ['day'],
      concurrency: DEMO_CONCURRENCY,
      logger: { warn: (m) => log.warn(m) },
    });
    for (const line of sync.formatSyncSummary(summary)) log.info(line);
    const { precomputeOverviews } = await import('../dashboard/precompute.js');
    await precomputeOverviews(db);

    const caps = detectTerminal();
    const aggregator = createDemoAggregator();
    for (const [event, rows] of await readLastDays(
      db,
      workspace,
      options.days,
      session.connection.bucketUtcOffsetMinutes,
    )) {
      aggregator.add(event, rows);
    }
    let text = await formatDemoSummary({
      workspace,
      demo: demo !== undefined,
      endpoint: client.endpoint,
      events: aggregator.events(),
      dailyTotals: aggregator.dailyTotals(),
      stats: client.stats(),
      width: caps.stdoutIsTTY ? Math.min(process.stdout.columns ?? 80, 100) : 80,
    });

    const { checkDatabase, formatCheckTable } = await import('../check/index.js');
    const report = await checkDatabase(db, { unit: 'day', workspace });
    text += `\nAnomaly check (last complete day vs the same weekday of the last 4 weeks):\n`;
    text += formatCheckTable(report);
    text += `\nStored in ${sync.redactDatabaseUrl(dbUrl)} (workspace "${workspace}"). Next:\n`;
    text += `  ${cliName()} serve${options.db ? ` --db ${options.db}` : ''}    # open the dashboard\n`;
    text += `  ${cliName()} check${options.db ? ` --db ${options.db}` : ''}    # exit 3 on anomalies, for cron\n`;
    text += `  ${cliName()} --help\n`;
    await writeChunk(process.stdout, text);
    return summary.status === 'succeeded' ? EXIT_OK : EXIT_FAILURE;
  } finally {
    await db?.close();
    await demo?.close();
  }
}

/** A client on the configured workspace, or on the in-process emulator when none is. */
async function openDemoSession(
  globals: GlobalOptions,
  onDemo: (demo: DemoSession) => void,
): Promise<CliSession> {
  const conn = await tryResolveConnection(globals);
  if (conn) {
    const session = await createCliClient(conn, globals, { maxConcurrency: DEMO_CONCURRENCY });
    session.log.info(`Using Braze at ${session.client.endpoint} (workspace "${conn.workspace}").`);
    return session;
  }
  const demo = await startDemoEmulator();
  onDemo(demo);
  const session = await createCliClient(demo.connection, globals, {
    maxConcurrency: DEMO_CONCURRENCY,
  });
  // Two lines, two calls: the logger shows control characters escaped, a newline too.
  session.log.info(
    `No Braze credentials found: using DEMO DATA from the built-in emulator at ${demo.url}.`,
  );
  session.log.info(
    'To use your own workspace: export BRAZE_API_KEY=<REST API key with events.list and ' +
      'events.data_series> BRAZE_REST_ENDPOINT=<instance, e.g. US-03>, then run npm start again.',
  );
  return session;
}

/** The last `days` complete daily buckets of every event's totals, grouped by event. */
async function readLastDays(
  db: Database,
  workspace: string,
  days: number,
  offsetMinutes: number,
): Promise<Map<string, { time: string; count: number }[]>> {
  // Today's start on the workspace's clock: its days are the buckets' days.
  const today = floorToBucket(Date.now(), 'day', offsetMinutes);
  const rows = await db.query<{ event: string; time: string; count: number }>(
    `SELECT event, time, count FROM event_counts
      WHERE workspace = ? AND unit = 'day' AND app_id = '' AND segment_id = ''
        AND bucket_start >= ? AND bucket_start < ?
      ORDER BY event, bucket_start`,
    [
      workspace,
      new Date(addBuckets(today, 'day', -days)).toISOString(),
      new Date(today).toISOString(),
    ],
  );
  const byEvent = new Map<string, { time: string; count: number }[]>();
  for (const row of rows) {
    const list = byEvent.get(row.event) ?? [];
    list.push({ time: row.time, count: Number(row.count) });
    byEvent.set(row.event, list);
  }
  return byEvent;
}

/** How the user reaches this CLI: through npm scripts in a clone, or the installed bin. */
function cliName(): string {
  return process.env.npm_lifecycle_event === 'start' ? 'npm run cli --' : 'braze-events';
}
