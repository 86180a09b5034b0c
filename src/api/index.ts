export * from './constants.js';
export * from './instances.js';
export * from './time.js';
export type * from './types.js';
