/**
 * GET /events/list: custom event names, 250 a page, 0-based `page`, sorted. There is no
 * "has more" flag: the last page is the first with fewer than 250 names (possibly empty).
 * Wire names: `page` → `page`; body `events` → `events`.
 */
import { EVENTS_LIST_PAGE_SIZE, PATHS } from '../api/constants.js';
import { buildUrl, type EndpointContext } from './context.js';
import { checkEventsListBody } from './shapes.js';
import type { EventNamesOptions, ListEventNamesOptions, ListEventNamesResult } from './types.js';
import { validateMaxItems, validateNonNegativeInteger } from './validate.js';

/** One page of names. */
export async function listEventNames(
  ctx: EndpointContext,
  options: ListEventNamesOptions = {},
): Promise<ListEventNamesResult> {
  const page = options.page === undefined ? 0 : validateNonNegativeInteger('page', options.page);
  const res = await ctx.send({
    bucket: 'listing',
    url: buildUrl(ctx.baseUrl, PATHS.eventsList, { page }),
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
  });
  const events = checkEventsListBody(res.json, {
    method: 'GET',
    url: res.displayUrl,
    status: res.status,
    text: res.text,
    redact: ctx.redact,
  });
  return { events, page, rateLimit: res.rateLimit };
}

/**
 * Every name from `startPage` on, page after page until a short page; `break` or
 * `maxItems` stop fetching. Options are validated here, before the first request.
 */
export function eventNames(
  ctx: EndpointContext,
  options: EventNamesOptions = {},
): AsyncGenerator<string, void, undefined> {
  const startPage =
    options.startPage === undefined
      ? 0
      : validateNonNegativeInteger('startPage', options.startPage);
  const maxItems = validateMaxItems('maxItems', options.maxItems);
  return pages(ctx, options, startPage, maxItems);
}

async function* pages(
  ctx: EndpointContext,
  options: EventNamesOptions,
  startPage: number,
  maxItems: number,
): AsyncGenerator<string, void, undefined> {
  let yielded = 0;
  for (let page = startPage; yielded < maxItems; page++) {
    const { events } = await listEventNames(ctx, {
      page,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
    for (const name of events) {
      if (yielded >= maxItems) return;
      yield name;
      yielded++;
    }
    if (events.length < EVENTS_LIST_PAGE_SIZE) return;
  }
}
