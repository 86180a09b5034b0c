// Anomaly check: pure detectors over stored series, and a runner over a synced database.
export {
  type CheckOptions,
  type CheckReport,
  checkDatabase,
  type Finding,
  type QueryableDatabase,
} from './database.js';
export {
  ANOMALY_KINDS,
  type AnomalyKind,
  type BucketCount,
  type EvaluateOptions,
  evaluateSeries,
  historyWindowMs,
  type SeriesEvaluation,
  seasonalPeriodMs,
} from './detect.js';
export { type EventListSql, eventListSql, packedBucketsSql, unpackBuckets } from './event-list.js';
export { formatBucket, formatChange, formatCheckTable, formatCheckWarnings } from './format.js';
export {
  DEFAULT_NOTIFY_RETRIES,
  DEFAULT_NOTIFY_TIMEOUT_MS,
  dashboardEventUrl,
  displayWebhookUrl,
  type NotifyFormat,
  parseWebhookUrl,
  type SendWebhookOptions,
  sendWebhook,
  slackMessage,
  type WebhookResult,
  webhookBody,
  webhookFormat,
} from './notify.js';
export {
  DEFAULT_CHECK_BASELINE,
  DEFAULT_CHECK_DROP,
  DEFAULT_CHECK_MIN_VOLUME,
  DEFAULT_CHECK_SPIKE,
  DEFAULT_CHECK_TOLERANCE,
  DEFAULT_CHECK_UNIT,
  type DetectOptions,
  type ResolvedDetectOptions,
  resolveDetectOptions,
} from './options.js';
export { MAD_TO_SIGMA, median, medianAbsoluteDeviation } from './stats.js';
export {
  describeIncompleteSync,
  type IncompleteSync,
  NothingCheckedError,
  nothingCheckedError,
  readIncompleteSyncs,
} from './sync-health.js';
