/**
 * `createBrazeClient`: validates the options, then wires the transport (pacing, retries,
 * the HTTP sender) to the three endpoints. The API key lives only in the
 * transport's closure: the returned object has no field holding it, so
 * `JSON.stringify(client)` and `util.inspect(client)` cannot show it.
 */

import type { RateLimitBucket } from '../api/constants.js';
import { BrazeOptionTypeError, isBrazeOptionError, validateChoice } from '../api/option-errors.js';
import { quoteInput } from '../api/quote.js';
import {
  type BucketZone,
  DEFAULT_HOUR_BUCKETS,
  HOUR_BUCKETS,
  validateUtcOffsetMinutes,
} from '../api/time.js';
import { Semaphore } from './concurrency.js';
import type { EndpointContext } from './context.js';
import { eventSeries, getEventSeries } from './data-series.js';
import {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_FLOOR_MS,
  DEFAULT_BACKOFF_MAX_MS,
  DEFAULT_BUCKET_UTC_OFFSET_MINUTES,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_MAX_SHARE_OF_LIMIT,
  DEFAULT_RATE_LIMIT_RESERVE,
  DEFAULT_SERIES_COMPLETENESS,
  DEFAULT_TIMEOUT_MS,
  SERIES_COMPLETENESS,
} from './defaults.js';
import { resolveEndpointNotices } from './endpoint.js';
import { events } from './events.js';
import { createFetchSender, type FetchLike } from './http-fetch.js';
import { createNodeSender } from './http-node.js';
import { eventNames, listEventNames } from './list-events.js';
import { formatDuration, formatUntil, type Notify } from './notice.js';
import { Pacer } from './pacer.js';
import { createRedactor } from './redact.js';
import { defaultSleep, type Now, type Sleep } from './sleep.js';
import { createTransport } from './transport.js';
import type { BrazeClient, BrazeClientOptions, ClientNotice, ClientStats } from './types.js';
import {
  validateApiKey,
  validateCount,
  validateFunction,
  validatePositiveInteger,
  validateShare,
} from './validate.js';
import { USER_AGENT } from './version.js';

/** The zone of Braze's buckets: `bucketUtcOffsetMinutes` and `hourBuckets`, or their defaults. */
function validateBucketZone(options: BrazeClientOptions): Readonly<Required<BucketZone>> {
  const offset = options.bucketUtcOffsetMinutes;
  const utcOffsetMinutes =
    offset === undefined
      ? DEFAULT_BUCKET_UTC_OFFSET_MINUTES
      : validateUtcOffsetMinutes('bucketUtcOffsetMinutes', offset);
  const hourBuckets = validateChoice(
    'hourBuckets',
    options.hourBuckets,
    HOUR_BUCKETS,
    DEFAULT_HOUR_BUCKETS,
  );
  return Object.freeze({ utcOffsetMinutes, hourBuckets });
}

function validateUserAgent(value: unknown): string {
  if (value === undefined) return USER_AGENT;
  if (typeof value !== 'string' || !/^[\x21-\x7e][\x20-\x7e]{0,199}$/.test(value)) {
    throw new BrazeOptionTypeError(
      'userAgent',
      value,
      `userAgent must be printable ASCII of at most 200 characters, got ${quoteInput(value)}`,
    );
  }
  return `${value.trim()} ${USER_AGENT}`;
}

/**
 * Creates a client. Every option is validated here (TypeError/RangeError naming it).
 *
 * @example
 * ```ts
 * import { createBrazeClient } from 'braze-events';
 *
 * const client = createBrazeClient({ apiKey: process.env.BRAZE_API_KEY!, endpoint: 'US-03' });
 * for await (const name of client.eventNames()) console.log(name);
 * const { data } = await client.getEventSeries({ event: 'Purchase', length: 30, unit: 'day' });
 * ```
 */
export function createBrazeClient(options: BrazeClientOptions): BrazeClient {
  if (typeof options !== 'object' || options === null) {
    throw new BrazeOptionTypeError(
      'options',
      options,
      `options must be an object, got ${quoteInput(options)}`,
    );
  }
  const apiKey = validateApiKey(options.apiKey);
  try {
    return buildClient(options, apiKey);
  } catch (error) {
    // Every later check may quote an option, and a misplaced key (apiKey and endpoint
    // swapped) would be quoted verbatim: redact the quoted values with the now-known key.
    // Only the "…" quotes (quoteInput() output) are redacted, so a short key such as 'k'
    // cannot mangle the message's own words.
    if (error instanceof Error) {
      const redact = createRedactor([apiKey]);
      const clean = (text: string) =>
        text.replace(/"(?:[^"\\]|\\.)*"/g, (quoted) => redact(quoted));
      const { message } = error;
      error.message = clean(message);
      if (error.stack !== undefined) error.stack = error.stack.replace(message, error.message);
    }
    // The option error's `value` is the misplaced key itself: redacted like the message.
    if (isBrazeOptionError(error) && typeof error.value === 'string') {
      (error as { value: unknown }).value = createRedactor([apiKey])(error.value);
    }
    throw error;
  }
}

/** Validates the options after the key and wires the client (throws only on bad options). */
function buildClient(options: BrazeClientOptions, apiKey: string): BrazeClient {
  const { baseUrl, notices: endpointNotices } = resolveEndpointNotices(options.endpoint, {
    allowInsecureHttp: options.allowInsecureHttp === true,
  });
  const timeoutMs = validatePositiveInteger('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS);
  const maxRetries = validateCount('maxRetries', options.maxRetries, DEFAULT_MAX_RETRIES);
  const maxConcurrency = validatePositiveInteger(
    'maxConcurrency',
    options.maxConcurrency,
    DEFAULT_MAX_CONCURRENCY,
  );
  const maxRetryWaitMs = validateCount(
    'maxRetryWaitMs',
    options.maxRetryWaitMs,
    DEFAULT_MAX_RETRY_WAIT_MS,
  );
  const maxShareOfLimit = validateShare(
    'maxShareOfLimit',
    options.maxShareOfLimit,
    DEFAULT_MAX_SHARE_OF_LIMIT,
  );
  const reserve = validateCount(
    'rateLimitReserve',
    options.rateLimitReserve,
    DEFAULT_RATE_LIMIT_RESERVE,
  );
  const maxResponseBytes = validatePositiveInteger(
    'maxResponseBytes',
    options.maxResponseBytes,
    DEFAULT_MAX_RESPONSE_BYTES,
  );
  const backoff = {
    baseMs: validateCount('backoff.baseMs', options.backoff?.baseMs, DEFAULT_BACKOFF_BASE_MS),
    floorMs: validateCount('backoff.floorMs', options.backoff?.floorMs, DEFAULT_BACKOFF_FLOOR_MS),
    maxMs: validateCount('backoff.maxMs', options.backoff?.maxMs, DEFAULT_BACKOFF_MAX_MS),
  };
  const bucketZone = validateBucketZone(options);
  const userAgent = validateUserAgent(options.userAgent);
  const seriesCompleteness = validateChoice(
    'seriesCompleteness',
    options.seriesCompleteness,
    SERIES_COMPLETENESS,
    DEFAULT_SERIES_COMPLETENESS,
  );
  // No `fetch`: node:http (see http-node.ts for why it is the default).
  const http =
    options.fetch === undefined
      ? createNodeSender({ maxSockets: maxConcurrency })
      : createFetchSender(validateFunction<FetchLike>('fetch', options.fetch, globalThis.fetch));
  const now = validateFunction<Now>('now', options.now, Date.now);
  const sleep = validateFunction<Sleep>('sleep', options.sleep, defaultSleep);
  const random = validateFunction<() => number>('random', options.random, Math.random);
  const logger = options.logger;
  if (logger !== undefined && (typeof logger !== 'object' || logger === null)) {
    throw new BrazeOptionTypeError(
      'logger',
      logger,
      `logger must be an object with debug/info/warn/error, got ${quoteInput(logger)}`,
    );
  }

  const redact = createRedactor([apiKey]);
  const stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, waitedMs: 0 };
  const onNotice =
    options.onNotice === undefined
      ? undefined
      : validateFunction<(notice: ClientNotice) => void>('onNotice', options.onNotice, () => {});
  const notify: Notify = (notice) => {
    try {
      onNotice?.({ ...notice, message: redact(notice.message) });
    } catch {
      // A failing handler must not fail the request.
    }
  };
  for (const message of endpointNotices) notify({ kind: 'endpoint', message });
  const pacer = new Pacer({
    maxShareOfLimit,
    reserve,
    maxWaitMs: maxRetryWaitMs,
    now,
    sleep,
    onWait: (bucket, ms, reason) => {
      stats.waitedMs += ms;
      const until = now() + ms;
      const message = `waiting ${formatDuration(ms)}, until ${formatUntil(until)}, for the ${bucket} rate-limit window to reset (${reason})`;
      try {
        logger?.info?.(`pacing: ${message}`, { bucket, waitMs: ms });
      } catch {
        // A failing logger must not fail the request.
      }
      notify({ kind: 'wait', cause: 'rate-limit', bucket, ms, until: new Date(until), message });
    },
  });
  const send = createTransport({
    http,
    headers: {
      authorization: `Bearer ${apiKey}`,
      accept: 'application/json',
      'user-agent': userAgent,
    },
    timeoutMs,
    maxRetries,
    maxRetryWaitMs,
    maxResponseBytes,
    backoff,
    pacer,
    semaphore: new Semaphore(maxConcurrency),
    now,
    sleep,
    random,
    logger,
    redact,
    stats,
    notify,
  });
  const ctx: EndpointContext = {
    send,
    baseUrl,
    redact,
    now,
    notify,
    bucketUtcOffsetMinutes: bucketZone.utcOffsetMinutes,
    bucketZone,
    seriesCompleteness,
  };

  const client: BrazeClient = {
    endpoint: baseUrl,
    bucketZone,
    listEventNames: (o = {}) => listEventNames(ctx, o),
    eventNames: (o = {}) => eventNames(ctx, o),
    events: (o = {}) => events(ctx, o),
    getEventSeries: (o) => getEventSeries(ctx, o),
    eventSeries: (o) => eventSeries(ctx, o),
    stats: () => ({ ...stats }),
    rateLimit: (bucket: RateLimitBucket) => {
      const state = pacer.state(bucket);
      return state && { ...state };
    },
  };
  return Object.freeze(client);
}
