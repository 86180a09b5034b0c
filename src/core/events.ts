/**
 * GET /events: custom events with details, 50 a page, next page via the RFC 8288 `Link`
 * header's `rel="next"` (cursor opaque). Wire names: `included_in_analytics_report` →
 * `includedInAnalyticsReport`, `tag_names` → `tagNames`; the rest keep their names.
 */
import { PATHS } from '../api/constants.js';
import type { WireCustomEvent } from '../api/types.js';
import { buildUrl, type EndpointContext } from './context.js';
import { BrazeResponseShapeError } from './errors.js';
import { findNextLink } from './link-header.js';
import { checkEventsBody } from './shapes.js';
import type { CustomEvent, EventsOptions } from './types.js';
import { validateMaxItems } from './validate.js';

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
 * to another origin is refused (the key must only go to the configured endpoint), and a
 * link already visited ends the loop with an error instead of cycling forever.
 */
export function events(
  ctx: EndpointContext,
  options: EventsOptions = {},
): AsyncGenerator<CustomEvent, void, undefined> {
  const maxItems = validateMaxItems('maxItems', options.maxItems);
  return pages(ctx, options, maxItems);
}

async function* pages(
  ctx: EndpointContext,
  options: EventsOptions,
  maxItems: number,
): AsyncGenerator<CustomEvent, void, undefined> {
  const origin = new URL(ctx.baseUrl).origin;
  const visited = new Set<string>();
  let url: string | undefined = buildUrl(ctx.baseUrl, PATHS.events, {});
  let yielded = 0;
  while (url !== undefined && yielded < maxItems) {
    visited.add(url);
    const res = await ctx.send({
      bucket: 'listing',
      url,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
    const shape = {
      method: 'GET',
      url: res.displayUrl,
      status: res.status,
      text: res.text,
      redact: ctx.redact,
    };
    const page = checkEventsBody(res.json, shape);
    for (const event of page) {
      if (yielded >= maxItems) return;
      yield fromWire(event);
      yielded++;
    }
    const next = findNextLink(res.headers.get('link'), url);
    if (next !== undefined) {
      const problem =
        new URL(next).origin !== origin
          ? 'its Link rel="next" points to another origin'
          : visited.has(next)
            ? 'its Link rel="next" repeats a page already read'
            : null;
      if (problem) throw new BrazeResponseShapeError({ ...shape, problem, bodyExcerpt: '' });
    }
    url = next;
  }
}
