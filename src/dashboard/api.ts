/**
 * The JSON API under /api/…: parses query parameters, runs the queries, shapes the answer.
 * No HTTP here (see server.ts), so it is easy to read and to test.
 */
import type { Unit } from '../api/constants.js';
import { quoteInput } from '../api/quote.js';
import {
  addBuckets,
  type BucketZone,
  bucketsBetween,
  formatLocalDate,
  formatLocalTime,
  formatUtcOffset,
  instantMs,
} from '../api/time.js';
import { checkDatabase } from '../check/index.js';
import type { Queryable } from '../sync/db/types.js';
import { readSyncState } from '../sync/status.js';
import type {
  AnomaliesResponse,
  EventResponse,
  OverviewResponse,
  SyncResponse,
  WorkspacesResponse,
} from './api-types.js';
import { eventCsv } from './csv.js';
import { type OverviewPageQuery, overviewPage, parseOverviewPage } from './overview-page.js';
import {
  dataVersion,
  overviewSummary,
  type PrecomputedOverview,
  readPrecomputed,
  readStoredFindings,
} from './precompute.js';
import {
  anchorOf,
  type EventTotals,
  eventRows,
  eventTotal,
  eventTotals,
  listWorkspaces,
  listWorkspaceZones,
  sparklines,
  unitCoverage,
  type WorkspaceZone,
} from './queries.js';
import { previousRange, resolveRange, type TimeRange } from './range.js';

/** A response before it is written to the socket. */
export interface ApiResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface ApiContext {
  db: Queryable;
  now: () => number;
  /**
   * Answers of the expensive endpoints, and the results they share (every event's totals,
   * the anomaly findings), valid while the data version is unchanged.
   */
  cache?: Map<string, unknown>;
}

/** Runs the sync page lists, newest first. */
export const SYNC_PAGE_RUNS = 50;

/** Cached entries kept per server (overview pages, totals and anomalies, per range and unit). */
export const API_CACHE_SIZE = 64;

async function cached<T>(ctx: ApiContext, key: string, compute: () => Promise<T>): Promise<T> {
  const version = ctx.cache ? await dataVersion(ctx.db) : null;
  if (!ctx.cache || version === null) return compute();
  const full = `${version}\u0000${key}`;
  const hit = ctx.cache.get(full) as Promise<T> | undefined;
  if (hit !== undefined) return hit;
  // The promise is kept, so requests arriving while it is computed (the page asks for the
  // workspaces and the overview at once) share one computation; a failure is not kept.
  const pending = compute();
  if (ctx.cache.size >= API_CACHE_SIZE) ctx.cache.delete(ctx.cache.keys().next().value!);
  ctx.cache.set(full, pending);
  pending.catch(() => {
    if (ctx.cache?.get(full) === pending) ctx.cache.delete(full);
  });
  return pending;
}

/** A request the client got wrong: answered with 4xx and the message. */
export class ApiInputError extends Error {
  override name = 'ApiInputError';
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A JSON answer; `T` is its type in api-types.ts, the one the browser code reads too. */
const json = <T>(value: T, status = 200): ApiResponse => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
});

function unitOf(params: URLSearchParams): Unit {
  const unit = params.get('unit') ?? 'day';
  if (unit !== 'day' && unit !== 'hour')
    throw new ApiInputError(`unit must be day or hour, got ${quoteInput(unit)}`);
  return unit;
}

/**
 * The workspaces with their zones and watermarks, read once per data version: every
 * request needs them. The full list with series counts (a scan of every series) only for
 * the routes that answer it.
 */
const zones = (ctx: ApiContext) => cached(ctx, 'zones', () => listWorkspaceZones(ctx.db));
const workspaces = (ctx: ApiContext) => cached(ctx, 'workspaces', () => listWorkspaces(ctx.db));

/** The workspace a request names (`workspace`), or the first one. */
function pickWorkspace<T extends WorkspaceZone>(all: readonly T[], params: URLSearchParams): T {
  const name = params.get('workspace');
  const workspace = name === null || name === '' ? all[0] : all.find((w) => w.name === name);
  if (workspace === undefined) {
    throw new ApiInputError(
      name
        ? `no workspace named ${quoteInput(name)} in the database`
        : 'the database holds no synced data yet',
      404,
    );
  }
  return workspace;
}

async function workspaceOf(
  ctx: ApiContext,
  params: URLSearchParams,
): Promise<{ workspace: WorkspaceZone; all: WorkspaceZone[] }> {
  const all = await zones(ctx);
  return { workspace: pickWorkspace(all, params), all };
}

/** The workspace's bucket zone as its syncs recorded it: offset and hour alignment. */
const bucketZoneOf = (ws: WorkspaceZone): Required<BucketZone> => ({
  utcOffsetMinutes: ws.utcOffsetMinutes,
  hourBuckets: ws.hourBuckets,
});

function rangeOf(params: URLSearchParams, unit: Unit, ws: WorkspaceZone, now: number) {
  try {
    return resolveRange(
      { from: params.get('from'), to: params.get('to'), days: params.get('days') },
      unit,
      anchorOf(ws.units[unit], unit, now),
      bucketZoneOf(ws),
    );
  } catch (err) {
    throw new ApiInputError((err as Error).message);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The zone fields of every answer about a workspace: its days start at 00:00 at this
 * offset, its hours on local or UTC hours.
 */
const zoneOf = (ws: WorkspaceZone) => ({
  utcOffsetMinutes: ws.utcOffsetMinutes,
  utcOffset: formatUtcOffset(ws.utcOffsetMinutes),
  hourBuckets: ws.hourBuckets,
});

/**
 * Answers one API request.
 *
 * @example
 * await handleApi({ db, now: Date.now }, '/api/overview', new URLSearchParams('days=30'));
 */
export async function handleApi(
  ctx: ApiContext,
  path: string,
  params: URLSearchParams,
): Promise<ApiResponse> {
  switch (path) {
    case '/api/workspaces':
      return json<WorkspacesResponse>({ workspaces: await workspaces(ctx) });
    case '/api/overview':
    case '/api/anomalies': {
      // Parameters are sorted so that equivalent URLs share a cache entry.
      const key = `${path}?${[...params].sort().join('&')}`;
      return cached(ctx, key, () => expensive(ctx, path, params));
    }
    case '/api/event':
    case '/api/event.csv':
      return eventResponse(ctx, params, path.endsWith('.csv'));
    case '/api/sync': {
      const all = await workspaces(ctx);
      const workspace = pickWorkspace(all, params);
      return json<SyncResponse>({
        workspace: workspace.name,
        ...zoneOf(workspace),
        workspaces: all,
        ...(await readSyncState(ctx.db, workspace.name, { runs: SYNC_PAGE_RUNS })),
      });
    }
    default:
      throw new ApiInputError(`no such API: ${quoteInput(path)}`, 404);
  }
}

async function eventResponse(
  ctx: ApiContext,
  params: URLSearchParams,
  csv: boolean,
): Promise<ApiResponse> {
  const unit = unitOf(params);
  const event = params.get('event');
  if (!event) throw new ApiInputError('event is required');
  const { workspace } = await workspaceOf(ctx, params);
  const range = rangeOf(params, unit, workspace, ctx.now());
  const rows = await eventRows(ctx.db, workspace.name, event, unit, range);
  if (csv) {
    // Local dates (times: UTC hours at +05:30 start at :30) at the workspace's offset, as
    // the dashboard shows them.
    const offset = workspace.utcOffsetMinutes;
    const day = (ms: number) =>
      unit === 'day' ? formatLocalDate(ms, offset) : formatLocalTime(ms, offset);
    // Named by the first and last bucket it holds (`to` is exclusive).
    const last = addBuckets(range.to, unit, -1);
    const name = `${event}-${unit}-${day(range.from)}-to-${day(last)}`.replace(/[^\w.-]+/g, '_');
    return {
      status: 200,
      contentType: 'text/csv; charset=utf-8',
      body: eventCsv(workspace.name, event, unit, rows),
      headers: { 'content-disposition': `attachment; filename="${name}.csv"` },
    };
  }
  // One grid of bucket starts for every series, so the chart lines up; null = not stored.
  const times: number[] = [];
  for (let t = range.from; t < range.to; t = addBuckets(t, unit, 1)) times.push(t / 1000);
  const series = new Map<
    string,
    { appId: string; segmentId: string; total: number; counts: (number | null)[] }
  >();
  for (const row of rows) {
    const key = `${row.app_id}\u0000${row.segment_id}`;
    let s = series.get(key);
    if (s === undefined) {
      s = {
        appId: row.app_id,
        segmentId: row.segment_id,
        total: 0,
        counts: new Array(times.length).fill(null),
      };
      series.set(key, s);
    }
    // Rows and grid are on the same recorded zone's edges: bucketsBetween asserts it.
    const i = bucketsBetween(range.from, instantMs(row.bucket_start), unit);
    if (i >= 0 && i < times.length) {
      s.counts[i] = row.count;
      s.total += row.count;
    }
  }
  const previous = await eventTotal(ctx.db, workspace.name, event, unit, previousRange(range));
  return json<EventResponse>({
    workspace: workspace.name,
    ...zoneOf(workspace),
    event,
    unit,
    from: iso(range.from),
    to: iso(range.to),
    times,
    previousTotal: previous.total,
    previousComplete: previous.complete,
    series: [...series.values()],
  });
}

/** Anomaly findings of a workspace and unit, computed once per data version. */
function findings(ctx: ApiContext, workspace: WorkspaceZone, unit: Unit) {
  return cached(
    ctx,
    `findings\u0000${workspace.name}\u0000${unit}`,
    // The last sync's report while the data is unchanged (precompute.ts), else checked now.
    async () =>
      (await readStoredFindings(ctx.db, workspace.name, unit)) ??
      checkDatabase(ctx.db, {
        unit,
        workspace: workspace.name,
        now: ctx.now,
        ...bucketZoneOf(workspace),
      }),
  );
}

/** The overview of a range computed from the counts: every event's totals, then the page. */
async function liveOverview(
  ctx: ApiContext,
  workspace: WorkspaceZone,
  unit: Unit,
  range: TimeRange,
  page: OverviewPageQuery,
): Promise<PrecomputedOverview> {
  // Every event's totals are shared by all pages, sorts and searches of a range.
  const totals = await cached<EventTotals[]>(
    ctx,
    `totals\u0000${workspace.name}\u0000${unit}\u0000${range.from}\u0000${range.to}`,
    () => eventTotals(ctx.db, workspace.name, unit, range),
  );
  const kinds = new Map<string, string>();
  if (page.sort === 'status' || page.anomaliesOnly) {
    for (const f of (await findings(ctx, workspace, unit)).findings) kinds.set(f.event, f.kind);
  }
  const { matched, page: rows } = overviewPage(totals, page, kinds);
  return { eventCount: totals.length, summary: overviewSummary(totals), matched, page: rows };
}

async function expensive(
  ctx: ApiContext,
  path: string,
  params: URLSearchParams,
): Promise<ApiResponse> {
  const unit = unitOf(params);
  if (path === '/api/overview') {
    let page: ReturnType<typeof parseOverviewPage>;
    try {
      page = parseOverviewPage(params);
    } catch (err) {
      throw new ApiInputError((err as Error).message);
    }
    const { workspace, all } = await workspaceOf(ctx, params);
    const range = rangeOf(params, unit, workspace, ctx.now());
    // A range the last sync precomputed (at the current data version) is read one page at
    // a time through an index; any other is computed live.
    const answer =
      (await readPrecomputed(ctx.db, workspace.name, unit, range, page)) ??
      (await liveOverview(ctx, workspace, unit, range, page));
    const rows = answer.page;
    const { binMs, spark } = await sparklines(
      ctx.db,
      rows.map((r) => r.id),
      unit,
      range,
    );
    const { total, previous, previousComplete } = answer.summary;
    // Stored with a precomputed range (one index probe per series: it grows with the
    // events); live otherwise, computed by the same query, so both answer the same.
    const coverage =
      answer.coverage ??
      (await cached(ctx, `coverage\u0000${workspace.name}\u0000${unit}`, () =>
        unitCoverage(ctx.db, workspace.name, unit),
      ));
    return json<OverviewResponse>({
      workspace: workspace.name,
      ...zoneOf(workspace),
      workspaces: all.map((w) => w.name),
      unit,
      from: iso(range.from),
      to: iso(range.to),
      previousFrom: iso(previousRange(range).from),
      binMs,
      coverage,
      // Over every event of the workspace, whatever the page.
      eventCount: answer.eventCount,
      summary: {
        total,
        previous,
        previousComplete,
        changePct: previous > 0 && previousComplete ? ((total - previous) / previous) * 100 : null,
      },
      // The page: events matching q (and anomalies=1), sorted, from offset.
      q: page.q,
      sort: page.sort,
      dir: page.dir,
      offset: page.offset,
      limit: page.limit,
      matched: answer.matched,
      events: rows.map(({ id, ...row }) => ({ ...row, spark: spark.get(id) ?? [] })),
    });
  }
  const { workspace } = await workspaceOf(ctx, params);
  const report = await findings(ctx, workspace, unit);
  return json<AnomaliesResponse>({
    workspace: workspace.name,
    ...zoneOf(workspace),
    unit,
    options: report.options,
    findings: report.findings,
  });
}
