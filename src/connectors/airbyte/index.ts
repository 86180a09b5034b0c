// The Airbyte source: the command runner the CLI and the tests call, and the error TRACE
// the CLI writes for a command it does not know. The other message builders
// (./messages.js) are the runner's own parts; whoever needs one imports that file.
export { errorTraceMessage } from './messages.js';
export {
  AIRBYTE_COMMANDS,
  type AirbyteCommand,
  type AirbyteRunOptions,
  parseAirbyteState,
  parseConfiguredCatalog,
  runAirbyte,
} from './run.js';
