/**
 * A tiny real HTTP server on 127.0.0.1 port 0 for client tests that need exact control of
 * the answer (a hung response, specific headers, an endless body). Behaviour tests of the
 * API itself run against the emulator; this is for what the emulator cannot script.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';
import { after } from 'node:test';

export interface RecordedRequest {
  method: string;
  /** Path and raw query, as sent. */
  url: string;
  path: string;
  /** Decoded query parameters. */
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  index: number,
) => void | Promise<void>;

/**
 * Starts a server whose `handler` answers every request; `index` counts requests from 0.
 *
 * @example
 * ```ts
 * const server = await startTestServer((req, res) => res.end('{}'));
 * after(() => server.close());
 * ```
 */
export async function startTestServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      headers: req.headers,
    });
    Promise.resolve(handler(req, res, requests.length - 1)).catch((error: unknown) => {
      res.statusCode = 599;
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers JSON with a status and headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * A `serve(handler)` for one test file: each server it starts is closed after the file's
 * tests.
 *
 * @example
 * ```ts
 * const serve = testServers();
 * const server = await serve((_req, res) => res.end('{}'));
 * ```
 */
export function testServers(): (handler: Handler) => Promise<TestServer> {
  const servers: TestServer[] = [];
  after(() => Promise.all(servers.map((s) => s.close())));
  return async (handler) => {
    const server = await startTestServer(handler);
    servers.push(server);
    return server;
  };
}

/**
 * A loopback port nothing listens on (opened on port 0, then closed): a connection to it is
 * refused at once, with no wait.
 *
 * @example
 * const endpoint = `http://127.0.0.1:${await closedPort()}`;
 */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
