/**
 * RFC 8288 `Link` header parsing, for the `rel="next"` page of GET /events. A hand-written
 * linear scanner (no backtracking regex) over a bounded input, so a hostile header cannot
 * stall it.
 */

/** Header values longer than this are not parsed (no next page is assumed). */
export const MAX_LINK_HEADER_LENGTH = 16_384;

/** One link: its target (resolved against the base) and its parameters (lower-case names). */
export interface LinkValue {
  uri: string;
  params: Record<string, string>;
  /** The `rel` parameter split into lower-case relation types. */
  rels: string[];
}

/**
 * Parses a `Link` header into its links. URI references are resolved against `baseUrl`
 * (relative or absolute); links that do not resolve are skipped.
 *
 * @example
 * ```ts
 * parseLinkHeader('</events?cursor=abc>; rel="next"', 'https://rest.iad-01.braze.com/events');
 * // [{ uri: 'https://rest.iad-01.braze.com/events?cursor=abc', params: { rel: 'next' }, rels: ['next'] }]
 * ```
 */
export function parseLinkHeader(value: string | null, baseUrl: string): LinkValue[] {
  if (value === null || value.length > MAX_LINK_HEADER_LENGTH) return [];
  const links: LinkValue[] = [];
  let i = 0;
  const n = value.length;
  const skipSpace = () => {
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
  };
  while (i < n) {
    skipSpace();
    if (value[i] !== '<') {
      // Not a link-value start: skip to the next comma outside quotes and try again.
      skipToComma();
      continue;
    }
    const close = value.indexOf('>', i + 1);
    if (close === -1) break;
    const target = value.slice(i + 1, close).trim();
    i = close + 1;
    const params: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (value[i] !== ';') break;
      i++;
      skipSpace();
      let name = '';
      while (i < n && /[^=;,\s]/.test(value[i] ?? '')) name += value[i++];
      skipSpace();
      let paramValue = '';
      if (value[i] === '=') {
        i++;
        skipSpace();
        if (value[i] === '"') {
          i++;
          while (i < n && value[i] !== '"') {
            if (value[i] === '\\' && i + 1 < n) i++;
            paramValue += value[i++];
          }
          i++;
        } else {
          while (i < n && /[^;,\s]/.test(value[i] ?? '')) paramValue += value[i++];
        }
      }
      const key = name.toLowerCase();
      // RFC 8288 §3.3: only the first occurrence of `rel` counts.
      if (key && !(key in params)) params[key] = paramValue;
    }
    skipToComma();
    let uri: string;
    try {
      uri = new URL(target, baseUrl).href;
    } catch {
      continue;
    }
    const rels = (params.rel ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    links.push({ uri, params, rels });
  }
  return links;

  function skipToComma() {
    let quoted = false;
    while (i < n) {
      const c = value?.[i];
      if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) {
        i++;
        return;
      }
      i++;
    }
  }
}

/**
 * The absolute URI of the `rel="next"` link, or `undefined` when there is none.
 *
 * @example
 * ```ts
 * findNextLink(response.headers.get('link'), requestUrl);
 * ```
 */
export function findNextLink(value: string | null, baseUrl: string): string | undefined {
  return parseLinkHeader(value, baseUrl).find((link) => link.rels.includes('next'))?.uri;
}
