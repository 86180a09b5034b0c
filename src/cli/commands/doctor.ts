/**
 * `braze-events doctor`: checks a key and its setup before anything else is run.
 */
import { type Command, Option } from 'commander';
import type { GlobalOptions } from '../context.js';
import { EXIT_FAILURE, EXIT_OK, runAction } from '../errors.js';

/** Per-request time-out of doctor's probes unless --timeout says otherwise. */
export const DOCTOR_TIMEOUT_MS = 10_000;

interface DoctorFlags {
  db?: string;
  json?: boolean;
}

/** Registers `doctor` on the program. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the endpoint, the key’s permissions, the rate-limit budgets and the database',
    )
    .addOption(
      new Option(
        '--db <url>',
        'database sync would use: file path, sqlite:PATH or postgres://… (default: $BRAZE_EVENTS_DB, else ./braze-events.db)',
      ),
    )
    .addOption(new Option('--json', 'print the report as JSON'))
    .addHelpText(
      'after',
      `
What it does, with one cheap request per permission (at most 3; 1 retry unless
--max-retries, a 10 s time-out unless --timeout, no wait for a spent rate limit unless
--max-retry-wait; after a rejected key or no answer the other probes are not sent):
  endpoint             the REST base URL requests go to
  events.list          GET /events/list?page=0
  events.get           GET /events (the first page)
  events.data_series   GET /events/data_series, length=1, for an event either listing gave
  budgets              the rate-limit budgets left, as those answers said
  day buckets          the UTC offset day buckets are read at (--bucket-utc-offset)
  database             whether the --db sync would use opens (nothing is created)
The key is never printed: only where it came from. The key, the endpoint and the day-bucket
offset each say which setting they came from (flag, environment variable, or a profile's
field and its config file), and so does the advice of a failed probe.

Exit codes: 0 everything usable, 1 something is not (each problem is listed), 2 bad flags
or no key configured.

Examples:
  $ braze-events doctor
  $ braze-events doctor --db postgres://localhost/analytics --json`,
    )
    .action(
      runAction(async (flags: DoctorFlags, cmd: Command) => {
        const [{ resolveConnection, createCliClient }, { UsageError }, output, doctor, url] =
          await Promise.all([
            import('../context.js'),
            import('../errors.js'),
            import('../output.js'),
            import('../doctor.js'),
            import('../../sync/db/url.js'),
          ]);
        const dbUrl = url.resolveDatabaseUrl(flags.db, process.env);
        try {
          url.parseDatabaseUrl(dbUrl);
        } catch (error) {
          throw new UsageError(`--db: ${(error as Error).message}`);
        }
        const globals = cmd.optsWithGlobals<GlobalOptions>();
        const connection = await resolveConnection(globals);
        // A check answers in seconds: one retry, a 10 s time-out, no hour-long wait for a
        // spent budget (a spent budget is itself what doctor should report).
        const { client } = await createCliClient(connection, {
          ...globals,
          maxRetries: globals.maxRetries ?? 1,
          maxRetryWait: globals.maxRetryWait ?? 0,
          timeout: globals.timeout ?? DOCTOR_TIMEOUT_MS,
        });
        const report = await doctor.runDoctor(client, connection, dbUrl);
        if (flags.json) await output.printJson(report);
        else await output.printLines(doctor.formatDoctorReport(report));
        return report.usable ? EXIT_OK : EXIT_FAILURE;
      }),
    );
}
