/**
 * The JSON answers of the dashboard's API, one type per endpoint: api.ts builds them, and the
 * browser code (assets/*.js, `// @ts-check`) reads them through JSDoc import types of this
 * module (`@typedef` lines at the top of each script), so one definition serves the server
 * and the page (tsconfig.assets.json checks the page against it). Types only.
 */
import type { Unit } from '../api/constants.js';
import type { HourBuckets } from '../api/time.js';
import type { Finding } from '../check/database.js';
import type { AnomalyKind } from '../check/detect.js';
import type { ResolvedDetectOptions } from '../check/options.js';
import type { SyncState } from '../sync/status.js';
import type { OverviewSort } from './overview-page.js';
import type { Coverage, OverviewRow, WorkspaceSummary } from './queries.js';

export type {
  AnomalyKind,
  Coverage,
  Finding,
  HourBuckets,
  OverviewRow,
  OverviewSort,
  Unit,
  WorkspaceSummary,
};

/** Any answer that is not 2xx: the message to show. */
export interface ApiErrorBody {
  error: string;
}

/**
 * The zone of every answer about a workspace: its days start at 00:00 at this offset
 * (minutes east of UTC, and as `±HH:MM`), its hours on local or UTC hours.
 */
export interface ZoneFields {
  utcOffsetMinutes: number;
  utcOffset: string;
  hourBuckets: HourBuckets;
}

/** `/api/workspaces`. */
export interface WorkspacesResponse {
  workspaces: WorkspaceSummary[];
}

/** `/api/overview`: one page of events, and totals over every event of the workspace. */
export interface OverviewResponse extends ZoneFields {
  workspace: string;
  /** Every workspace's name. */
  workspaces: string[];
  unit: Unit;
  /** The range [from, to) and the start of the previous period, ISO UTC. */
  from: string;
  to: string;
  previousFrom: string;
  /** Width of one sparkline point, in ms (a point is null where not every bucket is stored). */
  binMs: number;
  /**
   * The stored buckets of this unit (oldest and newest bucket start of any event): a range
   * reaching outside it is partly unsynced, its totals cover only the stored buckets.
   */
  coverage: Coverage;
  /** Events of the workspace (whatever the page). */
  eventCount: number;
  summary: {
    total: number;
    previous: number;
    previousComplete: boolean;
    changePct: number | null;
  };
  /** The page: events matching `q` (and anomalies only), sorted, from `offset`. */
  q: string;
  sort: OverviewSort;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
  matched: number;
  events: OverviewRow[];
}

/** `/api/anomalies`: the check's findings for the last complete bucket. */
export interface AnomaliesResponse extends ZoneFields {
  workspace: string;
  unit: Unit;
  options: ResolvedDetectOptions;
  findings: Finding[];
}

/** One series of an event: the unfiltered one (`appId` and `segmentId` ''), per app or segment. */
export interface EventSeries {
  appId: string;
  segmentId: string;
  total: number;
  /** One per `times` entry; null where no bucket is stored. */
  counts: (number | null)[];
}

/** `/api/event`: one event's series over the range, on one grid. */
export interface EventResponse extends ZoneFields {
  workspace: string;
  event: string;
  unit: Unit;
  from: string;
  to: string;
  /** Bucket starts of the grid, epoch seconds. */
  times: number[];
  previousTotal: number;
  /** Every bucket of the previous period is stored (else no change is shown). */
  previousComplete: boolean;
  series: EventSeries[];
}

/** `/api/sync`: the sync layer's `readSyncState` for one workspace. */
export interface SyncResponse extends ZoneFields, SyncState {
  workspace: string;
  workspaces: WorkspaceSummary[];
}

/** The answer of each JSON endpoint, by its path under /api/: what the page's `api()` returns. */
export interface ApiResponses {
  workspaces: WorkspacesResponse;
  overview: OverviewResponse;
  anomalies: AnomaliesResponse;
  event: EventResponse;
  sync: SyncResponse;
}

/**
 * The constants the page shares with the server, embedded into index.html (page-config.ts)
 * so that the browser code never writes them a second time.
 */
export interface DashboardConfig {
  /** Units the API takes, and the one it answers without `unit`. */
  units: readonly Unit[];
  defaultUnit: Unit;
  /** Days shown without `days`/`from`, per unit. */
  defaultRangeDays: Readonly<Record<Unit, number>>;
  /** The range buttons, in days, per unit. */
  rangePresetDays: Readonly<Record<Unit, readonly number[]>>;
  /** Events per page of the overview: the API's default `limit`. */
  overviewLimit: number;
  /** The overview's sort keys and the direction each sorts in without `dir`. */
  overviewSortDirs: Readonly<Record<OverviewSort, 'asc' | 'desc'>>;
  /** Anomaly kinds, most severe first. */
  anomalyKinds: readonly AnomalyKind[];
}
