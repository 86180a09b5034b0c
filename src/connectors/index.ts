// Connectors for the engines data teams run (Airbyte, Singer). Re-exports only.
export {
  type ConnectorLog,
  checkConnection,
  createConnectorClient,
} from './client.js';
export {
  CONFIG_SCHEMA,
  type ConnectorConfig,
  ConnectorConfigError,
  ConnectorInputError,
  configOffset,
  isConnectorInputError,
  loadConnectorConfig,
  parseConnectorConfig,
  readJsonFile,
} from './config.js';
export {
  ConnectorReadError,
  type ReadInput,
  type ReadSink,
  readStreams,
  STATE_INTERVAL_MS,
  STATES_PER_PASS,
} from './read.js';
export {
  ConnectorStateError,
  type CountStreamState,
  countStreamState,
  parseCountStreamState,
  type SeriesBookmark,
  type SeriesStates,
} from './state.js';
export {
  COUNT_STREAMS,
  COUNTS_CURSOR,
  COUNTS_KEY,
  COUNTS_SCHEMA,
  type CountRecord,
  countRecord,
  countStreamUnit,
  EVENTS_KEY,
  EVENTS_SCHEMA,
  EVENTS_STREAM,
  type EventRecord,
  eventRecord,
  isIncrementalStream,
  offeredOnly,
  offeredStreams,
  STREAM_NAMES,
} from './streams.js';
