/**
 * What a connector run does whatever its protocol (Airbyte, Singer): keep the clock, write
 * one JSON message a line with the key redacted from the moment it is read, load the
 * configuration, and read the streams a catalog selected, each incremental one from the
 * state it was given. The protocol's message shapes stay the adapter's.
 */
import { createRedactor } from '../core/redact.js';
import type { SyncClient } from '../sync/types.js';
import { type ConnectorConfig, loadConnectorConfig } from './config.js';
import { type ReadSink, readStreams } from './read.js';

/** A stream a catalog selected, and whether it is read incrementally (from its state). */
export interface SelectedStream {
  name: string;
  incremental: boolean;
}

export interface ConnectorSessionOptions {
  /** Path of the configuration file (`--config`). */
  configFile?: string | undefined;
  /** Writes one line (a serialized message plus `\n`). */
  writeLine: (line: string) => void;
  /** Called with the key as soon as it is read, so every printer can redact it. */
  onSecret?: ((secret: string) => void) | undefined;
  /** Clock (epoch ms). Default `Date.now`. */
  now?: (() => number) | undefined;
  signal?: AbortSignal | undefined;
}

export interface ConnectorSession {
  clock: () => number;
  /** `text` without the key (unchanged before the configuration is loaded). */
  redact(text: string): string;
  /** Writes `message` as one JSON line, without the key. */
  emit(message: object): void;
  /** Loads `--config`; from then on the key is redacted from every line. */
  loadConfig(): Promise<ConnectorConfig>;
  /**
   * Reads `streams` into `sink` ({@link readStreams}); `stateOf(stream)` is the state an
   * incremental stream was given (a stream read in full refresh gets none).
   */
  read(
    client: SyncClient,
    config: ConnectorConfig,
    streams: readonly SelectedStream[],
    stateOf: (stream: string) => unknown,
    sink: ReadSink,
  ): Promise<{ records: number }>;
}

/**
 * Starts a run's session.
 *
 * @example
 * const session = startConnectorSession({ configFile: 'config.json', writeLine: (l) => process.stdout.write(l) });
 * const config = await session.loadConfig();
 */
export function startConnectorSession(options: ConnectorSessionOptions): ConnectorSession {
  const clock = options.now ?? Date.now;
  let redact = (text: string) => text;
  return {
    clock,
    redact: (text) => redact(text),
    emit: (message) => options.writeLine(`${redact(JSON.stringify(message))}\n`),
    loadConfig: () =>
      loadConnectorConfig(options.configFile, clock(), (key) => {
        redact = createRedactor([key]);
        options.onSecret?.(key);
      }),
    read: (client, config, streams, stateOf, sink) => {
      const states: Record<string, unknown> = {};
      for (const s of streams) if (s.incremental) states[s.name] = stateOf(s.name);
      return readStreams({
        client,
        config,
        streams: streams.map((s) => s.name),
        states,
        now: clock,
        ...(options.signal ? { signal: options.signal } : {}),
        sink,
      });
    },
  };
}
