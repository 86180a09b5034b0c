/**
 * The demo (`npm start`): the main job end to end on whatever is configured, or on the
 * built-in emulator when nothing is. Today it exports every event's last 30 complete days and prints
 * a summary with charts; the lead can switch the body to sync + check when they land.
 */
import type { Command } from 'commander';
import {
  type CliSession,
  createCliClient,
  type DemoSession,
  type GlobalOptions,
  startDemoEmulator,
  tryResolveConnection,
} from './context.js';
import { createDemoAggregator, type EventStats, formatDemoSummary } from './demo-summary.js';
import { EXIT_OK } from './errors.js';
import { detectTerminal, writeChunk } from './output.js';
import { exportWithClient } from './run-export.js';

/** Options of `braze-events demo`. */
export interface DemoOptions {
  /** CSV file the demo writes. */
  out: string;
  /** Days exported. */
  days: number;
}

/** Default CSV written by the demo, in the current folder. */
export const DEMO_OUT_FILE = 'braze-events-export.csv';

/**
 * Runs the demo; returns the exit code.
 *
 * @example
 * process.exitCode = await runDemo(cmd, { out: DEMO_OUT_FILE, days: 30 });
 */
export async function runDemo(cmd: Command, options: DemoOptions): Promise<number> {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  let demo: DemoSession | undefined;
  let session: CliSession;
  const conn = await tryResolveConnection(globals);
  try {
    if (conn) {
      session = await createCliClient(conn, globals, { maxConcurrency: 8 });
      session.log.info(
        `Using Braze at ${session.client.endpoint} (workspace "${conn.workspace}").`,
      );
    } else {
      demo = await startDemoEmulator();
      session = await createCliClient(demo.connection, globals, { maxConcurrency: 8 });
      session.log.info(
        `No Braze credentials found: using DEMO DATA from the built-in emulator at ${demo.url}.\n` +
          'To use your own workspace: export BRAZE_API_KEY=<REST API key with events.list and ' +
          'events.data_series> BRAZE_REST_ENDPOINT=<instance, e.g. US-03>, then run npm start again.',
      );
    }
    const aggregator = createDemoAggregator();
    const summary = await exportWithClient(
      session.client,
      session.log,
      {
        format: 'csv',
        out: options.out,
        // Complete days only: today's bucket is still growing and would read as a drop.
        range: {
          kind: 'length',
          unit: 'day',
          length: options.days,
          endingAt: new Date().toISOString().slice(0, 10),
        },
        concurrency: 8,
        onBatch: (batch) => aggregator.add(batch.event, batch.rows),
      },
      globals.quiet ? { quiet: true } : {},
    );
    const caps = detectTerminal();
    const events: EventStats[] = aggregator.events();
    const text = await formatDemoSummary({
      workspace: session.connection.workspace,
      demo: demo !== undefined,
      endpoint: session.client.endpoint,
      out: options.out,
      rows: summary.rows,
      events,
      dailyTotals: aggregator.dailyTotals(),
      stats: session.client.stats(),
      width: caps.stdoutIsTTY ? Math.min(process.stdout.columns ?? 80, 100) : 80,
    });
    await writeChunk(process.stdout, text);
    return EXIT_OK;
  } finally {
    await demo?.close();
  }
}
