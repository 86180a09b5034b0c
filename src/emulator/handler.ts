/**
 * One API request, in the order Braze's stack answers it: route (404) and method (405),
 * then edge faults (a gateway failing before the app), authentication (401, rate-limit
 * headers present but empty), permission (403), the rate limit (429), the parameters (400)
 * and finally the answer, possibly with a body fault.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BUCKET_OF_PATH,
  HEADERS,
  PATHS,
  PERMISSIONS,
  type RateLimitBucket,
} from '../api/constants.js';
import { accessDeniedMessage } from './auth.js';
import { EDGE_FAULTS } from './faults.js';
import { type Answer, edgeFaultAnswer, type Schedule, writeAnswer, writeRaw } from './http.js';
import { queryRecord, redactHeaders } from './request-log.js';
import { dataSeriesAnswer } from './routes/data-series.js';
import { eventsAnswer } from './routes/events.js';
import { eventsListAnswer } from './routes/events-list.js';
import type { EmulatorState } from './state.js';
import type { EmulatorRateLimit, FaultRule, RequestLogEntry, RouteName } from './types.js';

const ROUTE_OF_PATH: Record<string, RouteName> = {
  [PATHS.eventsList]: 'eventsList',
  [PATHS.events]: 'events',
  [PATHS.dataSeries]: 'dataSeries',
};

const PERMISSION_OF_ROUTE = {
  eventsList: PERMISSIONS.eventsList,
  events: PERMISSIONS.events,
  dataSeries: PERMISSIONS.dataSeries,
} as const;

function rateLimitHeaders(state: EmulatorRateLimit | undefined): Record<string, string> {
  return {
    [HEADERS.rateLimitLimit]: state === undefined ? '' : String(state.limit),
    [HEADERS.rateLimitRemaining]: state === undefined ? '' : String(state.remaining),
    [HEADERS.rateLimitReset]: state === undefined ? '' : String(state.reset),
  };
}

/**
 * Rate-limit headers of an edge fault: the real window with nothing left for `429` (reset
 * at the top of the emulator's hour), the next emulator minute (`hourMs / 60`) for
 * `429-minute`, `retry-after` (delayMs in whole seconds, default 1) and none of Braze's
 * headers for `proxy-429`, nothing for the others.
 */
function edgeFaultLimitHeaders(
  state: EmulatorState,
  bucket: RateLimitBucket,
  fault: { kind: string; delayMs?: number },
): Record<string, string> {
  if (fault.kind === '429')
    return rateLimitHeaders({ ...state.limiter.peek(bucket), remaining: 0 });
  if (fault.kind === '429-minute') {
    const minuteMs = state.options.hourMs / 60;
    const reset = Math.ceil(((Math.floor(state.now() / minuteMs) + 1) * minuteMs) / 1000);
    return rateLimitHeaders({ ...state.limiter.peek(bucket), remaining: 0, reset });
  }
  if (fault.kind === 'proxy-429') {
    return { 'retry-after': String(Math.max(1, Math.round((fault.delayMs ?? 1000) / 1000))) };
  }
  return {};
}

/**
 * Braze refusing one request (the `400`/`404` faults), after authentication and the rate
 * limit, as Braze's own answers are. What Braze says to a reserved name (`$Purchase`) or a
 * deleted one is not documented; the message names the event, as Braze's 400s name the
 * parameter, so clients are tested with a name echoed back in a message.
 */
function refusalAnswer(kind: '400' | '404', event: string | undefined): Answer {
  const message =
    kind === '400'
      ? event === undefined
        ? 'Bad Request'
        : `Invalid 'event' parameter: ${event}`
      : event === undefined
        ? 'Not Found'
        : `Event not found: ${event}`;
  return { status: Number(kind), body: { message } };
}

/** Handles a request outside the control prefix. `url` is already parsed. */
export function handleApiRequest(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  schedule: Schedule,
): void {
  const id = state.nextRequestId();
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Keep the raw path: it is only logged and matched.
  }
  const route = ROUTE_OF_PATH[url.pathname];
  const entry: RequestLogEntry = {
    id,
    method: req.method ?? 'GET',
    path,
    query: queryRecord(url.searchParams),
    headers: redactHeaders(req.headers),
    status: 0,
    at: state.now(),
  };
  if (route !== undefined) entry.route = route;
  state.log.add(entry);
  res.on('finish', () => {
    entry.status = res.statusCode;
  });
  const base = { [HEADERS.requestId]: id };
  const json = (status: number, body: unknown, headers: Record<string, string> = base) =>
    writeRaw(res, status, 'application/json', JSON.stringify(body), headers);

  if (route === undefined) {
    json(404, { message: 'Not Found' });
    return;
  }
  if (req.method !== 'GET') {
    json(405, { message: 'Method Not Allowed' }, { ...base, allow: 'GET' });
    return;
  }
  const event = route === 'dataSeries' ? (url.searchParams.get('event') ?? undefined) : undefined;
  const drawn = state.faults.draw(route, event);
  if (drawn.fault !== undefined) entry.fault = drawn.fault.kind;
  const request: ApiRequest = { state, req, res, url, route, event, schedule, base };
  if (drawn.delayMs === undefined) {
    answerRequest(request, drawn.fault);
    return;
  }
  // A delay holds whatever the request is answered, a failure drawn with it included.
  entry.delayMs = drawn.delayMs;
  const fault = drawn.fault?.kind === 'delay' ? undefined : drawn.fault;
  schedule(() => answerRequest(request, fault), drawn.delayMs);
}

/** A routed request, as `answerRequest` needs it. */
interface ApiRequest {
  state: EmulatorState;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  route: RouteName;
  /** The data_series request's event name. */
  event: string | undefined;
  schedule: Schedule;
  /** Headers every answer carries (the request id). */
  base: Record<string, string>;
}

/**
 * Answers a routed request once any `delay` is over: an edge fault, else authentication,
 * the rate limit, a refusal or the route's answer with its body fault.
 */
function answerRequest(
  { state, req, res, url, route, event, schedule, base }: ApiRequest,
  fault: FaultRule | undefined,
): void {
  const json = (status: number, body: unknown, headers: Record<string, string> = base) =>
    writeRaw(res, status, 'application/json', JSON.stringify(body), headers);
  const bucket = BUCKET_OF_PATH[url.pathname] as RateLimitBucket;
  if (fault !== undefined && EDGE_FAULTS.has(fault.kind)) {
    if (fault.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'hang') return;
    if (fault.kind === '401-echo') {
      // Braze's recorded 401: the key sent, echoed; rate-limit headers present but empty.
      const sent = /^bearer\s+(.*)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      json(
        401,
        { message: `Invalid API key: ${sent}` },
        { ...base, ...rateLimitHeaders(undefined) },
      );
      return;
    }
    const answer = edgeFaultAnswer(fault.kind);
    writeRaw(res, answer.status, answer.type, answer.body, {
      ...base,
      ...answer.headers,
      ...edgeFaultLimitHeaders(state, bucket, fault),
    });
    return;
  }
  const auth = state.auth.authenticate(req.headers.authorization);
  if (!auth.ok) {
    json(401, { message: auth.message }, { ...base, ...rateLimitHeaders(undefined) });
    return;
  }
  const taken = state.limiter.take(bucket);
  const headers = { ...base, ...rateLimitHeaders(taken.state) };
  const permission = PERMISSION_OF_ROUTE[route];
  let answer: Answer;
  if (!auth.permissions.has(permission)) {
    answer = { status: 403, body: { message: accessDeniedMessage(permission) } };
  } else if (!taken.allowed) {
    answer = { status: 429, body: { message: 'Rate Limited' } };
  } else if (fault?.kind === '400' || fault?.kind === '404') {
    answer = refusalAnswer(fault.kind, event);
  } else if (route === 'eventsList') {
    // 'ignore-page': a server that answers page 0 whatever `page` says.
    const query = new URLSearchParams(url.searchParams);
    if (fault?.kind === 'ignore-page') query.delete('page');
    answer = eventsListAnswer(state.ws, query);
  } else if (route === 'events') {
    const host = req.headers.host;
    const linkBase =
      state.options.linkStyle === 'relative' || host === undefined ? '' : `http://${host}`;
    answer = eventsAnswer(state.ws, url.searchParams, linkBase);
    if (fault?.kind === 'repeat-cursor' && answer.status === 200) {
      // A next link back to the page just read: a repeated cursor.
      answer.headers = { link: `<${linkBase}${url.pathname}${url.search}>; rel="next"` };
    }
  } else {
    answer = dataSeriesAnswer(state.ws, url.searchParams, state.seriesContext());
  }
  writeAnswer(res, answer, headers, fault, schedule);
}
