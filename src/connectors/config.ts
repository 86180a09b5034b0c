/**
 * The configuration an Airbyte source or a Singer tap is given (one JSON object, snake_case
 * keys as both ecosystems write them): its JSON Schema, shown by `airbyte spec`, and its
 * validation, before any request. Pure.
 */
import { readFile } from 'node:fs/promises';
import { UNITS, type Unit } from '../api/constants.js';
import { quoteInput } from '../api/quote.js';
import {
  DEFAULT_HOUR_BUCKETS,
  formatUtcOffset,
  HOUR_BUCKETS,
  type HourBuckets,
  parseBucketTime,
  parseUtcOffset,
  UTC_OFFSET_FORMS,
} from '../api/time.js';
import { DEFAULT_LOOKBACK, MAX_LOOKBACK } from '../sync/planner.js';

/** A connector configuration after validation. The key stays behind a function. */
export interface ConnectorConfig {
  /** Returns the REST API key (a function, so logging the object never shows it). */
  apiKey(): string;
  /** Instance id (`US-03`) or REST base URL. */
  endpoint: string;
  /** Start of the first bucket wanted: `start_date` at midnight at the bucket offset. */
  startDate: Date;
  units: Unit[];
  /** Buckets re-read before the current one, per unit (default: the sync's 14 days / 48 hours). */
  lookback: Record<Unit, number>;
  events: string[] | undefined;
  eventGlob: string | undefined;
  appIds: string[];
  segmentIds: string[];
  /** Minutes east of UTC of Braze's day buckets (Braze does not document it; default 0). */
  bucketUtcOffsetMinutes: number;
  /** Hour alignment under an offset that is not whole hours (`local` by default). */
  hourBuckets: HourBuckets;
  maxShareOfLimit: number | undefined;
}

/** A configuration value that is wrong: names the field and the value (never the key). */
export class ConnectorConfigError extends Error {
  override name = 'ConnectorConfigError';
}

/** A file the runner passed (config, catalog, state) that cannot be read or used. */
export class ConnectorInputError extends Error {
  override name = 'ConnectorInputError';
}

/**
 * Whether an error is the user's input (a file, the configuration, the state, or a value
 * the client refuses before any request): exit code 2, Airbyte's `config_error`.
 */
export function isConnectorInputError(error: unknown): boolean {
  if (error instanceof ConnectorInputError || error instanceof ConnectorConfigError) return true;
  if (error instanceof Error && error.name === 'ConnectorStateError') return true;
  // The library's validation before any request (team contract); HTTP errors carry a status.
  return (
    (error instanceof TypeError || error instanceof RangeError) &&
    (error as { status?: unknown }).status === undefined
  );
}

/**
 * Reads a JSON file the runner passed; a {@link ConnectorInputError} naming the flag when it
 * cannot be read or parsed.
 */
export async function readJsonFile(flag: string, file: string | undefined): Promise<unknown> {
  if (file === undefined) throw new ConnectorInputError(`${flag} FILE is required`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConnectorInputError(
      `${flag}: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConnectorInputError(`${flag}: ${file} is not valid JSON`);
  }
}

/**
 * Reads and validates `--config`. The key is handed to `onSecret` as soon as it is read,
 * before anything else can fail, so no message printed afterwards can carry it.
 *
 * @example
 * const config = await loadConnectorConfig(flags.config, Date.now(), (key) => { redactor = createRedactor([key]); });
 */
export async function loadConnectorConfig(
  file: string | undefined,
  now: number,
  onSecret: (key: string) => void,
): Promise<ConnectorConfig> {
  const json = await readJsonFile('--config', file);
  const key = (json as { api_key?: unknown } | null)?.api_key;
  if (typeof key === 'string' && key.trim() !== '') onSecret(key.trim());
  return parseConnectorConfig(json, now);
}

/** JSON Schema of the configuration (Airbyte's `connectionSpecification`). */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Braze custom events (braze-events)',
  type: 'object',
  required: ['api_key', 'endpoint', 'start_date'],
  additionalProperties: true,
  properties: {
    api_key: {
      type: 'string',
      title: 'REST API key',
      description:
        'A Braze REST API key with events.list and events.data_series (events.get adds event details).',
      airbyte_secret: true,
      order: 0,
    },
    endpoint: {
      type: 'string',
      title: 'REST endpoint',
      description:
        'Instance id (US-03, EU-01, …) or REST base URL (https://rest.iad-03.braze.com).',
      examples: ['US-03', 'https://rest.iad-03.braze.com'],
      order: 1,
    },
    start_date: {
      type: 'string',
      title: 'Start date',
      description:
        'First day to read (YYYY-MM-DD, at the bucket offset); history is backfilled from it.',
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      format: 'date',
      examples: ['2026-01-01'],
      order: 2,
    },
    units: {
      type: 'array',
      title: 'Units',
      description:
        'Which series to read: day buckets, hour buckets, or both. Only these count streams are discovered and read.',
      items: { type: 'string', enum: [...UNITS] },
      minItems: 1,
      uniqueItems: true,
      default: ['day'],
      order: 3,
    },
    lookback_days: {
      type: 'integer',
      title: 'Lookback (days)',
      description: `Day buckets re-read before the current one on every read, because Braze restates recent counts. Default ${DEFAULT_LOOKBACK.day}.`,
      minimum: 0,
      maximum: MAX_LOOKBACK,
      order: 4,
    },
    lookback_hours: {
      type: 'integer',
      title: 'Lookback (hours)',
      description: `Hour buckets re-read before the current one on every read. Default ${DEFAULT_LOOKBACK.hour}.`,
      minimum: 0,
      maximum: MAX_LOOKBACK,
      order: 5,
    },
    events: {
      type: 'array',
      title: 'Events',
      description:
        'Only these event names, in every stream (default: every event). Not together with event_glob.',
      items: { type: 'string', minLength: 1 },
      order: 6,
    },
    event_glob: {
      type: 'string',
      title: 'Event glob',
      description: "Only event names matching this glob, e.g. 'Purchase*', in every stream.",
      order: 7,
    },
    app_ids: {
      type: 'array',
      title: 'App ids',
      description: 'One series per app id (default: the series over all apps).',
      items: { type: 'string', minLength: 1 },
      order: 8,
    },
    segment_ids: {
      type: 'array',
      title: 'Segment ids',
      description: 'One series per segment id (default: the series over all users).',
      items: { type: 'string', minLength: 1 },
      order: 9,
    },
    bucket_utc_offset: {
      type: 'string',
      title: 'Day-bucket UTC offset',
      description:
        "UTC offset of Braze's day buckets, e.g. -05:00. Braze does not document it; default +00:00.",
      examples: ['+00:00', '-05:00'],
      order: 10,
    },
    hour_buckets: {
      type: 'string',
      title: 'Hour buckets',
      description:
        "Where hour buckets start under an offset that is not whole hours (e.g. +05:30): 'local' (on the offset's hours, the default) or 'utc'. Braze does not document it.",
      enum: [...HOUR_BUCKETS],
      order: 11,
    },
    max_share_of_limit: {
      type: 'number',
      title: 'Share of the rate limit',
      description:
        "Share (0, 1] of each hourly rate limit this connector may use; the rest is left to the workspace's other integrations. Default 1.",
      exclusiveMinimum: 0,
      maximum: 1,
      order: 12,
    },
  },
} as const;

type Json = Record<string, unknown>;

function fail(field: string, problem: string, value: unknown): never {
  const shown = typeof value === 'string' ? quoteInput(value) : JSON.stringify(value);
  throw new ConnectorConfigError(`config: ${field} ${problem}, got ${shown}`);
}

function stringList(json: Json, field: string): string[] | undefined {
  const value = json[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
    fail(field, 'must be a list of non-empty strings', value);
  }
  return [...new Set(value as string[])];
}

function lookback(json: Json, field: string, unit: Unit): number {
  const value = json[field];
  if (value === undefined || value === null) return DEFAULT_LOOKBACK[unit];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_LOOKBACK) {
    fail(field, `must be an integer from 0 to ${MAX_LOOKBACK}`, value);
  }
  return value;
}

/**
 * Validates a connector configuration. Throws {@link ConnectorConfigError} naming the
 * first bad field and its value (the key is never shown).
 *
 * @example
 * parseConnectorConfig({ api_key: 'k', endpoint: 'US-03', start_date: '2026-01-01' }, Date.now());
 */
export function parseConnectorConfig(input: unknown, now: number): ConnectorConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ConnectorConfigError('config must be a JSON object');
  }
  const json = input as Json;
  const key = json.api_key;
  if (typeof key !== 'string' || key.trim() === '') {
    throw new ConnectorConfigError('config: api_key must be a non-empty string');
  }
  const endpoint = json.endpoint;
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    fail('endpoint', 'must be an instance id (US-03) or a REST URL', endpoint);
  }
  let offset = 0;
  if (json.bucket_utc_offset !== undefined && json.bucket_utc_offset !== null) {
    const parsed =
      typeof json.bucket_utc_offset === 'string' ? parseUtcOffset(json.bucket_utc_offset) : null;
    if (parsed === null)
      fail('bucket_utc_offset', `must be ${UTC_OFFSET_FORMS}`, json.bucket_utc_offset);
    offset = parsed;
  }
  const start = json.start_date;
  if (typeof start !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(start)) {
    fail('start_date', 'must be a date YYYY-MM-DD', start);
  }
  let startDate: Date;
  try {
    startDate = parseBucketTime(start, 'day', { utcOffsetMinutes: offset });
  } catch {
    fail('start_date', 'must be a date YYYY-MM-DD', start);
  }
  if (!(startDate.getTime() <= now)) fail('start_date', 'must not be in the future', start);
  const units = json.units ?? ['day'];
  if (
    !Array.isArray(units) ||
    units.length === 0 ||
    units.some((u) => !(UNITS as readonly unknown[]).includes(u))
  ) {
    fail('units', 'must be ["day"], ["hour"] or ["day", "hour"]', units);
  }
  const events = stringList(json, 'events');
  const glob = json.event_glob;
  if (glob !== undefined && glob !== null && (typeof glob !== 'string' || glob === '')) {
    fail('event_glob', 'must be a non-empty string', glob);
  }
  if (events !== undefined && typeof glob === 'string') {
    throw new ConnectorConfigError('config: events and event_glob cannot be combined');
  }
  const hourBuckets = json.hour_buckets ?? DEFAULT_HOUR_BUCKETS;
  if (!(HOUR_BUCKETS as readonly unknown[]).includes(hourBuckets)) {
    fail('hour_buckets', `must be ${HOUR_BUCKETS.join(' or ')}`, hourBuckets);
  }
  const share = json.max_share_of_limit;
  if (
    share !== undefined &&
    share !== null &&
    !(typeof share === 'number' && share > 0 && share <= 1)
  ) {
    fail('max_share_of_limit', 'must be a number in (0, 1]', share);
  }
  const apiKey = key.trim();
  return {
    apiKey: () => apiKey,
    endpoint: endpoint.trim(),
    startDate,
    units: [...new Set(units as Unit[])],
    lookback: {
      day: lookback(json, 'lookback_days', 'day'),
      hour: lookback(json, 'lookback_hours', 'hour'),
    },
    events,
    eventGlob: typeof glob === 'string' ? glob : undefined,
    appIds: stringList(json, 'app_ids') ?? [],
    segmentIds: stringList(json, 'segment_ids') ?? [],
    bucketUtcOffsetMinutes: offset,
    hourBuckets: hourBuckets as HourBuckets,
    maxShareOfLimit: typeof share === 'number' ? share : undefined,
  };
}

/** `±HH:MM` of the config's offset, as recorded in state. */
export function configOffset(config: Pick<ConnectorConfig, 'bucketUtcOffsetMinutes'>): string {
  return formatUtcOffset(config.bucketUtcOffsetMinutes);
}
