/**
 * Singer messages and the discovery catalog, as the Singer specification describes them
 * (singer-io/getting-started, docs/SPEC.md v0.2.0 and docs/DISCOVERY_MODE.md). Pure.
 */
import type { Unit } from '../../api/constants.js';
import type { CountStreamState } from '../state.js';
import { COUNTS_CURSOR, offeredStreamInfos, STREAMS } from '../streams.js';

/** A Singer message (`type` is required; the rest depends on it). */
export type SingerMessage = { type: 'SCHEMA' | 'RECORD' | 'STATE' } & Record<string, unknown>;

/** The tap's state: one bookmark per count stream, each listing its series. */
export interface SingerState {
  bookmarks: Record<string, CountStreamState>;
}

/** `SCHEMA` for a stream, sent before its first record. */
export function schemaMessage(stream: string): SingerMessage {
  const info = STREAMS.find((s) => s.name === stream)!;
  return {
    type: 'SCHEMA',
    stream,
    schema: info.schema,
    key_properties: [...info.keys],
    ...(info.incremental ? { bookmark_properties: [COUNTS_CURSOR] } : {}),
  };
}

/** `RECORD`, with the time it was read (RFC 3339). */
export function recordMessage(stream: string, record: object, extractedAt: Date): SingerMessage {
  return { type: 'RECORD', stream, record, time_extracted: extractedAt.toISOString() };
}

/** `STATE`: the whole state (every stream's bookmark), as `--state` reads it back. */
export function stateMessage(value: SingerState): SingerMessage {
  return { type: 'STATE', value };
}

/**
 * The discovery catalog (`--discover`): each stream with its schema, key and standard
 * metadata (`table-key-properties`, `forced-replication-method` / `valid-replication-keys`,
 * `inclusion` per property), as Meltano and singer-python read them; `events` and the count
 * streams of `units`.
 */
export function discoveryCatalog(units: readonly Unit[] = ['day', 'hour']): {
  streams: Record<string, unknown>[];
} {
  return {
    streams: offeredStreamInfos(units).map((s) => ({
      tap_stream_id: s.name,
      stream: s.name,
      schema: s.schema,
      key_properties: [...s.keys],
      ...(s.incremental
        ? { replication_method: 'INCREMENTAL', replication_key: COUNTS_CURSOR }
        : { replication_method: 'FULL_TABLE' }),
      metadata: [
        {
          breadcrumb: [],
          metadata: {
            'table-key-properties': [...s.keys],
            'selected-by-default': true,
            inclusion: 'available',
            ...(s.incremental
              ? { 'valid-replication-keys': [COUNTS_CURSOR], 'replication-method': 'INCREMENTAL' }
              : { 'forced-replication-method': 'FULL_TABLE' }),
          },
        },
        ...Object.keys(s.schema.properties).map((p) => ({
          breadcrumb: ['properties', p],
          metadata: {
            inclusion:
              s.keys.includes(p) || (s.incremental && p === COUNTS_CURSOR)
                ? 'automatic'
                : 'available',
          },
        })),
      ],
    })),
  };
}
