/**
 * Resolving the `endpoint` option: a Braze instance id (`US-03`, `eu-01`) or a base URL.
 */
import { brazeHost, INSTANCE_IDS, INSTANCES, type InstanceId } from '../api/instances.js';
import { BrazeOptionRangeError, BrazeOptionTypeError } from '../api/option-errors.js';
import { quoteInput } from '../api/quote.js';
import { describeSetting } from './validate.js';

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

/** A resolved endpoint and what a person should be told about it. */
export interface ResolvedEndpoint {
  /** REST base URL, no trailing slash. */
  baseUrl: string;
  /** One-line notices: a scheme added, an SDK/dashboard host rewritten, a non-Braze host. */
  notices: string[];
}

/**
 * Returns the REST base URL (no trailing slash) for an instance id, case-insensitive, or
 * for a URL. Refuses unknown ids (listing the valid ones), URLs with credentials, query or
 * fragment, and `http://` to anything but loopback unless `allowInsecureHttp` is set.
 * Endpoints as people paste them (see `resolveEndpointNotices`) are completed or refused.
 *
 * @example
 * ```ts
 * resolveEndpoint('us-03'); // 'https://rest.iad-03.braze.com'
 * resolveEndpoint('http://127.0.0.1:4010/'); // 'http://127.0.0.1:4010'
 * ```
 */
export function resolveEndpoint(endpoint: unknown, options: ResolveEndpointOptions = {}): string {
  return resolveEndpointNotices(endpoint, options).baseUrl;
}

/**
 * `resolveEndpoint` with its notices (docs/BRAZE_API.md "Hosts people paste"):
 * - a host without a scheme (`rest.fra-02.braze.eu`) gets `https://`;
 * - the SDK endpoint (`sdk.iad-03.braze.com`) or the dashboard (`dashboard-03.braze.com`)
 *   of a known instance becomes that instance's REST URL; of an unknown one, it is refused;
 * - a Braze REST URL with a path (`…/events/list`) is refused, naming the base to use;
 * - an https host that is neither a Braze REST host nor loopback is kept, with a notice
 *   that the API key goes there (a proxy is legitimate, a typo is not).
 *
 * @example
 * ```ts
 * resolveEndpointNotices('https://dashboard-03.braze.com');
 * // { baseUrl: 'https://rest.iad-03.braze.com', notices: ["endpoint … is Braze's dashboard, …"] }
 * ```
 */
export function resolveEndpointNotices(
  endpoint: unknown,
  options: ResolveEndpointOptions = {},
): ResolvedEndpoint {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw new BrazeOptionTypeError(
      'endpoint',
      endpoint,
      `endpoint must be a Braze instance id (${INSTANCE_IDS.join(', ')}) or a base URL, got ${quoteInput(endpoint)}`,
    );
  }
  const notices: string[] = [];
  let value = endpoint.trim();
  if (!value.includes('://')) {
    const id = value.toUpperCase();
    if (Object.hasOwn(INSTANCES, id)) return { baseUrl: INSTANCES[id as InstanceId], notices };
    if (!HOST_RE.test(value)) {
      // Neither an id nor a host: often the API key, pasted into the endpoint (the two
      // settings swapped). Only a value shaped like an instance id (a typo such as US-3) is
      // echoed; anything else is described by its length, so a key never reaches a message.
      const shown = looksLikeInstanceId(value);
      throw new BrazeOptionRangeError(
        'endpoint',
        shown ? value : undefined,
        `endpoint ${shown ? quoteInput(value) : describeUnshown(value)} is not a Braze instance; valid ids: ${INSTANCE_IDS.join(', ')} (or pass a base URL such as https://rest.iad-01.braze.com)`,
      );
    }
    value = `https://${value}`;
    notices.push(
      `endpoint ${quoteInput(endpoint.trim())} has no scheme: using ${value.replace(/\/+$/, '')}`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BrazeOptionTypeError(
      'endpoint',
      value,
      `endpoint ${quoteInput(value)} is not a valid URL`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BrazeOptionRangeError(
      'endpoint',
      value,
      `endpoint ${quoteInput(value)} must use https:// (or http:// to loopback)`,
    );
  }
  if (url.username || url.password) {
    // Printing the URL here would print the credentials: say only what is wrong.
    throw new BrazeOptionRangeError(
      'endpoint',
      undefined, // the credentials stay out of the error
      'endpoint must not contain credentials (user:password@)',
    );
  }
  const host = brazeHost(url.hostname);
  if (host !== undefined && host.kind !== 'rest') {
    // Pasted from the SDK setup or the browser's address bar: the path and query are the
    // dashboard's, not a REST base's, so only the instance matters.
    const what =
      host.kind === 'sdk'
        ? "Braze's SDK endpoint, not the REST API"
        : "Braze's dashboard, not the REST API";
    if (host.id === undefined) {
      throw new BrazeOptionRangeError(
        'endpoint',
        value,
        `endpoint ${quoteInput(value)} is ${what}, and of no instance this client knows: pass the REST endpoint (an instance id such as US-03, or https://rest.<cluster>.braze.com)`,
      );
    }
    const rest = INSTANCES[host.id];
    notices.push(`endpoint ${url.origin} is ${what}: using ${host.id}'s REST endpoint ${rest}`);
    return { baseUrl: rest, notices };
  }
  if (url.search || url.hash) {
    throw new BrazeOptionRangeError(
      'endpoint',
      value,
      `endpoint ${quoteInput(value)} must not have a query or fragment`,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && options.allowInsecureHttp !== true) {
    const remedy = { option: 'allowInsecureHttp', value: true };
    throw new BrazeOptionRangeError(
      'endpoint',
      value,
      `endpoint ${quoteInput(value)} uses http:// to a non-loopback host, which would send the API key unencrypted; use https:// or ${describeSetting(remedy)}`,
      remedy,
    );
  }
  const baseUrl = url.href.replace(/\/+$/, '');
  const path = url.pathname.replace(/\/+$/, '');
  if (host?.kind === 'rest' && path !== '') {
    // Braze's REST API lives at the root: with a path every call would 404.
    throw new BrazeOptionRangeError(
      'endpoint',
      value,
      `endpoint ${quoteInput(value)} has a path (${quoteInput(path)}): use the base ${url.origin} (the client adds /events/list and the other paths itself)`,
    );
  }
  if (host === undefined && !isLoopback(url.hostname)) {
    notices.push(`endpoint ${baseUrl} is not a Braze REST host: the API key will be sent there`);
  }
  return { baseUrl, notices };
}

/** A bare host, optionally with port and path: `rest.fra-02.braze.eu`, `proxy.corp:8443/braze`. */
const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?(?:\/\S*)?$/i;

/**
 * Whether a value is shaped like a Braze instance id (`US-03`, `eu01`, `us-3`): letters, an
 * optional dash, digits. Such a value is safe to echo; any other value that is neither an id
 * nor a host may be a secret (an API key set as the endpoint) and is never printed.
 *
 * @example
 * looksLikeInstanceId('US-3') // true
 * looksLikeInstanceId('sk-TRIAL-SECRET-123') // false
 */
export function looksLikeInstanceId(value: string): boolean {
  return /^[a-z]{2,3}-?\d{1,3}$/i.test(value.trim());
}

/** A value that may be a secret, described without its text. */
function describeUnshown(value: string): string {
  return `(a value of ${value.length} characters, not shown: it is neither an instance id nor a host, and may be an API key)`;
}
