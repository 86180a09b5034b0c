/**
 * GET /events: up to 50 events with details per page, sorted by name, paged by an opaque
 * `cursor` and an RFC 8288 `Link` header (rel="prev" after the first page, rel="next"
 * before the last, no header when one page holds everything). Cursors are base64 of
 * `skip:N`, like the examples in Braze's docs; a bad cursor is a 400 with the body of
 * Braze's catalog endpoints (BRAZE_API.md, "GET /events").
 */
import { EVENTS_PAGE_SIZE } from '../../api/constants.js';
import type { Answer } from '../http.js';
import type { Workspace } from '../workspace.js';

export function encodeCursor(skip: number): string {
  return Buffer.from(`skip:${skip}`).toString('base64');
}

/** The skip a cursor stands for, or undefined when it is not one the emulator issued. */
export function decodeCursor(cursor: string, total: number): number | undefined {
  if (cursor.length === 0 || cursor.length > 64) return undefined;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const m = /^skip:(\d{1,9})$/.exec(text);
  if (m === null || encodeCursor(Number(m[1])) !== cursor) return undefined;
  const skip = Number(m[1]);
  return skip <= total ? skip : undefined;
}

function invalidCursor(cursor: string): Answer {
  return {
    status: 400,
    body: {
      errors: [
        {
          id: 'invalid-cursor',
          message: "'cursor' is not valid",
          parameters: ['cursor'],
          parameter_values: [cursor],
        },
      ],
      message: 'Invalid Request',
    },
  };
}

/**
 * @param linkBase URL prefix of the Link targets: absolute (`http://host:port`) or ''.
 */
export function eventsAnswer(ws: Workspace, query: URLSearchParams, linkBase: string): Answer {
  const cursor = query.get('cursor');
  const total = ws.events.length;
  let skip = 0;
  if (cursor !== null) {
    const decoded = decodeCursor(cursor, total);
    if (decoded === undefined) return invalidCursor(cursor);
    skip = decoded;
  }
  const events = ws.events.slice(skip, skip + EVENTS_PAGE_SIZE);
  const link = (s: number, rel: string) =>
    `<${linkBase}/events?cursor=${encodeURIComponent(encodeCursor(s))}>; rel="${rel}"`;
  const links: string[] = [];
  if (skip > 0) links.push(link(Math.max(0, skip - EVENTS_PAGE_SIZE), 'prev'));
  if (skip + EVENTS_PAGE_SIZE < total) links.push(link(skip + EVENTS_PAGE_SIZE, 'next'));
  const answer: Answer = { status: 200, body: { message: 'success', events } };
  if (links.length > 0) answer.headers = { link: links.join(', ') };
  return answer;
}
