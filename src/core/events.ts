/**
 * GET /events: custom events with details, 50 a page, next page via the RFC 8288 `Link`
 * header's `rel="next"` (cursor opaque). Wire names: `included_in_analytics_report` →
 * `includedInAnalyticsReport`, `tag_names` → `tagNames`; the rest keep their names.
 */
import { PATHS } from '../api/constants.js';
import type { WireCustomEvent } from '../api/types.js';
import { buildUrl, type EndpointContext } from './context.js';
import { DEFAULT_MAX_LISTING_PAGES } from './defaults.js';
import { BrazeResponseShapeError } from './errors.js';
import { findNextLink } from './link-header.js';
import { checkEventsBody, shapeContext } from './shapes.js';
import type { CustomEvent, EventsOptions } from './types.js';
import { validateMaxItems, validatePositiveInteger } from './validate.js';

/** The one place the wire event maps to the public camelCase one. */
function fromWire(event: WireCustomEvent): CustomEvent {
  return {
    name: event.name,
    description: event.description,
    includedInAnalyticsReport: event.included_in_analytics_report,
    status: event.status,
    tagNames: event.tag_names,
  };
}

/**
 * Every custom event, following `Link: <…>; rel="next"` until there is none. A next link
 * to another origin is refused (the key must only go to the configured endpoint). A link
 * already visited (a repeated cursor), a page that brings no new event and the `maxPages`
 * cap end the listing with a `listing` notice instead of cycling; an event already
 * yielded is not yielded again.
 */
export function events(
  ctx: EndpointContext,
  options: EventsOptions = {},
): AsyncGenerator<CustomEvent, void, undefined> {
  const maxItems = validateMaxItems('maxItems', options.maxItems);
  const maxPages =
    options.maxPages === undefined
      ? DEFAULT_MAX_LISTING_PAGES.events
      : validatePositiveInteger('maxPages', options.maxPages, 1);
  return pages(ctx, options, maxItems, maxPages);
}

async function* pages(
  ctx: EndpointContext,
  options: EventsOptions,
  maxItems: number,
  maxPages: number,
): AsyncGenerator<CustomEvent, void, undefined> {
  const origin = new URL(ctx.baseUrl).origin;
  const visited = new Set<string>();
  const seen = new Set<string>();
  let duplicates = 0;
  let url: string | undefined = buildUrl(ctx.baseUrl, PATHS.events, {});
  let yielded = 0;
  const notice = (what: string) =>
    ctx.notify({
      kind: 'listing',
      endpoint: PATHS.events,
      message: `GET ${PATHS.events} ${what}, after ${seen.size} events${duplicates > 0 ? ` (${duplicates} repeated events dropped)` : ''}`,
    });
  while (url !== undefined && yielded < maxItems) {
    if (visited.size >= maxPages) {
      notice(`stopped at its cap of ${maxPages} pages (maxPages) with a next page still linked`);
      return;
    }
    visited.add(url);
    const res = await ctx.send({
      bucket: 'listing',
      url,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      maxWaitMs: options.maxWaitMs,
    });
    const shape = shapeContext(res, ctx.redact, `page ${visited.size}`);
    const page = checkEventsBody(res.json, shape);
    let fresh = 0;
    for (const event of page) {
      if (yielded >= maxItems) return;
      if (seen.has(event.name)) {
        duplicates++;
        continue;
      }
      seen.add(event.name);
      fresh++;
      yield fromWire(event);
      yielded++;
    }
    const next = findNextLink(res.headers.get('link'), url);
    if (next !== undefined && page.length > 0 && fresh === 0) {
      // A new cursor on a page of events already listed: the server repeats itself.
      notice(`stopped on page ${visited.size - 1}: it repeats events already listed`);
      return;
    }
    if (next !== undefined && new URL(next).origin !== origin) {
      throw new BrazeResponseShapeError({
        ...shape,
        problem: 'its Link rel="next" points to another origin',
        bodyExcerpt: '',
      });
    }
    if (next !== undefined && visited.has(next)) {
      // A cursor already followed: the server would send the same pages round again.
      notice(`stopped: the Link rel="next" of ${res.displayUrl} repeats a cursor already read`);
      return;
    }
    url = next;
  }
  if (duplicates > 0) notice('listed every page');
}
