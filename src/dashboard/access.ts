/**
 * Access control of a shared dashboard. When the dashboard has an access token, every
 * request (page, assets, API) must carry it: as the `braze_events_token` cookie the browser
 * gets in exchange for `?token=…`, or as `Authorization: Bearer …` for scripts. Anything
 * else is a 401 with nothing of the data. Pure apart from the crypto primitives.
 *
 * Why a cookie: the token travels in a URL once (the link `serve` prints); after that the
 * browser holds it HttpOnly (no script can read it) and SameSite=Lax (no other site's page
 * can make the browser send it with a request that reads data; top-level links from Slack
 * still work).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Name of the cookie that carries the access. */
export const ACCESS_COOKIE = 'braze_events_token';

/** Shortest token accepted from `--token-file`: anything shorter is guessable. */
export const MIN_ACCESS_TOKEN_LENGTH = 16;

/** A fresh token: 32 random bytes, URL-safe. */
export function generateAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Checks a token for use: trimmed, at least {@link MIN_ACCESS_TOKEN_LENGTH} characters,
 * printable ASCII without spaces (it goes into a URL and a cookie). RangeError otherwise
 * (the message never shows the token).
 */
export function validateAccessToken(token: string): string {
  const t = token.trim();
  if (t.length < MIN_ACCESS_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(t) || /[;,"\\]/.test(t)) {
    throw new RangeError(
      `the access token must be at least ${MIN_ACCESS_TOKEN_LENGTH} printable characters without spaces, quotes, commas, semicolons or backslashes`,
    );
  }
  return t;
}

/** What the cookie holds: a digest of the token, so the token itself is never stored. */
function cookieValue(token: string): string {
  return createHash('sha256').update(`braze-events dashboard:${token}`).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
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
}

/**
 * Decides a request against the token (`undefined`: no access control, everything allowed).
 *
 * @example
 * decideAccess(token, { url, cookieHeader: req.headers.cookie, authorization, secure: false });
 */
export function decideAccess(token: string | undefined, req: AccessRequest): AccessDecision {
  if (token === undefined) return { kind: 'allow' };
  const offered = req.url.searchParams.get('token');
  if (offered !== null) {
    if (!same(offered, token)) return { kind: 'deny' };
    const rest = new URL(req.url);
    rest.searchParams.delete('token');
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', ...(req.secure ? ['Secure'] : [])];
    return {
      kind: 'exchange',
      location: `${rest.pathname}${rest.search}`,
      setCookie: `${ACCESS_COOKIE}=${cookieValue(token)}; ${attributes.join('; ')}`,
    };
  }
  const held = cookie(req.cookieHeader, ACCESS_COOKIE);
  if (held !== undefined && same(held, cookieValue(token))) return { kind: 'allow' };
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '')?.[1];
  if (bearer !== undefined && same(bearer, token)) return { kind: 'allow' };
  return { kind: 'deny' };
}
