/**
 * One read for both connectors: list the events, then bring each selected series up to date
 * with the sync's own planner (`planSeriesSync`: backfill from `start_date` in windows of at
 * most 100 buckets, later one request per series with the lookback), through the client's
 * pacing and retries. Each window's records leave as it arrives; the stream's state follows
 * at a bounded rate (see {@link STATES_PER_PASS}) and once when the stream ends, so a read
 * stopped anywhere resumes from its last state with no gap. The protocol (Airbyte, Singer)
 * is the sink's business; this file knows neither.
 */

import { selectEvents } from '../core/selection.js';
import type { CustomEvent } from '../core/types.js';
import { fetchEventDetails } from '../sync/catalog.js';
import { oneLine } from '../sync/outcome.js';
import { advanceSeriesState, type PlannedWindow, planSeriesSync } from '../sync/planner.js';
import { runSeriesPlans } from '../sync/run-series.js';
import { expandSeries, type SeriesKey, seriesId } from '../sync/series.js';
import { DEFAULT_SYNC_CONCURRENCY, type SyncClient } from '../sync/types.js';
import { fetchWindowBuckets } from '../sync/window.js';
import type { ConnectorConfig } from './config.js';
import { type CountStreamState, countStreamState, parseCountStreamState } from './state.js';
import { COUNT_STREAMS, countRecord, EVENTS_STREAM, eventRecord } from './streams.js';

/**
 * About this many STATE messages per pass over a stream's series: one after every
 * `ceil(series / STATES_PER_PASS)` windows. A state lists every series of its stream (about
 * 150 bytes each), so one after every window would make the output grow with the square of
 * the series (2,000 series: ~600 MB for a daily read); this keeps it linear, while a read
 * with few series still saves its place after each window.
 */
export const STATES_PER_PASS = 10;

/**
 * Longest time (of the read's clock) between two STATE messages of a stream while it
 * progresses, so a slow, rate-limited read does not lose minutes of work to a kill.
 */
export const STATE_INTERVAL_MS = 10_000;

/** When a stream's next state is due. */
interface StatePace {
  /** Windows between two states. */
  every: number;
  /** Windows done since the last state. */
  since: number;
  /** Clock at the last state. */
  at: number;
  /** Series of the stream not yet ended. */
  left: number;
  /** Windows of the stream not yet read. */
  windowsLeft: number;
  emitted: boolean;
}

/** Where a read's output goes; each connector writes its own messages. */
export interface ReadSink {
  record(stream: string, data: object): void;
  /** Every record of `stream` passed before this call is covered by `state`. */
  state(stream: string, state: CountStreamState): void;
  log(level: 'debug' | 'info' | 'warn', message: string): void;
  /** `stream` was read in full (its last state already passed); called once per such stream. */
  complete?(stream: string): void;
}

export interface ReadInput {
  client: SyncClient;
  config: ConnectorConfig;
  /** Streams to read (names from `STREAM_NAMES`). */
  streams: readonly string[];
  /**
   * Incoming state blob of each incremental count stream (absent: read from `start_date`).
   * A count stream read in full refresh gets none.
   */
  states?: Readonly<Record<string, unknown>>;
  sink: ReadSink;
  /** Clock (epoch ms). Default `Date.now`. */
  now?: () => number;
  signal?: AbortSignal;
  /** Series read in parallel. Default the sync's {@link DEFAULT_SYNC_CONCURRENCY}. */
  concurrency?: number;
}

/** The read ended with series it could not bring up to date; their earlier state stands. */
export class ConnectorReadError extends Error {
  override name = 'ConnectorReadError';
  readonly failures: ReadonlyArray<{ stream: string; event: string; error: string }>;

  constructor(message: string, failures: ConnectorReadError['failures'], cause: unknown) {
    super(message, { cause });
    this.failures = failures;
  }
}

interface SeriesPlan {
  stream: string;
  key: SeriesKey;
  windows: PlannedWindow[];
}

/**
 * Reads the selected streams into `sink`. Throws {@link ConnectorReadError} after the
 * last state when some series failed, or the error that stopped the read (a rejected key,
 * a spent rate limit); a malformed or mismatched state throws `ConnectorStateError` before
 * any request.
 *
 * @example
 * await readStreams({ client, config, streams: ['event_counts_daily'], sink });
 */
export async function readStreams(input: ReadInput): Promise<{ records: number }> {
  const { client, config, sink, signal } = input;
  const clock = input.now ?? Date.now;
  const now = new Date(clock());
  const offset = config.bucketUtcOffsetMinutes;
  const zone = { utcOffsetMinutes: offset, hourBuckets: config.hourBuckets };
  const wanted = new Set(input.streams);
  // A unit not in the config is not read, whatever the catalog asks (the adapters warn).
  const units = config.units.filter((u) => wanted.has(COUNT_STREAMS[u]));
  // Every state is checked before the first request.
  const states = new Map(
    units.map((unit) => {
      const stream = COUNT_STREAMS[unit];
      return [stream, parseCountStreamState(stream, unit, input.states?.[stream], zone)];
    }),
  );
  let records = 0;
  const opts = signal ? { signal } : {};

  const names: string[] = [];
  for await (const name of client.eventNames(opts)) names.push(name);
  sink.log('info', `${names.length} custom events listed`);

  // `events` and `event_glob` select the events of every stream, the events stream too.
  const { selected, missing } = selectEvents(names, {
    events: config.events,
    match: config.eventGlob,
  });
  if (missing.length > 0) {
    sink.log('warn', `not in the workspace's events, skipped: ${missing.join(', ')}`);
  }
  if (wanted.has(EVENTS_STREAM)) {
    const { details, note } = await fetchEventDetails(client, signal);
    if (note) sink.log('warn', note);
    const byName = new Map<string, CustomEvent>((details ?? []).map((d) => [d.name, d]));
    for (const name of selected) sink.record(EVENTS_STREAM, eventRecord(name, byName.get(name)));
    records += selected.length;
    sink.complete?.(EVENTS_STREAM);
  }
  if (units.length === 0) return { records };

  const plans: SeriesPlan[] = [];
  for (const unit of units) {
    const stream = COUNT_STREAMS[unit];
    const streamStates = states.get(stream)!;
    for (const key of expandSeries(selected, [unit], config.appIds, config.segmentIds)) {
      const windows = planSeriesSync({
        unit,
        now,
        state: streamStates.get(seriesId(key))?.state,
        since: config.startDate,
        lookback: config.lookback[unit],
        utcOffsetMinutes: offset,
        hourBuckets: config.hourBuckets,
      });
      plans.push({ stream, key, windows });
    }
  }
  const windowCount = plans.reduce((n, p) => n + p.windows.length, 0);
  sink.log('info', `${plans.length} series, ${windowCount} data_series requests planned`);

  const pace = new Map<string, StatePace>();
  for (const stream of states.keys()) {
    const mine = plans.filter((p) => p.stream === stream);
    const every = Math.max(1, Math.ceil(mine.length / STATES_PER_PASS));
    const windowsLeft = mine.reduce((n, p) => n + p.windows.length, 0);
    pace.set(stream, {
      every,
      since: 0,
      at: clock(),
      left: mine.length,
      windowsLeft,
      emitted: false,
    });
  }
  // Complete: every window read. A failed or cut-short series leaves windows unread.
  const endStream = (stream: string) => {
    const p = pace.get(stream)!;
    if (!p.emitted || p.since > 0) emitState(stream);
    if (p.windowsLeft === 0) sink.complete?.(stream);
  };
  const emitState = (stream: string) => {
    const p = pace.get(stream)!;
    sink.state(stream, countStreamState(states.get(stream)!, zone));
    p.since = 0;
    p.at = clock();
    p.emitted = true;
  };
  let firstFailure: unknown;
  const failures: { stream: string; event: string; error: string }[] = [];
  const fatal = await runSeriesPlans({
    plans,
    concurrency: input.concurrency ?? DEFAULT_SYNC_CONCURRENCY,
    signal,
    runWindow: async ({ stream, key }, window) => {
      const buckets = await fetchWindowBuckets({
        client,
        key,
        window,
        utcOffsetMinutes: offset,
        signal,
      });
      // Records and the series' bookmark change together, synchronously: a state emitted
      // at any later point covers exactly the windows whose records were emitted before it.
      for (const bucket of buckets) sink.record(stream, countRecord(key, bucket));
      records += buckets.length;
      const streamStates = states.get(stream)!;
      const id = seriesId(key);
      streamStates.set(id, {
        key,
        state: advanceSeriesState(streamStates.get(id)?.state, key.unit, window),
      });
      const p = pace.get(stream)!;
      p.windowsLeft -= 1;
      p.since += 1;
      if (p.since >= p.every || clock() - p.at >= STATE_INTERVAL_MS) emitState(stream);
    },
    onSeriesEnded: ({ stream }) => {
      const p = pace.get(stream)!;
      p.left -= 1;
      if (p.left === 0) endStream(stream);
    },
    onSeriesFailed: ({ stream, key }, error) => {
      firstFailure ??= error;
      failures.push({ stream, event: key.event, error: oneLine(error) });
      sink.log('warn', `series ${key.event} (${key.unit}) failed: ${oneLine(error)}`);
    },
  });
  // Windows done since a stream's last state are saved even when the run stopped (a state
  // covers only finished windows); a stream with nothing to read still hands its state back
  // (an incremental stream without state would be read from start_date again).
  for (const [stream, p] of pace) if (p.left > 0 || !p.emitted) endStream(stream);
  if (fatal !== undefined) throw fatal;
  if (failures.length > 0) {
    throw new ConnectorReadError(
      `${failures.length} of ${plans.length} series failed (first: ${failures[0]!.event}: ${failures[0]!.error}); the next read resumes them from the last state`,
      failures,
      firstFailure,
    );
  }
  return { records };
}
