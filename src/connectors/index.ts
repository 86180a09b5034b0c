// Connectors for the engines data teams run (Airbyte, Singer). Re-exports only.
export * from './client.js';
export * from './config.js';
export * from './read.js';
export * from './state.js';
export * from './streams.js';
