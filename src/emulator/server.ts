/**
 * `startEmulator`: the HTTP server (node:http, loopback by default) around the emulator's
 * state. `close()` destroys every open connection, hung ones included, and cancels pending
 * delayed writes, so a test's `after()` never waits.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HEADERS } from '../api/constants.js';
import { handleControlRequest } from './control.js';
import { CONTROL_PREFIX } from './defaults.js';
import { handleApiRequest } from './handler.js';
import { writeRaw } from './http.js';
import { resolveOptions } from './options.js';
import { createState } from './state.js';
import type { Emulator, EmulatorOptions } from './types.js';

/**
 * Starts a local Braze for GET /events/list, /events and /events/data_series.
 *
 * @example
 * const emulator = await startEmulator({ seed: 7 });
 * const res = await fetch(`${emulator.url}/events/list`, {
 *   headers: { authorization: `Bearer ${EMULATOR_DEFAULT_KEY}` },
 * });
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const state = createState(resolved);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const schedule = (fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closing) fn();
    }, ms);
    timers.add(timer);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://emulator.invalid');
    } catch {
      writeRaw(res, 400, 'application/json', '{"message":"Invalid request URL"}', {
        [HEADERS.requestId]: state.nextRequestId(),
      });
      return;
    }
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      void handleControlRequest(state, req, res, url);
      return;
    }
    try {
      handleApiRequest(state, req, res, url, schedule);
    } catch (err) {
      // A bug, never bad input: still answer, so a client sees a 500 rather than a hang.
      if (!res.headersSent) {
        writeRaw(
          res,
          500,
          'application/json',
          JSON.stringify({ message: `Emulator error: ${String(err)}` }),
          { [HEADERS.requestId]: state.nextRequestId() },
        );
      }
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Braze answers over keep-alive; clients reuse connections between pages.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
    requests: () => state.log.list(),
    clearRequests: () => state.log.clear(),
    addFault: (rule) => state.faults.add(rule),
    clearFaults: () => state.faults.clear(),
    faults: () => state.faults.list(),
    eventNames: () => state.ws.events.map((e) => e.name),
    events: () => state.ws.events.map((e) => ({ ...e, tag_names: [...e.tag_names] })),
    apps: () => state.ws.apps.map((a) => ({ ...a })),
    segments: () => state.ws.segments.map((s) => ({ ...s })),
    anomalies: () => state.ws.anomalies.map((a) => ({ ...a })),
    groundTruth: (query) => state.groundTruth(query),
    restate: (opts) => state.restate(opts),
    setClock: (now) => state.setClock(now),
    now: () => state.now(),
    rateLimit: (bucket) => state.limiter.peek(bucket),
  };
}
