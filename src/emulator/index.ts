// Public entry of the emulator (`braze-events/emulator`). Re-exports only.
export { parseKeySpec } from './auth.js';
export * from './defaults.js';
export { FAULT_KINDS, parseFaultSpec } from './faults.js';
export { TRICKY_EVENT_NAMES } from './names.js';
export { startEmulator } from './server.js';
export type * from './types.js';
