export * from './constants.js';
export * from './instances.js';
export type * from './types.js';
