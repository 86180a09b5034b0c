// Public entry of the emulator (`braze-events/emulator`). Re-exports only.
export { parseKeySpec } from './auth.js';
export {
  ANOMALY_WINDOW_DAYS,
  CONTROL_PREFIX,
  DEFAULT_ANCHOR,
  DEFAULT_EMULATOR_HOST,
  DEFAULT_EMULATOR_PORT,
  DEFAULT_EMULATOR_SEED,
  DEFAULT_EVENT_COUNT,
  DEFAULT_FAULT_DELAY_MS,
  DEFAULT_FUTURE_ENDING_AT,
  DEFAULT_HOUR_FORMAT,
  DEFAULT_HOUR_MS,
  DEFAULT_RESTATE_DAYS,
  DEFAULT_RESTATE_FACTOR,
  DEFAULT_ZONE_OFFSET_MINUTES,
  EMULATOR_DEFAULT_KEY,
  MAX_REQUEST_LOG,
  SLOW_BODY_CHUNKS,
} from './defaults.js';
export { FAULT_KINDS, parseFaultSpec } from './faults.js';
export { TRICKY_EVENT_NAMES } from './names.js';
export { startEmulator } from './server.js';
export type {
  DatasetCounts,
  DatasetEvent,
  Emulator,
  EmulatorApp,
  EmulatorDataset,
  EmulatorKey,
  EmulatorOptions,
  EmulatorRateLimit,
  EmulatorSegment,
  FaultKind,
  FaultRule,
  GroundTruthQuery,
  HourFormat,
  ProvisionalOptions,
  RequestLogEntry,
  RestateOptions,
  RouteName,
  SeededAnomaly,
} from './types.js';
