// The Airbyte source. Re-exports only.
export {
  type AirbyteLogLevel,
  type AirbyteMessage,
  airbyteStreams,
  catalogMessage,
  connectionStatusMessage,
  DOCUMENTATION_URL,
  errorTraceMessage,
  type FailureType,
  logMessage,
  recordMessage,
  type StreamStatus,
  specMessage,
  stateMessage,
  streamStatusMessage,
} from './messages.js';
export {
  AIRBYTE_COMMANDS,
  type AirbyteCommand,
  type AirbyteRunOptions,
  parseAirbyteState,
  parseConfiguredCatalog,
  runAirbyte,
} from './run.js';
