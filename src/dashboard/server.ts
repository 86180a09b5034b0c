/**
 * `startDashboard`: a read-only node:http server for the single-page UI and its JSON API.
 * Binds to loopback by default; answers only GET/HEAD; refuses foreign Host headers so a
 * web page elsewhere cannot read the data through DNS rebinding.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BrazeOptionRangeError } from '../api/option-errors.js';
import { isLoopback } from '../core/endpoint.js';
import type { Database, Queryable } from '../sync/db/types.js';
import { createAccessGate, decideAccess, validateAccessToken } from './access.js';
import { ApiInputError, type ApiResponse, handleApi } from './api.js';
import type { ApiErrorBody } from './api-types.js';
import { loadStaticFiles } from './assets.js';
import {
  DATABASE_AWAY_RETRY_AFTER_SECONDS,
  type DEFAULT_DASHBOARD_DB_RECONNECT_TIMEOUT_MS,
  dashboardDatabaseOptions,
  databaseAwayMessage,
} from './db-away.js';

/** Host the dashboard listens on unless told otherwise: loopback only. */
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';

export interface DashboardOptions {
  /**
   * A database URL (`sqlite:PATH`, a file path, `postgres://…`) or an open database (open
   * it with `reconnectTimeoutMs` set to a few seconds: each request waits that long for a
   * PostgreSQL server that stopped answering before its 503).
   */
  db: string | Queryable | Database;
  /**
   * When `db` is a postgres URL: how long a request retries a server that stopped
   * answering before it answers 503 (ms). Default
   * {@link DEFAULT_DASHBOARD_DB_RECONNECT_TIMEOUT_MS}; 0 answers at the first failure.
   */
  dbReconnectTimeoutMs?: number;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Clock for "last complete bucket" when the database has no watermarks. */
  now?: () => number;
  /**
   * When set, every request must carry this token (`?token=` once, then the HttpOnly
   * cookie it is exchanged for, or `Authorization: Bearer`); others get a 401. Required for
   * any host but loopback. See access.ts.
   */
  accessToken?: string;
}

export interface Dashboard {
  /** Base URL, e.g. `http://127.0.0.1:51234`. */
  url: string;
  /** Stops the server (and closes the database when it was opened from a URL). */
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // uPlot positions its cursor and legend with inline styles, hence 'unsafe-inline' for styles only.
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

function send(
  req: IncomingMessage,
  res: ServerResponse,
  r:
    | ApiResponse
    | {
        status: number;
        contentType: string;
        body: string | Buffer;
        headers?: Record<string, string>;
      },
  cache: string,
): void {
  let body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-type': r.contentType,
    'cache-control': cache,
    vary: 'accept-encoding',
    ...r.headers,
  };
  if (body.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    body = gzipSync(body, { level: 4 });
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(body.length);
  res.writeHead(r.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Loopback names (core's one list), the bound name, or anything when bound to all. */
function allowedHost(hostHeader: string | undefined, bound: string): boolean {
  if (hostHeader === undefined) return false;
  let name: string;
  try {
    name = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  const plain = name.replace(/^\[|\]$/g, '');
  return (
    isLoopback(name) ||
    plain === bound.toLowerCase().replace(/^\[|\]$/g, '') ||
    bound === '0.0.0.0' ||
    bound === '::'
  );
}

/**
 * Starts the dashboard.
 *
 * @example
 * const dash = await startDashboard({ db: 'sqlite:braze-events.db' });
 * console.log(`open ${dash.url}`);
 * // …later
 * await dash.close();
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? DEFAULT_DASHBOARD_HOST;
  // Before anything is opened or bound: a dashboard others can reach is never open to all.
  const token =
    options.accessToken === undefined ? undefined : validateAccessToken(options.accessToken);
  if (token === undefined && !isLoopback(host.toLowerCase())) {
    throw new BrazeOptionRangeError(
      'host',
      host,
      `host ${host} is not loopback: a dashboard others can reach needs an access token (accessToken)`,
    );
  }
  // One key per server: its cookies stop working when it stops.
  const gate = token === undefined ? undefined : createAccessGate(token);
  let owned: Database | undefined;
  let db: Queryable | Database;
  if (typeof options.db === 'string') {
    const { openDatabase } = await import('../sync/db/index.js');
    owned = await openDatabase(options.db, dashboardDatabaseOptions(options.dbReconnectTimeoutMs));
    db = owned;
  } else {
    db = options.db;
  }
  // Redacted (no password): Database.location.
  const location = 'location' in db ? db.location : undefined;
  const files = loadStaticFiles();
  const ctx = { db, now: options.now ?? Date.now, cache: new Map() };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const fail = (status: number, message: string, headers?: Record<string, string>) =>
      send(
        req,
        res,
        {
          status,
          contentType: 'application/json; charset=utf-8',
          body: JSON.stringify({ error: message } satisfies ApiErrorBody),
          ...(headers ? { headers } : {}),
        },
        'no-store',
      );
    if (!allowedHost(req.headers.host, host)) return fail(421, 'unexpected Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return fail(405, 'the dashboard is read-only');
    }
    const access = decideAccess(gate, {
      url,
      cookieHeader: req.headers.cookie,
      authorization: req.headers.authorization,
      secure: req.headers['x-forwarded-proto'] === 'https',
      port: req.socket.localPort ?? 0,
    });
    if (access.kind === 'deny') {
      res.setHeader('www-authenticate', 'Bearer');
      return fail(401, 'access token required: open the link braze-events serve printed');
    }
    if (access.kind === 'exchange') {
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        location: access.location,
        'set-cookie': access.setCookie,
        'cache-control': 'no-store',
        'content-length': '0',
      });
      res.end();
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      handleApi(ctx, url.pathname, url.searchParams).then(
        (r) => send(req, res, r, 'no-store'),
        (err: unknown) => {
          if (err instanceof ApiInputError) return fail(err.status, err.message);
          const away = databaseAwayMessage(err, location);
          if (away !== undefined) {
            return fail(503, away, { 'retry-after': String(DATABASE_AWAY_RETRY_AFTER_SECONDS) });
          }
          fail(500, err instanceof Error ? err.message : String(err));
        },
      );
      return;
    }
    const file = files.get(url.pathname);
    if (file === undefined) return fail(404, `not found: ${url.pathname}`);
    send(req, res, { status: 200, ...file }, 'no-cache');
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await owned?.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await owned?.close();
    },
  };
}
