// Streaming multi-event export over the client. Re-exports only.
export * from './atomic-file.js';
export * from './errors.js';
export * from './export-events.js';
export * from './formats.js';
export * from './rows.js';
export * from './types.js';
