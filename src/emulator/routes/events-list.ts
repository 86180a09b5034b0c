/**
 * GET /events/list: 0-based `page` of up to 250 names, sorted; past the end an empty page.
 * Braze docs: `_docs/_api/endpoints/export/custom_events/get_custom_events.md`.
 */
import { EVENTS_LIST_PAGE_SIZE } from '../../api/constants.js';
import type { Answer } from '../http.js';
import type { Workspace } from '../workspace.js';

/** @example eventsListAnswer(ws, new URLSearchParams('page=1')).body.events.length; */
export function eventsListAnswer(ws: Workspace, query: URLSearchParams): Answer {
  const raw = query.get('page');
  let page = 0;
  if (raw !== null) {
    if (!/^\d{1,9}$/.test(raw)) {
      return {
        status: 400,
        body: {
          message: `Invalid 'page' parameter: must be a non-negative integer, got ${JSON.stringify(raw)}`,
        },
      };
    }
    page = Number(raw);
  }
  const start = page * EVENTS_LIST_PAGE_SIZE;
  const events = ws.events.slice(start, start + EVENTS_LIST_PAGE_SIZE).map((e) => e.name);
  return { status: 200, body: { message: 'success', events } };
}
