/**
 * `braze-events airbyte spec|check|discover|read`: an Airbyte source. Reads the files
 * Airbyte passes (`--config`, `--catalog`, `--state`), writes one protocol message per line
 * and nothing else on stdout, and ends a failed run with a `TRACE` error and a non-zero
 * exit code. The reading itself is `readStreams`, the sync's planner underneath.
 */
import { isBrazeAuthError, isBrazeError } from '../../core/errors.js';
import type { SyncClient } from '../../sync/types.js';
import { type ConnectorLog, checkConnection, createConnectorClient } from '../client.js';
import {
  type ConnectorConfig,
  ConnectorInputError,
  isConnectorInputError,
  readJsonFile,
} from '../config.js';
import { ConnectorReadError } from '../read.js';
import { startConnectorSession } from '../session.js';
import { ConnectorStateError } from '../state.js';
import { catalogStreamName, isIncrementalStream, offeredOnly } from '../streams.js';
import {
  type AirbyteLogLevel,
  type AirbyteMessage,
  catalogMessage,
  connectionStatusMessage,
  errorTraceMessage,
  type FailureType,
  logMessage,
  recordMessage,
  type StreamStatus,
  specMessage,
  stateMessage,
  streamStatusMessage,
} from './messages.js';

/** The four commands of an Airbyte source. */
export const AIRBYTE_COMMANDS = ['spec', 'check', 'discover', 'read'] as const;
export type AirbyteCommand = (typeof AIRBYTE_COMMANDS)[number];

/** Exit codes: as the CLI's (0 ok, 1 runtime failure, 2 configuration). */
const EXIT = { ok: 0, failure: 1, config: 2 } as const;

export interface AirbyteRunOptions {
  command: AirbyteCommand;
  /** Paths of the files Airbyte passes. */
  configFile?: string | undefined;
  catalogFile?: string | undefined;
  stateFile?: string | undefined;
  /** Writes one line (a serialized message plus `\n`). */
  writeLine: (line: string) => void;
  /** One readable line for an error (the CLI's formatter: permission hints, no key). */
  describeError: (error: unknown) => string;
  /** Called with the key as soon as it is read, so every printer can redact it. */
  onSecret?: (secret: string) => void;
  /** Builds the client; default {@link createConnectorClient}. Tests inject a fixed clock. */
  createClient?: (
    config: ConnectorConfig,
    log: ConnectorLog,
  ) => SyncClient & Parameters<typeof checkConnection>[0];
  /** Clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Emit the client's debug lines as DEBUG logs. */
  debug?: boolean;
  signal?: AbortSignal;
}

/** Configured streams: name and sync mode, checked against the streams this source has. */
export function parseConfiguredCatalog(
  json: unknown,
): { name: string; syncMode: 'full_refresh' | 'incremental' }[] {
  const streams = (json as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(streams)) throw new ConnectorInputError('--catalog: "streams" must be a list');
  return streams.map((s: unknown) => {
    const entry = s as { stream?: { name?: unknown }; sync_mode?: unknown } | null;
    const name = catalogStreamName(entry?.stream?.name);
    const mode = entry?.sync_mode ?? 'full_refresh';
    if (mode !== 'full_refresh' && mode !== 'incremental') {
      throw new ConnectorInputError(
        `--catalog: ${name}: unknown sync_mode ${JSON.stringify(mode)}`,
      );
    }
    if (mode === 'incremental' && !isIncrementalStream(name)) {
      throw new ConnectorInputError(`--catalog: ${name} supports full_refresh only`);
    }
    return { name, syncMode: mode };
  });
}

/**
 * Each stream's state blob from `--state`: a list of per-stream state messages (what
 * Airbyte passes), one such message, or `{}` / `[]` (no state).
 */
export function parseAirbyteState(json: unknown): Record<string, unknown> {
  const list = Array.isArray(json) ? json : json && Object.keys(json).length > 0 ? [json] : [];
  const out: Record<string, unknown> = {};
  for (const item of list) {
    const message = item as {
      type?: unknown;
      stream?: { stream_descriptor?: { name?: unknown }; stream_state?: unknown };
    };
    const name = message?.stream?.stream_descriptor?.name;
    if (message?.type !== 'STREAM' || typeof name !== 'string') {
      throw new ConnectorStateError(
        '--state: expected per-stream state messages ({"type": "STREAM", "stream": {"stream_descriptor": {"name": …}, "stream_state": …}})',
      );
    }
    out[name] = message.stream?.stream_state;
  }
  return out;
}

/** Who must act, and the exit code, for an error. */
function classify(error: unknown): { failureType: FailureType; exitCode: number } {
  if (isConnectorInputError(error)) return { failureType: 'config_error', exitCode: EXIT.config };
  if (isBrazeAuthError(error)) return { failureType: 'config_error', exitCode: EXIT.failure };
  // Some series failed and the rest was read and stated: the next sync resumes them.
  if (error instanceof ConnectorReadError || isBrazeError(error)) {
    return { failureType: 'transient_error', exitCode: EXIT.failure };
  }
  return { failureType: 'system_error', exitCode: EXIT.failure };
}

/**
 * Runs one Airbyte command and returns its exit code. Never throws: every failure becomes
 * a `TRACE` error message (or, for `check`, a `FAILED` connection status).
 *
 * @example
 * process.exitCode = await runAirbyte({ command: 'spec', writeLine: (l) => process.stdout.write(l), describeError: String });
 */
export async function runAirbyte(options: AirbyteRunOptions): Promise<number> {
  const session = startConnectorSession(options);
  const { clock } = session;
  const emit = (message: AirbyteMessage) => session.emit(message);
  const log = (level: AirbyteLogLevel, message: string) => emit(logMessage(level, message));
  const clientLog: ConnectorLog = (level, message) => {
    if (level !== 'debug' || options.debug) log(level === 'warn' ? 'WARN' : 'DEBUG', message);
  };
  const loadConfig = async () => {
    const config = await session.loadConfig();
    const make = options.createClient ?? createConnectorClient;
    return { config, client: make(config, clientLog) };
  };

  try {
    switch (options.command) {
      case 'spec':
        emit(specMessage());
        return EXIT.ok;
      case 'discover':
        // The streams depend on the config's units only, not on the workspace.
        emit(catalogMessage((await loadConfig()).config.units));
        return EXIT.ok;
      case 'check': {
        try {
          const { client } = await loadConfig();
          const { firstPageEvents, notes } = await checkConnection(client);
          const found = `connected: events.list and events.data_series work (${firstPageEvents} event names on the first page)`;
          emit(connectionStatusMessage(true, [found, ...notes].join('; ')));
        } catch (error) {
          if (error instanceof ConnectorInputError) throw error;
          emit(connectionStatusMessage(false, options.describeError(error)));
        }
        return EXIT.ok;
      }
      case 'read': {
        const { config, client } = await loadConfig();
        const { read: configured, warning } = offeredOnly(
          parseConfiguredCatalog(await readJsonFile('--catalog', options.catalogFile)),
          config.units,
        );
        if (warning) log('WARN', warning);
        const incoming =
          options.stateFile === undefined
            ? {}
            : parseAirbyteState(await readJsonFile('--state', options.stateFile));
        const sinceState = new Map<string, number>();
        const status = (stream: string, value: StreamStatus) =>
          emit(streamStatusMessage(stream, value, clock()));
        for (const s of configured) status(s.name, 'STARTED');
        const running = new Set<string>();
        const complete = new Set<string>();
        try {
          const streams = configured.map((s) => ({
            name: s.name,
            incremental: s.syncMode === 'incremental' && isIncrementalStream(s.name),
          }));
          await session.read(client, config, streams, (stream) => incoming[stream], {
            record: (stream, data) => {
              if (!running.has(stream)) {
                running.add(stream);
                status(stream, 'RUNNING');
              }
              sinceState.set(stream, (sinceState.get(stream) ?? 0) + 1);
              emit(recordMessage(stream, data, clock()));
            },
            state: (stream, state) => {
              emit(stateMessage(stream, state, sinceState.get(stream) ?? 0));
              sinceState.set(stream, 0);
            },
            log: (level, message) =>
              log(level === 'warn' ? 'WARN' : level === 'info' ? 'INFO' : 'DEBUG', message),
            complete: (stream) => {
              complete.add(stream);
              status(stream, 'COMPLETE');
            },
          });
        } catch (error) {
          // A stream read in full before the failure stays COMPLETE.
          for (const s of configured) if (!complete.has(s.name)) status(s.name, 'INCOMPLETE');
          throw error;
        }
        for (const s of configured) if (!complete.has(s.name)) status(s.name, 'COMPLETE');
        return EXIT.ok;
      }
    }
  } catch (error) {
    const { failureType, exitCode } = classify(error);
    const message = options.describeError(error);
    emit(
      errorTraceMessage(
        message,
        failureType,
        clock(),
        error instanceof Error ? error.name : undefined,
      ),
    );
    return exitCode;
  }
}
