/**
 * What the endpoint modules share: the transport, the base URL and per-client settings.
 */
import type { BucketZone } from '../api/time.js';
import type { Notify } from './notice.js';
import type { Redactor } from './redact.js';
import type { Now } from './sleep.js';
import type { Transport } from './transport.js';

export interface EndpointContext {
  send: Transport;
  /** REST base URL, no trailing slash. */
  baseUrl: string;
  redact: Redactor;
  now: Now;
  /** Emits a `ClientNotice` (listing stopped early, …). */
  notify: Notify;
  /** Minutes east of UTC of Braze's bucket zone (`bucketZone.utcOffsetMinutes`). */
  bucketUtcOffsetMinutes: number;
  /** Braze's bucket zone: offset and hour alignment. */
  bucketZone: Required<BucketZone>;
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
  // A plain loop: this runs for every request, and entries/filter/map allocate three arrays.
  let search = '';
  for (const name in query) {
    const value = query[name];
    if (value === undefined) continue;
    search += `${search === '' ? '?' : '&'}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
  }
  return `${baseUrl}${path}${search}`;
}
