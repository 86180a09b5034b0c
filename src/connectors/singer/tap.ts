/**
 * `braze-events singer`: a Singer tap. `--discover` prints the catalog; otherwise SCHEMA,
 * RECORD and STATE messages on stdout (one per line) and logs on stderr, as the Singer
 * specification asks. The reading itself is `readStreams`, the sync's planner underneath.
 */
import type { SyncClient } from '../../sync/types.js';
import { type ConnectorLog, createConnectorClient } from '../client.js';
import {
  type ConnectorConfig,
  ConnectorInputError,
  isConnectorInputError,
  readJsonFile,
} from '../config.js';
import { startConnectorSession } from '../session.js';
import { ConnectorStateError, type CountStreamState } from '../state.js';
import {
  catalogStreamName,
  isIncrementalStream,
  offeredOnly,
  offeredStreamInfos,
} from '../streams.js';
import {
  discoveryCatalog,
  recordMessage,
  type SingerState,
  schemaMessage,
  stateMessage,
} from './messages.js';

export interface SingerRunOptions {
  configFile?: string | undefined;
  stateFile?: string | undefined;
  /** `--catalog` (or the older `--properties`). */
  catalogFile?: string | undefined;
  discover?: boolean;
  /** Writes one line to stdout (messages). */
  writeLine: (line: string) => void;
  /** Writes one line to stderr (logs). */
  writeLog: (line: string) => void;
  /** Builds the client; default {@link createConnectorClient}. Tests inject a fixed clock. */
  createClient?: (config: ConnectorConfig, log: ConnectorLog) => SyncClient;
  /** Called with the key as soon as it is read, so every printer can redact it. */
  onSecret?: (secret: string) => void;
  now?: () => number;
  debug?: boolean;
  signal?: AbortSignal;
}

/**
 * The streams a Singer catalog selects and whether each is read incrementally: top-level
 * metadata `selected` (or the older `"selected"` on the stream); where neither says,
 * `selected-by-default` (as Singer taps conventionally do, so the catalog `--discover`
 * printed reads as it is); and `replication-method` `FULL_TABLE` to read from `start_date`
 * again.
 */
export function selectedStreams(catalog: unknown): { name: string; incremental: boolean }[] {
  const streams = (catalog as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(streams)) throw new ConnectorInputError('--catalog: "streams" must be a list');
  const out: { name: string; incremental: boolean }[] = [];
  for (const entry of streams as Record<string, unknown>[]) {
    const name = catalogStreamName(entry?.tap_stream_id ?? entry?.stream);
    const metadata = Array.isArray(entry.metadata)
      ? (entry.metadata as Record<string, unknown>[])
      : [];
    const top = (metadata.find(
      (m) => Array.isArray(m?.breadcrumb) && (m.breadcrumb as unknown[]).length === 0,
    )?.metadata ?? {}) as Record<string, unknown>;
    const selected = top.selected ?? entry.selected ?? top['selected-by-default'];
    if (selected !== true) continue;
    const method = top['replication-method'] ?? entry.replication_method;
    out.push({ name, incremental: isIncrementalStream(name) && method !== 'FULL_TABLE' });
  }
  return out;
}

/**
 * Runs the tap and returns its exit code (0 ok, 1 failure, 2 bad input). Never throws: a
 * failure is one line on stderr.
 *
 * @example
 * process.exitCode = await runSingerTap({ configFile: 'config.json', writeLine: (l) => process.stdout.write(l), writeLog: (l) => process.stderr.write(l) });
 */
export async function runSingerTap(
  options: SingerRunOptions,
  describeError: (e: unknown) => string,
): Promise<number> {
  const session = startConnectorSession(options);
  const { clock, emit } = session;
  const log = (level: string, message: string) =>
    options.writeLog(`${level} ${session.redact(message)}\n`);
  try {
    const config = await session.loadConfig();
    if (options.discover) {
      emit(discoveryCatalog(config.units));
      return 0;
    }
    const { read: streams, warning } = options.catalogFile
      ? offeredOnly(
          selectedStreams(await readJsonFile('--catalog', options.catalogFile)),
          config.units,
        )
      : {
          read: offeredStreamInfos(config.units),
          warning: undefined,
        };
    if (warning) log('WARN', warning);
    let incoming: unknown = {};
    if (options.stateFile !== undefined)
      incoming = await readJsonFile('--state', options.stateFile);
    // Runners pass the last STATE's value; some wrap it as {"value": …}.
    const value = (incoming as { value?: unknown } | null)?.value ?? incoming;
    const bookmarks = ((value as Partial<SingerState> | null)?.bookmarks ?? {}) as Record<
      string,
      CountStreamState
    >;
    if (typeof bookmarks !== 'object' || Array.isArray(bookmarks)) {
      throw new ConnectorStateError('--state: "bookmarks" must be an object');
    }
    const state: SingerState = { bookmarks: { ...bookmarks } };

    const client = (options.createClient ?? createConnectorClient)(config, (level, message) => {
      if (level !== 'debug' || options.debug) log(level.toUpperCase(), message);
    });
    for (const s of streams) emit(schemaMessage(s.name));
    await session.read(client, config, streams, (stream) => bookmarks[stream], {
      record: (stream, data) => emit(recordMessage(stream, data, new Date(clock()))),
      state: (stream, streamState) => {
        state.bookmarks[stream] = streamState;
        emit(stateMessage(state));
      },
      log: (level, message) => {
        if (level !== 'debug' || options.debug) log(level.toUpperCase(), message);
      },
    });
    return 0;
  } catch (error) {
    log('CRITICAL', describeError(error));
    return isConnectorInputError(error) ? 2 : 1;
  }
}
