/**
 * A second oracle: a small Braze stand-in for GET /events/list, GET /events and
 * GET /events/data_series, written from docs/BRAZE_API.md, /work/shared/BRAZE_API.md (its
 * "Added 2026-11-29" section) and /work/shared/braze-recorded-answers.json alone, without
 * reading the project's emulator. Counts come from a hash (`standinCount`), so a test can
 * compare what the product printed or stored against the ground truth.
 *
 * Each configurable behaviour cites the doc line it follows; "BRAZE_API.md" is the repo's
 * docs/BRAZE_API.md, "Added 2026-11-29" the dated section of the shared copy, "recorded"
 * an answer of braze-recorded-answers.json.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTestServer } from '../helpers/http-server.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** BRAZE_API.md, /events/list: "Up to **250** names a page". */
export const LIST_PAGE_SIZE = 250;
/** BRAZE_API.md, /events: "Up to **50** events a page". */
export const DETAILS_PAGE_SIZE = 50;
/** BRAZE_API.md, data_series: "`length` … integer **1..100**". */
export const MAX_LENGTH = 100;

export type StandinUnit = 'day' | 'hour';
/** BRAZE_API.md: hourly `time` "exact offset form **unknown**: accept `Z`, `+00:00`, fractional seconds". */
export type HourTimeForm = 'Z' | '+00:00' | 'fractional';

/** A fault that answers some requests to one path after the first `after` of them. */
export interface FaultAfter {
  /** Requests to `path` answered normally before the fault starts. */
  after: number;
  /** How many times the fault is given (default 1). */
  times?: number;
  /** The path it applies to (default `/events/data_series`). */
  path?: string;
}

export interface StandinOptions {
  /** The one valid REST API key (default `STANDIN-KEY-…`). */
  apiKey?: string;
  /** Custom event names (default: `defaultEventNames(12)`). */
  events?: readonly string[];
  /**
   * Minutes east of UTC at which day buckets start; `time` is then the local date.
   * BRAZE_API.md: "The time zone of day buckets is **undocumented** … make the emulator's
   * zone configurable (UTC default)".
   */
  dayOffsetMinutes?: number;
  /**
   * Where hour buckets start when `dayOffsetMinutes` is not whole hours: on UTC hours
   * (default) or on the local clock's hours. BRAZE_API.md: "**Unknown: hour buckets under an
   * offset that is not whole hours.** … on the local clock's hours (…T10:00+05:30) or on UTC
   * hours (…T10:30+05:30)".
   */
  hourBuckets?: 'utc' | 'local';
  /** How an hourly `time` is written (BRAZE_API.md: accept `Z`, `+00:00`, fractional seconds). */
  hourTimeForm?: HourTimeForm;
  /** BRAZE_API.md, /events/list: "**1,000 requests/hour, shared** with `/events`". */
  listingLimit?: number;
  /** BRAZE_API.md, data_series: "the default 250,000 requests/hour bucket". */
  dataSeriesLimit?: number;
  /**
   * Added 2026-11-29, "Windows are not all hourly … a 429's own reset can be seconds away":
   * after `after` requests, a 429 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` =
   * now + 1 s (the recorded-answers "429 from a per-minute window"), until that reset; the
   * 200s before it say the window ends at the top of the hour.
   */
  shortWindow429?: FaultAfter;
  /**
   * Added 2026-11-29, "An edge in front … an error page (5xx, and plausibly 429) can come
   * from the edge, as HTML, without Braze's `x-ratelimit-*` headers"; recorded "edge proxy
   * 429": HTML, `Retry-After: 1`, `server: cloudflare`.
   */
  edge429?: FaultAfter;
  /** Recorded "edge proxy 502: HTML" (BRAZE_API.md: "502 before the origin"). */
  edge502?: FaultAfter;
  /**
   * Added 2026-11-29, "`page` past the end of /events/list is undocumented … a client must
   * not loop if the last page comes back again or `page` is ignored": `ignore-page` always
   * answers page 0; `repeat-last` answers the last non-empty page for any page past it.
   */
  listPaging?: 'normal' | 'ignore-page' | 'repeat-last';
  /**
   * Added 2026-11-29, "a user of the API reports `event=$Purchase` (a built-in) answering
   * 400": data_series for these names answers 400 with a JSON message.
   */
  failingEvents?: readonly string[];
  /**
   * Added 2026-11-29, "`ending_at` in the future: a user of the API reports every request
   * answering 400": an `ending_at` later than the request's arrival answers 400.
   */
  rejectFutureEndingAt?: boolean;
  /** Added 2026-11-29, "Headers can appear twice in one answer": each x-ratelimit-* twice. */
  duplicateHeaders?: boolean;
  /** The clock (ms since the epoch); default `Date.now`. */
  now?: () => number;
}

/** One request as it reached the stand-in; the `authorization` header is left out. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  atMs: number;
}

export interface Standin {
  /** `http://127.0.0.1:PORT`, the base URL to pass as the endpoint. */
  url: string;
  apiKey: string;
  /** Every custom event name, sorted as /events/list sorts them. */
  events: readonly string[];
  /** Minutes east of UTC at which day buckets start. */
  dayOffsetMinutes: number;
  /** Every request, in arrival order. */
  log: LoggedRequest[];
  /** The `time` the stand-in writes for a bucket starting at `bucketStartMs`. */
  timeOf(unit: StandinUnit, bucketStartMs: number): string;
  /** Start of the bucket containing `ms`. */
  bucketFloor(unit: StandinUnit, ms: number): number;
  close(): Promise<void>;
}

/** Filters that select a series: one app, one segment, or neither. */
export interface SeriesFilter {
  appId?: string;
  segmentId?: string;
}

/**
 * The ground truth: the count of `event` in the bucket of `unit` starting at
 * `bucketStartMs` (a UTC instant), under the filters. FNV-1a of the key, so it is the same
 * in every run; about one bucket in seven is 0.
 */
export function standinCount(
  event: string,
  unit: StandinUnit,
  bucketStartMs: number,
  filter: SeriesFilter = {},
): number {
  const key = `${event}\u0000${unit}\u0000${bucketStartMs}\u0000${filter.appId ?? ''}\u0000${filter.segmentId ?? ''}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 7 === 0 ? 0 : h % 1000;
}

/** `n` names `standin-event-000` …, sorted. */
export function defaultEventNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `standin-event-${String(i).padStart(3, '0')}`);
}

/** Day bucket start (UTC ms) of the local day containing `ms` at `offsetMin` east of UTC. */
function dayFloor(ms: number, offsetMin: number): number {
  const off = offsetMin * 60_000;
  return Math.floor((ms + off) / DAY_MS) * DAY_MS - off;
}

/**
 * Parses `ending_at` as BRAZE_API.md allows it: "ISO 8601 date or datetime … Seen accepted:
 * `2022-12-09`, `2014-12-10T23:59:59-05:00`; other Braze pages show a one-digit offset
 * (`-5:00`)". A date is local midnight at the day-bucket offset (the date Braze prints);
 * a datetime without an offset is read as UTC. Returns NaN when unreadable.
 */
export function parseEndingAt(value: string, dayOffsetMinutes: number): number {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{1,2}:?\d{2})?)?$/.exec(
      value,
    );
  if (!m) return Number.NaN;
  const [, y, mo, d, hh, mi, ss, frac, zone] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const check = new Date(base);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return Number.NaN;
  if (hh === undefined) return base - dayOffsetMinutes * 60_000;
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss ?? 0) > 59) return Number.NaN;
  let ms =
    base +
    Number(hh) * HOUR_MS +
    Number(mi) * 60_000 +
    Number(ss ?? 0) * 1000 +
    Math.floor(Number(`0.${frac ?? '0'}`) * 1000);
  if (zone !== undefined && zone !== 'Z') {
    const z = /^([+-])(\d{1,2}):?(\d{2})$/.exec(zone)!;
    const minutes = Number(z[2]) * 60 + Number(z[3]);
    ms -= (z[1] === '-' ? -1 : 1) * minutes * 60_000;
  }
  return ms;
}

interface Window {
  startMs: number;
  used: number;
}

/**
 * Starts the stand-in on 127.0.0.1, port 0.
 *
 * @example
 * const braze = await startStandin({ dayOffsetMinutes: 330 });
 * // … run the product with endpoint braze.url and key braze.apiKey …
 * await braze.close();
 */
export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const apiKey = options.apiKey ?? 'STANDIN-KEY-7c1e5a-never-print';
  const events = [...(options.events ?? defaultEventNames(12))].sort();
  const offsetMin = options.dayOffsetMinutes ?? 0;
  const hourForm = options.hourTimeForm ?? 'Z';
  const now = options.now ?? Date.now;
  const failing = new Set(options.failingEvents ?? []);
  const log: LoggedRequest[] = [];
  const windows: Record<'listing' | 'dataSeries', Window> = {
    listing: { startMs: 0, used: 0 },
    dataSeries: { startMs: 0, used: 0 },
  };
  const limits = {
    listing: options.listingLimit ?? 1000,
    dataSeries: options.dataSeriesLimit ?? 250_000,
  };
  const seenByPath = new Map<string, number>();
  const faultState = new Map<FaultAfter, { given: number; blockedUntilMs: number }>();

  const hourOffsetMin = options.hourBuckets === 'local' ? offsetMin : 0;
  const bucketFloor = (unit: StandinUnit, ms: number): number => {
    if (unit === 'day') return dayFloor(ms, offsetMin);
    const off = hourOffsetMin * 60_000;
    return Math.floor((ms + off) / HOUR_MS) * HOUR_MS - off;
  };

  const timeOf = (unit: StandinUnit, startMs: number): string => {
    if (unit === 'day') return new Date(startMs + offsetMin * 60_000).toISOString().slice(0, 10);
    const iso = new Date(startMs).toISOString(); // 2026-11-29T10:00:00.000Z
    if (hourForm === 'fractional') return iso;
    const whole = iso.slice(0, 19);
    return hourForm === 'Z' ? `${whole}Z` : `${whole}+00:00`;
  };

  /**
   * BRAZE_API.md, Rate limits: "Windows are fixed **clock hours**"; headers
   * `x-ratelimit-limit`, `-remaining`, `-reset` ("**UTC epoch seconds** of the next window
   * start"). Returns the headers, and whether the request is over the limit.
   */
  const spend = (bucket: 'listing' | 'dataSeries', t: number) => {
    const w = windows[bucket];
    const start = Math.floor(t / HOUR_MS) * HOUR_MS;
    if (w.startMs !== start) {
      w.startMs = start;
      w.used = 0;
    }
    const over = w.used >= limits[bucket];
    if (!over) w.used++;
    return {
      over,
      headers: {
        'x-ratelimit-limit': String(limits[bucket]),
        'x-ratelimit-remaining': String(Math.max(0, limits[bucket] - w.used)),
        'x-ratelimit-reset': String((start + HOUR_MS) / 1000),
      },
    };
  };

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
    contentType = 'application/json',
  ): void => {
    res.statusCode = status;
    res.setHeader('content-type', contentType);
    for (const [name, value] of Object.entries(headers)) {
      // Added 2026-11-29: "Headers can appear twice in one answer."
      res.setHeader(
        name,
        options.duplicateHeaders && name.startsWith('x-ratelimit-') ? [value, value] : value,
      );
    }
    res.end(body);
  };

  /** Counts requests to a path and says which fault, if any, answers this one. */
  const faultFor = (path: string, t: number): { kind: string; resetMs?: number } | undefined => {
    const seen = (seenByPath.get(path) ?? 0) + 1;
    seenByPath.set(path, seen);
    const kinds: Array<[string, FaultAfter | undefined]> = [
      ['short429', options.shortWindow429],
      ['edge429', options.edge429],
      ['edge502', options.edge502],
    ];
    for (const [kind, fault] of kinds) {
      if (!fault || (fault.path ?? '/events/data_series') !== path) continue;
      const state = faultState.get(fault) ?? { given: 0, blockedUntilMs: 0 };
      faultState.set(fault, state);
      if (kind === 'short429' && t < state.blockedUntilMs) {
        return { kind, resetMs: state.blockedUntilMs };
      }
      if (seen > fault.after && state.given < (fault.times ?? 1)) {
        state.given++;
        if (kind === 'short429') {
          // Reset "now + 1 s" in whole epoch seconds, never less than 1 s away.
          state.blockedUntilMs = (Math.ceil(t / 1000) + 1) * 1000;
          return { kind, resetMs: state.blockedUntilMs };
        }
        return { kind };
      }
    }
    return undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const t = now();
    const url = new URL(req.url ?? '/', 'http://standin');
    const { authorization, ...headers } = req.headers;
    const entry: LoggedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      status: 0,
      atMs: t,
    };
    log.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    res.setHeader('x-request-id', randomUUID());

    const known = ['/events/list', '/events', '/events/data_series'];
    if (req.method !== 'GET' || !known.includes(url.pathname)) {
      // BRAZE_API.md: "Unknown path: `404`."
      send(res, 404, JSON.stringify({ message: 'Not Found' }));
      return;
    }

    // BRAZE_API.md: "`Authorization: Bearer <REST API key>`. Braze accepts any casing of
    // `Bearer`"; a wrong key gives 401 `{"message":"Invalid API key: <key>"}`; recorded:
    // "401 echoes the key; rate-limit headers present but empty".
    const m = /^bearer (.*)$/i.exec(authorization ?? '');
    const sentKey = m ? m[1]! : (authorization ?? '');
    if (!m || sentKey !== apiKey) {
      res.setHeader('server', 'nginx');
      res.setHeader('cache-control', 'no-cache');
      send(res, 401, JSON.stringify({ message: `Invalid API key: ${sentKey}` }), {
        'x-ratelimit-limit': '',
        'x-ratelimit-remaining': '',
        'x-ratelimit-reset': '',
      });
      return;
    }

    const fault = faultFor(url.pathname, t);
    if (fault?.kind === 'edge429' || fault?.kind === 'edge502') {
      // Recorded "edge proxy 429"/"edge proxy 502": HTML, none of Braze's headers.
      res.setHeader('server', 'cloudflare');
      if (fault.kind === 'edge429') {
        res.setHeader('retry-after', '1');
        send(
          res,
          429,
          '<html><head><title>429 Too Many Requests</title></head><body>Too Many Requests</body></html>',
          {},
          'text/html',
        );
      } else {
        send(
          res,
          502,
          '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
          {},
          'text/html',
        );
      }
      return;
    }

    const bucket = url.pathname === '/events/data_series' ? 'dataSeries' : 'listing';
    if (fault?.kind === 'short429') {
      // Recorded-answers "429 from a per-minute window: reset a few seconds away".
      send(res, 429, JSON.stringify({ message: 'Over rate limit' }), {
        'x-ratelimit-limit': String(limits[bucket]),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(fault.resetMs! / 1000),
      });
      return;
    }
    const budget = spend(bucket, t);
    if (budget.over) {
      // BRAZE_API.md: "Over the limit: `429` ("Rate Limited / Over rate limit")".
      send(res, 429, JSON.stringify({ message: 'Over rate limit' }), budget.headers);
      return;
    }

    if (url.pathname === '/events/list') listNames(url, res, budget.headers);
    else if (url.pathname === '/events') listDetails(url, res, budget.headers);
    else dataSeries(url, res, budget.headers, t);
  };

  const badRequest = (res: ServerResponse, message: string, headers: Record<string, string>) =>
    send(res, 400, JSON.stringify({ message }), headers);

  /** BRAZE_API.md, GET /events/list: `page` "**0-based**, default 0", 250 a page, alphabetical. */
  const listNames = (url: URL, res: ServerResponse, headers: Record<string, string>) => {
    const raw = url.searchParams.get('page') ?? '0';
    if (!/^\d{1,9}$/.test(raw)) {
      badRequest(res, `Invalid page: ${raw}`, headers);
      return;
    }
    let page = Number(raw);
    const lastPage = Math.max(0, Math.ceil(events.length / LIST_PAGE_SIZE) - 1);
    if (options.listPaging === 'ignore-page') page = 0;
    if (options.listPaging === 'repeat-last' && page > lastPage) page = lastPage;
    const names = events.slice(page * LIST_PAGE_SIZE, (page + 1) * LIST_PAGE_SIZE);
    send(res, 200, JSON.stringify({ events: names, message: 'success' }), headers);
  };

  /**
   * BRAZE_API.md, GET /events: 50 a page, alphabetical, `Link: <…?cursor=…>; rel="next"`,
   * no `prev` on the first page, no `next` on the last, no header when one page holds all;
   * cursors are opaque (here base64 of `skip:N`, as Braze's examples decode); a bad cursor
   * answers the catalog endpoints' 400 `invalid-cursor`.
   */
  const listDetails = (url: URL, res: ServerResponse, headers: Record<string, string>) => {
    const cursor = url.searchParams.get('cursor');
    let skip = 0;
    if (cursor !== null) {
      const decoded = /^skip:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
      if (!decoded || Number(decoded[1]) % DETAILS_PAGE_SIZE !== 0) {
        send(
          res,
          400,
          JSON.stringify({
            errors: [
              {
                id: 'invalid-cursor',
                message: "'cursor' is not valid",
                parameters: ['cursor'],
                parameter_values: [cursor],
              },
            ],
            message: 'Invalid Request',
          }),
          headers,
        );
        return;
      }
      skip = Number(decoded[1]);
    }
    const page = events.slice(skip, skip + DETAILS_PAGE_SIZE).map((name) => ({
      name,
      description: `about ${name}`,
      included_in_analytics_report: false,
      status: 'Active',
      tag_names: [],
    }));
    const cursorFor = (n: number) => Buffer.from(`skip:${n}`).toString('base64');
    const links: string[] = [];
    if (skip > 0) {
      links.push(
        `</events?cursor=${cursorFor(Math.max(0, skip - DETAILS_PAGE_SIZE))}>; rel="prev"`,
      );
    }
    if (skip + DETAILS_PAGE_SIZE < events.length) {
      links.push(`</events?cursor=${cursorFor(skip + DETAILS_PAGE_SIZE)}>; rel="next"`);
    }
    const withLink = links.length > 0 ? { ...headers, link: links.join(',') } : headers;
    send(res, 200, JSON.stringify({ message: 'success', events: page }), withLink);
  };

  /**
   * BRAZE_API.md, GET /events/data_series: `event` required, `length` 1..100, `unit` day
   * (default) or hour, `ending_at` date or datetime (default now), `app_id`, `segment_id`.
   * Inferred there: "exactly `length` points in ascending time order, buckets with no events
   * come back as `count: 0`", "the buckets whose start is before `ending_at`".
   */
  const dataSeries = (
    url: URL,
    res: ServerResponse,
    headers: Record<string, string>,
    t: number,
  ) => {
    const q = url.searchParams;
    const event = q.get('event');
    if (event === null || event === '') {
      badRequest(res, "'event' is required", headers);
      return;
    }
    const lengthRaw = q.get('length') ?? '';
    if (!/^\d{1,3}$/.test(lengthRaw) || Number(lengthRaw) < 1 || Number(lengthRaw) > MAX_LENGTH) {
      badRequest(res, `'length' must be an integer from 1 to ${MAX_LENGTH}`, headers);
      return;
    }
    const unit = q.get('unit') ?? 'day';
    if (unit !== 'day' && unit !== 'hour') {
      badRequest(res, "'unit' must be day or hour", headers);
      return;
    }
    const endingRaw = q.get('ending_at');
    const endMs = endingRaw === null ? t : parseEndingAt(endingRaw, offsetMin);
    if (Number.isNaN(endMs)) {
      badRequest(res, `Invalid ending_at: ${endingRaw}`, headers);
      return;
    }
    if (options.rejectFutureEndingAt && endMs > t) {
      // Added 2026-11-29: a future `ending_at` answered 400 (the message is ours).
      badRequest(res, 'ending_at must not be in the future', headers);
      return;
    }
    if (failing.has(event)) {
      // Added 2026-11-29: `$Purchase` answered 400. Braze's wording is unknown; this one
      // does not repeat the name, so only a product that names the event itself shows it.
      badRequest(res, "'event' is not a custom event of this workspace", headers);
      return;
    }
    const filter: SeriesFilter = {
      ...(q.get('app_id') !== null ? { appId: q.get('app_id')! } : {}),
      ...(q.get('segment_id') !== null ? { segmentId: q.get('segment_id')! } : {}),
    };
    const step = unit === 'day' ? DAY_MS : HOUR_MS;
    const last = bucketFloor(unit, endMs - 1);
    const length = Number(lengthRaw);
    const data = Array.from({ length }, (_, i) => {
      const start = last - (length - 1 - i) * step;
      return { time: timeOf(unit, start), count: standinCount(event, unit, start, filter) };
    });
    send(res, 200, JSON.stringify({ message: 'success', data }), headers);
  };

  // The project's generic port-0 test server (not the emulator); its own request record
  // keeps the key, so the stand-in keeps `log` without it.
  const server = await startTestServer(handle);
  return {
    url: server.url,
    apiKey,
    events,
    dayOffsetMinutes: offsetMin,
    log,
    timeOf,
    bucketFloor,
    close: () => server.close(),
  };
}
