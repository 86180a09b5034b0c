// The read-only local dashboard over a synced database.
export {
  ACCESS_COOKIE,
  ACCESS_COOKIE_MAX_AGE_SECONDS,
  type AccessDecision,
  type AccessGate,
  type AccessRequest,
  accessCookieName,
  createAccessGate,
  decideAccess,
  generateAccessToken,
  MIN_ACCESS_TOKEN_LENGTH,
  validateAccessToken,
} from './access.js';
export {
  API_CACHE_SIZE,
  type ApiContext,
  ApiInputError,
  type ApiResponse,
  handleApi,
} from './api.js';
export { CSV_COLUMNS, eventCsv } from './csv.js';
export {
  DATABASE_AWAY_RETRY_AFTER_SECONDS,
  DEFAULT_DASHBOARD_DB_RECONNECT_TIMEOUT_MS,
  dashboardDatabaseOptions,
  databaseAwayMessage,
} from './db-away.js';
export { PRECOMPUTED_RANGE_DAYS, precomputeOverviews } from './precompute.js';
export {
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_DAYS,
  MAX_SPARK_POINTS,
  parseInstant,
  previousRange,
  resolveRange,
  sparkBinMs,
  type TimeRange,
} from './range.js';
export {
  type Dashboard,
  type DashboardOptions,
  DEFAULT_DASHBOARD_HOST,
  startDashboard,
} from './server.js';
