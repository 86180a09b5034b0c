// The Airbyte source. Re-exports only.
export * from './messages.js';
export * from './run.js';
