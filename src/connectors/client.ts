/**
 * The Braze client of a connector run, and the probe behind `check`.
 */
import { createBrazeClient } from '../core/client.js';
import { isBrazeAuthError } from '../core/errors.js';
import type { BrazeClient } from '../core/types.js';
import type { ConnectorConfig } from './config.js';

/** Where the client's log lines go (a connector turns them into its own log messages). */
export type ConnectorLog = (level: 'debug' | 'info' | 'warn', message: string) => void;

/**
 * A client for the configured workspace, with the library's retries and pacing and the
 * configured share of the rate limits. Throws TypeError/RangeError for a bad endpoint.
 *
 * @example
 * const client = createConnectorClient(config, (level, m) => console.error(level, m));
 */
export function createConnectorClient(config: ConnectorConfig, log: ConnectorLog): BrazeClient {
  return createBrazeClient({
    apiKey: config.apiKey(),
    endpoint: config.endpoint,
    bucketUtcOffsetMinutes: config.bucketUtcOffsetMinutes,
    hourBuckets: config.hourBuckets,
    ...(config.maxShareOfLimit !== undefined ? { maxShareOfLimit: config.maxShareOfLimit } : {}),
    logger: {
      debug: (m) => log('debug', m),
      info: (m) => log('debug', m),
      warn: (m) => log('warn', m),
      error: (m) => log('warn', m),
    },
  });
}

/**
 * Probes the endpoint and each permission a read needs: `events.list` (GET /events/list),
 * `events.data_series` (one bucket of the first event) and, optionally, `events.get`
 * (GET /events; without it event details are null). Resolves with what it found; throws
 * the first error that makes reading impossible (bad key, missing permission, unreachable
 * endpoint).
 *
 * @example
 * const { firstPageEvents, notes } = await checkConnection(client);
 */
export async function checkConnection(
  client: Pick<BrazeClient, 'listEventNames' | 'getEventSeries' | 'events'>,
): Promise<{ firstPageEvents: number; notes: string[] }> {
  const { events } = await client.listEventNames({ page: 0 });
  const notes: string[] = [];
  const first = events[0];
  if (first === undefined) notes.push('the workspace has no custom events yet');
  // An event that does not exist still needs the permission, and Braze answers zeros.
  await client.getEventSeries({ event: first ?? 'braze-events check', length: 1, unit: 'day' });
  try {
    for await (const _ of client.events({ maxItems: 1 })) break;
  } catch (error) {
    if (!(isBrazeAuthError(error) && error.status === 403)) throw error;
    notes.push('the key lacks "events.get": the events stream will have names without details');
  }
  return { firstPageEvents: events.length, notes };
}
