// Public entry of the `braze-events` library: the API facts and the client. Re-exports only.
// This entry has zero runtime dependencies; the layers that need some (export, sync, check,
// dashboard) and the emulator are separate subpath exports, so importing the client never
// loads SQLite, PostgreSQL or CSV code.
export * from './api/index.js';
export * from './core/index.js';
