// Public entry of the `braze-events` library. Re-exports only.
export * from './api/index.js';
export * from './core/index.js';
export type * from './core/types.js';
export * from './export/index.js';
