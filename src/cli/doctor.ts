/**
 * `braze-events doctor`: what a user runs first with a new key. Resolves the endpoint,
 * probes each permission the tool needs with the cheapest request Braze has for it, reads
 * the rate-limit budgets those answers carry, and checks that the database opens. The key
 * never appears: only where it came from.
 */
import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { PATHS, PERMISSIONS, type Permission } from '../api/constants.js';
import { escapeControlChars, quoteInput } from '../api/quote.js';
import { formatUtcOffset } from '../api/time.js';
import { isEventScopedError } from '../core/errors.js';
import type { BrazeClient, RateLimitState } from '../core/types.js';
import { eventNameProblem } from '../core/validate.js';
import type { Connection } from './context.js';
import { type ErrorContext, formatError } from './errors.js';

/** How one permission's probe went. */
export type ProbeOutcome = 'ok' | 'missing' | 'rejected' | 'failed' | 'skipped';

export interface PermissionProbe {
  permission: Permission;
  outcome: ProbeOutcome;
  /** The request sent (method and path with query; never the key), or null when skipped. */
  request: string | null;
  /** HTTP status of Braze's answer; null when none (network, skipped). */
  status: number | null;
  /** What the answer said, or why the probe failed or was skipped: one line. */
  detail: string;
}

export interface BudgetReport {
  limit: number | null;
  remaining: number | null;
  resetAt: string | null;
}

export interface DatabaseReport {
  /** The database URL, password hidden. */
  url: string;
  ok: boolean;
  detail: string;
}

/** Everything `doctor` found; `--json` prints it as is. */
export interface DoctorReport {
  /** True when every permission answered and the database opens (exit 0). */
  usable: boolean;
  /**
   * `from`: the setting it came from (`BRAZE_REST_ENDPOINT`, `--endpoint`, `"endpoint" of
   * profile "prod" in <config file>`).
   */
  endpoint: { configured: string; restBase: string; from: string };
  /** Where the key came from (`BRAZE_API_KEY`, `--api-key-file`, …); never the key. */
  key: { from: string };
  workspace: string;
  permissions: PermissionProbe[];
  budgets: { listing: BudgetReport | null; dataSeries: BudgetReport | null };
  bucketUtcOffset: string;
  bucketUtcOffsetMinutes: number;
  /** The setting the offset came from; `null` when none was given (the default, UTC). */
  bucketUtcOffsetFrom: string | null;
  database: DatabaseReport;
  /** One line per reason the setup is not usable. */
  problems: string[];
}

/** Names tried for the data_series probe when Braze refuses one event (a reserved name). */
export const DOCTOR_SERIES_CANDIDATES = 3;

function outcomeOf(
  error: unknown,
  context: ErrorContext,
): Pick<PermissionProbe, 'outcome' | 'status' | 'detail'> {
  const status = (error as { status?: unknown }).status;
  const code = typeof status === 'number' ? status : null;
  // formatError gives the reason with its hint (permission to add, instance to check, and
  // the settings the key and the endpoint came from).
  const detail = formatError(error, context).replace(/^error: /, '');
  const outcome = code === 403 ? 'missing' : code === 401 ? 'rejected' : 'failed';
  return { outcome, status: code, detail };
}

async function probe(
  context: ErrorContext,
  permission: Permission,
  request: string,
  run: () => Promise<string>,
): Promise<PermissionProbe & { error?: unknown }> {
  try {
    return { permission, outcome: 'ok', request, status: 200, detail: await run() };
  } catch (error) {
    return { permission, request, ...outcomeOf(error, context), error };
  }
}

function skipped(permission: Permission, detail: string): PermissionProbe {
  return { permission, outcome: 'skipped', request: null, status: null, detail };
}

/**
 * Probes events.list (page 0), events.get (the first page) and events.data_series
 * (length 1, for the first name either listing gave), in that order. After a 401 the key
 * is wrong for every endpoint: the other probes are skipped rather than sent.
 */
async function probePermissions(
  client: BrazeClient,
  connection: Connection,
): Promise<PermissionProbe[]> {
  const context: ErrorContext = {
    endpoint: client.endpoint,
    endpointSetting: connection.endpointSetting,
    keySetting: connection.keySetting,
  };
  let names: string[] = [];
  const list = await probe(
    context,
    PERMISSIONS.eventsList,
    `GET ${PATHS.eventsList}?page=0`,
    async () => {
      names = (await client.listEventNames({ page: 0 })).events;
      return `${names.length} event name${names.length === 1 ? '' : 's'} on page 0`;
    },
  );
  // A rejected key, or an endpoint that does not answer, fails every request alike.
  const stop =
    list.outcome === 'rejected'
      ? 'not sent: the key was rejected'
      : list.outcome === 'failed' && list.status === null
        ? 'not sent: the endpoint did not answer'
        : undefined;
  if (stop !== undefined) {
    return [list, skipped(PERMISSIONS.events, stop), skipped(PERMISSIONS.dataSeries, stop)];
  }
  const details = await probe(context, PERMISSIONS.events, `GET ${PATHS.events}`, async () => {
    let first: string | undefined;
    for await (const event of client.events()) {
      first = event.name;
      names.push(first);
      break;
    }
    return first === undefined
      ? 'no custom events'
      : `first event ${quoteInput(first)} (one page read)`;
  });
  const candidates = [...new Set(names)]
    .filter((n) => eventNameProblem(n) === undefined)
    .slice(0, DOCTOR_SERIES_CANDIDATES);
  let series: PermissionProbe & { error?: unknown } = skipped(
    PERMISSIONS.dataSeries,
    list.outcome === 'ok' || details.outcome === 'ok'
      ? 'not sent: the workspace lists no custom event to ask for'
      : 'not sent: it needs an event name from events.list or events.get',
  );
  for (const event of candidates) {
    series = await probe(
      context,
      PERMISSIONS.dataSeries,
      `GET ${PATHS.dataSeries}?event=${encodeURIComponent(event)}&length=1&unit=day`,
      async () => {
        const { data } = await client.getEventSeries({ event, length: 1, unit: 'day' });
        return `${quoteInput(event)}: ${data[0]?.count ?? 0} in the current day`;
      },
    );
    // A 400 for a reserved name says nothing of the permission: ask for the next name.
    if (!isEventScopedError(series.error)) break;
  }
  return [list, details, series].map(({ error: _, ...p }) => p);
}

function budgetOf(state: RateLimitState | undefined): BudgetReport | null {
  if (!state || (state.limit === null && state.remaining === null)) return null;
  return {
    limit: state.limit,
    remaining: state.remaining,
    resetAt: state.resetAt?.toISOString() ?? null,
  };
}

/**
 * Whether the database `sync` would use opens. Nothing is created or migrated: a SQLite
 * file that does not exist yet is fine when its directory is writable.
 */
export async function checkDatabase(url: string): Promise<DatabaseReport> {
  const { openDatabase, parseDatabaseUrl, redactDatabaseUrl } = await import('../sync/db/index.js');
  const shown = redactDatabaseUrl(url);
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite' && target.path !== ':memory:') {
    const exists = await stat(target.path).then(
      () => true,
      () => false,
    );
    if (!exists) {
      const dir = dirname(resolve(target.path));
      const problem = await access(dir, constants.W_OK).then(
        () => undefined,
        (error: NodeJS.ErrnoException) =>
          error.code === 'ENOENT'
            ? `its directory ${dir} does not exist`
            : `${dir} is not writable`,
      );
      return problem === undefined
        ? { url: shown, ok: true, detail: 'does not exist yet: the first sync creates it' }
        : { url: shown, ok: false, detail: `does not exist, and ${problem}` };
    }
  }
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    db = await openDatabase(url);
    // A file that is not a database, or a server that refuses us, fails here.
    const rows = await db
      .query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations')
      .catch(async (error: unknown) => {
        const text = error instanceof Error ? error.message : String(error);
        if (/schema_migrations/.test(text) && /no such table|does not exist/.test(text)) return [];
        throw error;
      });
    const version = rows[0]?.version;
    return {
      url: shown,
      ok: true,
      detail:
        version === undefined || version === null
          ? 'opens; no sync has run yet'
          : `opens; schema version ${version}`,
    };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { url: shown, ok: false, detail: `does not open: ${text.replace(/\s*\n\s*/g, ' ')}` };
  } finally {
    await db?.close().catch(() => {});
  }
}

/**
 * Runs every check with a client already built for `connection`.
 *
 * @example
 * const report = await runDoctor(client, conn, './braze-events.db');
 * process.exitCode = report.usable ? 0 : 1;
 */
export async function runDoctor(
  client: BrazeClient,
  connection: Connection,
  databaseUrl: string,
): Promise<DoctorReport> {
  const permissions = await probePermissions(client, connection);
  const database = await checkDatabase(databaseUrl);
  const problems = permissions
    .filter((p) => p.outcome !== 'ok' && p.outcome !== 'skipped')
    .map((p) => `${p.permission}: ${p.detail}`);
  // A data_series probe skipped because the listing failed is covered by that failure; one
  // skipped because the workspace has no events at all cannot be checked, and is no fault.
  if (!database.ok) problems.push(`database: ${database.detail}`);
  return {
    usable: problems.length === 0,
    endpoint: {
      configured: connection.endpoint,
      restBase: client.endpoint,
      from: connection.endpointSetting,
    },
    key: { from: connection.keySetting },
    workspace: connection.workspace,
    permissions,
    budgets: {
      listing: budgetOf(client.rateLimit('listing')),
      dataSeries: budgetOf(client.rateLimit('dataSeries')),
    },
    bucketUtcOffset: `UTC${formatUtcOffset(connection.bucketUtcOffsetMinutes)}`,
    bucketUtcOffsetMinutes: connection.bucketUtcOffsetMinutes,
    bucketUtcOffsetFrom: connection.bucketUtcOffsetSetting ?? null,
    database,
    problems,
  };
}

function budgetLine(name: string, b: BudgetReport | null): string {
  if (b === null) return `${name} unknown (no answer carried rate-limit headers)`;
  const left = `${b.remaining ?? '?'}${b.limit !== null ? `/${b.limit}` : ''}`;
  return `${name} ${left}${b.resetAt ? ` until ${b.resetAt}` : ''}`;
}

/**
 * The report as lines for a person (control characters of names escaped).
 *
 * @example
 * for (const line of formatDoctorReport(report)) console.log(line);
 */
export function formatDoctorReport(r: DoctorReport): string[] {
  const width = Math.max(...r.permissions.map((p) => p.permission.length), 'day buckets'.length);
  const row = (label: string, text: string) => `${label.padEnd(width)}  ${text}`;
  const lines = [
    row(
      'endpoint',
      `${r.endpoint.restBase} (configured as ${r.endpoint.configured}, from ${r.endpoint.from})`,
    ),
    row('key', `from ${r.key.from} (never shown); workspace "${r.workspace}"`),
    ...r.permissions.map((p) =>
      row(p.permission, `${p.outcome.padEnd(8)} ${p.request ? `${p.request}: ` : ''}${p.detail}`),
    ),
    row(
      'budgets',
      `${budgetLine('listing', r.budgets.listing)}; ${budgetLine('data_series', r.budgets.dataSeries)}`,
    ),
    row(
      'day buckets',
      `${r.bucketUtcOffset}${r.bucketUtcOffsetFrom === null ? ' (the default: Braze does not document the zone; --bucket-utc-offset sets it)' : ` (from ${r.bucketUtcOffsetFrom})`}`,
    ),
    row(
      'database',
      `${(r.database.ok ? 'ok' : 'failed').padEnd(8)} ${r.database.url}: ${r.database.detail}`,
    ),
    r.usable
      ? 'usable: every permission answered and the database opens'
      : `not usable: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} above`,
  ];
  return lines.map(escapeControlChars);
}
