/**
 * Airbyte protocol messages (one JSON object per line on stdout), as the protocol's
 * message definitions describe them (airbytehq/airbyte-protocol,
 * protocol-models/src/main/resources/airbyte_protocol/airbyte_protocol.yaml). Pure.
 */
import type { Unit } from '../../api/constants.js';
import { CONFIG_SCHEMA } from '../config.js';
import type { CountStreamState } from '../state.js';
import { COUNTS_CURSOR, offeredStreamInfos } from '../streams.js';

/** Any Airbyte message this source writes. */
export type AirbyteMessage = { type: string } & Record<string, unknown>;

/** Where the source's documentation lives (shown by Airbyte next to the form). */
export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/braze-events';

/** `SPEC`: the configuration form. */
export function specMessage(): AirbyteMessage {
  return {
    type: 'SPEC',
    spec: {
      documentationUrl: DOCUMENTATION_URL,
      connectionSpecification: CONFIG_SCHEMA,
      supportsIncremental: true,
    },
  };
}

/** `CONNECTION_STATUS` of `check`. */
export function connectionStatusMessage(succeeded: boolean, message: string): AirbyteMessage {
  return {
    type: 'CONNECTION_STATUS',
    connectionStatus: { status: succeeded ? 'SUCCEEDED' : 'FAILED', message },
  };
}

/**
 * The streams, as `discover` lists them: `events` (full refresh) and the count streams of
 * `units` (incremental too, by a cursor the source defines, and resumable).
 */
export function airbyteStreams(
  units: readonly Unit[] = ['day', 'hour'],
): Record<string, unknown>[] {
  return offeredStreamInfos(units).map((s) => {
    const primaryKey = s.keys.map((k) => [k]);
    return s.incremental
      ? {
          name: s.name,
          json_schema: s.schema,
          supported_sync_modes: ['full_refresh', 'incremental'],
          source_defined_cursor: true,
          default_cursor_field: [COUNTS_CURSOR],
          source_defined_primary_key: primaryKey,
          is_resumable: true,
        }
      : {
          name: s.name,
          json_schema: s.schema,
          supported_sync_modes: ['full_refresh'],
          source_defined_primary_key: primaryKey,
        };
  });
}

/** `CATALOG` of `discover`, for the configuration's `units`. */
export function catalogMessage(units: readonly Unit[]): AirbyteMessage {
  return { type: 'CATALOG', catalog: { streams: airbyteStreams(units) } };
}

/** `RECORD`; `emitted_at` in epoch milliseconds. */
export function recordMessage(stream: string, data: object, emittedAt: number): AirbyteMessage {
  return { type: 'RECORD', record: { stream, data, emitted_at: emittedAt } };
}

/**
 * Per-stream `STATE`, with the count of records emitted for the stream since its previous
 * state (the platform checks it against what it received).
 */
export function stateMessage(
  stream: string,
  state: CountStreamState,
  recordCount: number,
): AirbyteMessage {
  return {
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: { name: stream }, stream_state: state },
      sourceStats: { recordCount },
    },
  };
}

/** Airbyte's log levels this source uses. */
export type AirbyteLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** `LOG`: every line the source would otherwise print. */
export function logMessage(level: AirbyteLogLevel, message: string): AirbyteMessage {
  return { type: 'LOG', log: { level, message } };
}

/** Who must act on a failure: the user (`config_error`), nobody yet (`transient_error`), or us. */
export type FailureType = 'config_error' | 'transient_error' | 'system_error';

/** `TRACE` of type `ERROR`: the failure that ends the run (its exit code is non-zero). */
export function errorTraceMessage(
  message: string,
  failureType: FailureType,
  emittedAt: number,
  internalMessage?: string,
): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'ERROR',
      emitted_at: emittedAt,
      error: {
        message,
        failure_type: failureType,
        ...(internalMessage !== undefined ? { internal_message: internalMessage } : {}),
      },
    },
  };
}

/** The status of a stream during a read, as Airbyte shows it. */
export type StreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';

/** `TRACE` of type `STREAM_STATUS`. */
export function streamStatusMessage(
  stream: string,
  status: StreamStatus,
  emittedAt: number,
): AirbyteMessage {
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: emittedAt,
      stream_status: { stream_descriptor: { name: stream }, status },
    },
  };
}
