/**
 * What the endpoint modules share: the transport, the base URL and per-client settings.
 */
import type { Redactor } from './redact.js';
import type { Now } from './sleep.js';
import type { Transport } from './transport.js';

export interface EndpointContext {
  send: Transport;
  /** REST base URL, no trailing slash. */
  baseUrl: string;
  redact: Redactor;
  now: Now;
  /** Minutes east of UTC of Braze's bucket zone. */
  bucketUtcOffsetMinutes: number;
  /** Whether data_series answers must have exactly the buckets asked for. */
  seriesCompleteness: 'strict' | 'lenient';
}

/**
 * Builds `baseUrl + path` with query parameters, skipping `undefined` values. Values are
 * percent-encoded with `encodeURIComponent` (space as `%20`, not the form-style `+` that
 * some servers keep literally), so names with `&`, `%`, `/`, `+` or emoji arrive intact.
 *
 * @example `buildUrl('https://x', '/events/data_series', { event: 'a b' }) // 'https://x/events/data_series?event=a%20b'`
 */
export function buildUrl(
  baseUrl: string,
  path: string,
  query: Record<string, string | number | undefined>,
): string {
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  return `${baseUrl}${path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
}
