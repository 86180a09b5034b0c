// The Singer tap. Re-exports only.
export {
  discoveryCatalog,
  recordMessage,
  type SingerMessage,
  type SingerState,
  schemaMessage,
  stateMessage,
} from './messages.js';
export {
  runSingerTap,
  type SingerRunOptions,
  selectedStreams,
} from './tap.js';
