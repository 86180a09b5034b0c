/**
 * Resolving the `endpoint` option: a Braze instance id (`US-03`, `eu-01`) or a base URL.
 */
import { INSTANCE_IDS, INSTANCES, type InstanceId } from '../api/instances.js';
import { describe } from './validate.js';

export interface ResolveEndpointOptions {
  /** Allow `http://` to a non-loopback host (the key would travel in clear text). */
  allowInsecureHttp?: boolean;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a URL hostname is this machine (`localhost`, `127.x.x.x`, `::1`). */
export function isLoopback(hostname: string): boolean {
  return (
    LOOPBACK_HOSTS.has(hostname) ||
    hostname.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * Returns the REST base URL (no trailing slash) for an instance id, case-insensitive, or
 * for a URL. Refuses unknown ids (listing the valid ones), URLs with credentials, query or
 * fragment, and `http://` to anything but loopback unless `allowInsecureHttp` is set.
 *
 * @example
 * ```ts
 * resolveEndpoint('us-03'); // 'https://rest.iad-03.braze.com'
 * resolveEndpoint('http://127.0.0.1:4010/'); // 'http://127.0.0.1:4010'
 * ```
 */
export function resolveEndpoint(endpoint: unknown, options: ResolveEndpointOptions = {}): string {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw new TypeError(
      `endpoint must be a Braze instance id (${INSTANCE_IDS.join(', ')}) or a base URL, got ${describe(endpoint)}`,
    );
  }
  const value = endpoint.trim();
  if (!value.includes('://')) {
    const id = value.toUpperCase();
    if (Object.hasOwn(INSTANCES, id)) return INSTANCES[id as InstanceId];
    throw new RangeError(
      `endpoint ${describe(value)} is not a Braze instance; valid ids: ${INSTANCE_IDS.join(', ')} (or pass a base URL such as https://rest.iad-01.braze.com)`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`endpoint ${describe(value)} is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new RangeError(`endpoint ${describe(value)} must use https:// (or http:// to loopback)`);
  }
  if (url.username || url.password) {
    // Printing the URL here would print the credentials: say only what is wrong.
    throw new RangeError('endpoint must not contain credentials (user:password@)');
  }
  if (url.search || url.hash) {
    throw new RangeError(`endpoint ${describe(value)} must not have a query or fragment`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && options.allowInsecureHttp !== true) {
    throw new RangeError(
      `endpoint ${describe(value)} uses http:// to a non-loopback host, which would send the API key unencrypted; use https:// or set allowInsecureHttp`,
    );
  }
  return url.href.replace(/\/+$/, '');
}
