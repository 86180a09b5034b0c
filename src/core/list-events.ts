/**
 * GET /events/list: custom event names, 250 a page, 0-based `page`, sorted. There is no
 * "has more" flag: the last page is the first with fewer than 250 names (possibly empty).
 * What Braze answers past the last page is undocumented, so the listing also stops on a
 * full page that brings no new name (a server ignoring `page` repeats page 0) and at
 * `maxPages`, saying so in a `listing` notice; a name is yielded once.
 * Wire names: `page` → `page`; body `events` → `events`.
 */
import { EVENTS_LIST_PAGE_SIZE, PATHS } from '../api/constants.js';
import { buildUrl, type EndpointContext } from './context.js';
import { DEFAULT_MAX_LISTING_PAGES } from './defaults.js';
import { checkEventsListBody, shapeContext } from './shapes.js';
import type { EventNamesOptions, ListEventNamesOptions, ListEventNamesResult } from './types.js';
import {
  validateMaxItems,
  validateNonNegativeInteger,
  validatePositiveInteger,
} from './validate.js';

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
    maxWaitMs: options.maxWaitMs,
  });
  const events = checkEventsListBody(res.json, shapeContext(res, ctx.redact, `page ${page}`));
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
  const maxPages =
    options.maxPages === undefined
      ? DEFAULT_MAX_LISTING_PAGES.eventsList
      : validatePositiveInteger('maxPages', options.maxPages, 1);
  return pages(ctx, options, startPage, maxItems, maxPages);
}

async function* pages(
  ctx: EndpointContext,
  options: EventNamesOptions,
  startPage: number,
  maxItems: number,
  maxPages: number,
): AsyncGenerator<string, void, undefined> {
  const seen = new Set<string>();
  let yielded = 0;
  let duplicates = 0;
  const stop = (why: string) =>
    ctx.notify({
      kind: 'listing',
      endpoint: PATHS.eventsList,
      message: `GET ${PATHS.eventsList} stopped ${why}, after ${seen.size} names${duplicates > 0 ? ` (${duplicates} repeated names dropped)` : ''}`,
    });
  for (let page = startPage; yielded < maxItems; page++) {
    if (page - startPage >= maxPages) {
      stop(`at its cap of ${maxPages} pages (maxPages) without reaching a short page`);
      return;
    }
    const { events } = await listEventNames(ctx, {
      page,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      maxWaitMs: options.maxWaitMs,
    });
    let fresh = 0;
    for (const name of events) {
      if (yielded >= maxItems) return;
      if (seen.has(name)) {
        duplicates++;
        continue;
      }
      seen.add(name);
      fresh++;
      yield name;
      yielded++;
    }
    if (events.length < EVENTS_LIST_PAGE_SIZE) {
      if (duplicates > 0) {
        ctx.notify({
          kind: 'listing',
          endpoint: PATHS.eventsList,
          message: `GET ${PATHS.eventsList} listed ${seen.size} names; ${duplicates} names repeated across pages were dropped`,
        });
      }
      return;
    }
    if (fresh === 0) {
      // Braze does not document what comes past the last page; a full page of names
      // already seen means the server ignores `page` (or repeats one): more pages would
      // only spend the shared listing budget.
      stop(`on page ${page}: it repeats names already listed (is \`page\` ignored?)`);
      return;
    }
  }
}
