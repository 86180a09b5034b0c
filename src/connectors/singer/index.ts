// The Singer tap. Re-exports only.
export * from './messages.js';
export * from './tap.js';
