/**
 * Access control of a shared dashboard. When the dashboard has an access token, every
 * request (page, assets, API) must carry it: as the access cookie the browser gets in
 * exchange for `?token=…`, or as `Authorization: Bearer …` for scripts. Anything else is a
 * 401 with nothing of the data. Pure apart from the crypto primitives and the clock.
 *
 * Why a cookie: the token travels in a URL once (the link `serve` prints); after that the
 * browser holds it HttpOnly (no script can read it) and SameSite=Lax (no other site's page
 * can make the browser send it with a request that reads data; top-level links from Slack
 * still work).
 *
 * What the cookie holds is not the token and not a fixed digest of it: an expiry and an
 * HMAC of the token and that expiry under a key drawn when the server starts. So a cookie
 * is worthless after {@link ACCESS_COOKIE_MAX_AGE_SECONDS} or once the server stops, even
 * where it leaks: browsers send a host's cookies to every port of it (another service on
 * localhost:3000 gets them), which is also why the name carries the port — two dashboards
 * on one host would otherwise overwrite each other's cookie.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { BrazeOptionRangeError } from '../api/option-errors.js';

/** Start of the access cookie's name; {@link accessCookieName} appends the port. */
export const ACCESS_COOKIE = 'braze_events_token';

/**
 * Lifetime of the access cookie, in seconds (12 hours: a working day; then the link is
 * opened again). Enforced by the server too, not only by the browser's `Max-Age`.
 */
export const ACCESS_COOKIE_MAX_AGE_SECONDS = 12 * 60 * 60;

/** Shortest token accepted from `--token-file`: anything shorter is guessable. */
export const MIN_ACCESS_TOKEN_LENGTH = 16;

/** A fresh token: 32 random bytes, URL-safe. */
export function generateAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Checks a token for use: trimmed, at least {@link MIN_ACCESS_TOKEN_LENGTH} characters,
 * printable ASCII without spaces (it goes into a URL and a cookie). A
 * `BrazeOptionRangeError` (option `accessToken`) otherwise; neither its message nor its
 * `value` holds the token.
 */
export function validateAccessToken(token: string): string {
  const t = token.trim();
  if (t.length < MIN_ACCESS_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(t) || /[;,"\\]/.test(t)) {
    // The value is never kept: a token is a secret, like the API key.
    throw new BrazeOptionRangeError(
      'accessToken',
      undefined,
      `the access token must be at least ${MIN_ACCESS_TOKEN_LENGTH} printable characters without spaces, quotes, commas, semicolons or backslashes`,
    );
  }
  return t;
}

/**
 * The access cookie's name for a dashboard on `port`: `braze_events_token_8787`, with the
 * `__Host-` prefix when it is set over TLS (the browser then refuses it from plain HTTP and
 * from any other host).
 *
 * @example accessCookieName(8787, true) // '__Host-braze_events_token_8787'
 */
export function accessCookieName(port: number, secure: boolean): string {
  return `${secure ? '__Host-' : ''}${ACCESS_COOKIE}_${port}`;
}

/** The token and the key its cookies are signed with (one per server). */
export interface AccessGate {
  token: string;
  /** Signs cookie values; random, never leaves the process. */
  key: Buffer;
  /** Clock (epoch ms) for cookie expiry. */
  now: () => number;
}

/**
 * A gate for `token` with a fresh random key, so cookies die with the server.
 *
 * @example const gate = createAccessGate(validateAccessToken(token));
 */
export function createAccessGate(token: string, now: () => number = Date.now): AccessGate {
  return { token, key: randomBytes(32), now };
}

function sign(gate: AccessGate, expires: number): string {
  return createHmac('sha256', gate.key)
    .update(`braze-events dashboard\n${expires}\n${gate.token}`)
    .digest('base64url');
}

/** `<expiry epoch s>.<HMAC>`: the expiry is checked here too, not left to the browser. */
function cookieValue(gate: AccessGate): string {
  const expires = Math.floor(gate.now() / 1000) + ACCESS_COOKIE_MAX_AGE_SECONDS;
  return `${expires}.${sign(gate, expires)}`;
}

function validCookie(gate: AccessGate, value: string): boolean {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return false;
  const expires = Number(m[1]);
  return expires * 1000 > gate.now() && same(m[2]!, sign(gate, expires));
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookies(header: string | undefined, names: readonly string[]): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && names.includes(part.slice(0, i).trim())) out.push(part.slice(i + 1).trim());
  }
  return out;
}

/**
 * Where to send the browser after the exchange: the same path and query on this origin.
 * A path starting with `//` (`/x/..//evil.example/` normalises to one) would be read as
 * another host, so leading slashes collapse to one.
 */
function sameOriginLocation(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;
}

/** What to do with a request, given its URL and headers. */
export type AccessDecision =
  | { kind: 'allow' }
  /** The right `?token=`: set the cookie and redirect to `location` (the URL without it). */
  | { kind: 'exchange'; location: string; setCookie: string }
  | { kind: 'deny' };

export interface AccessRequest {
  url: URL;
  cookieHeader: string | undefined;
  authorization: string | undefined;
  /** The request reached us over TLS (a reverse proxy's `X-Forwarded-Proto: https`). */
  secure: boolean;
  /** The port the request came in on (it names the cookie). */
  port: number;
}

/**
 * Decides a request against the gate (`undefined`: no access control, everything allowed).
 *
 * @example
 * decideAccess(gate, { url, cookieHeader: req.headers.cookie, authorization, secure: false, port: 8787 });
 */
export function decideAccess(gate: AccessGate | undefined, req: AccessRequest): AccessDecision {
  if (gate === undefined) return { kind: 'allow' };
  const offered = req.url.searchParams.get('token');
  if (offered !== null) {
    if (!same(offered, gate.token)) return { kind: 'deny' };
    const rest = new URL(req.url);
    rest.searchParams.delete('token');
    const attributes = [
      'Path=/',
      `Max-Age=${ACCESS_COOKIE_MAX_AGE_SECONDS}`,
      'HttpOnly',
      'SameSite=Lax',
      ...(req.secure ? ['Secure'] : []),
    ];
    return {
      kind: 'exchange',
      location: sameOriginLocation(rest),
      setCookie: `${accessCookieName(req.port, req.secure)}=${cookieValue(gate)}; ${attributes.join('; ')}`,
    };
  }
  const names = [accessCookieName(req.port, true), accessCookieName(req.port, false)];
  if (cookies(req.cookieHeader, names).some((v) => validCookie(gate, v))) return { kind: 'allow' };
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '')?.[1];
  if (bearer !== undefined && same(bearer, gate.token)) return { kind: 'allow' };
  return { kind: 'deny' };
}
