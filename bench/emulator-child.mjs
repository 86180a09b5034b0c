// Runs the built emulator in its own process for the benchmarks: `node emulator-child.mjs
// '<options as JSON>'`. Prints the base URL on the first stdout line; stops on SIGTERM.
import { startEmulator } from '../dist/emulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const emulator = await startEmulator(options);
process.stdout.write(`${emulator.url}\n`);
const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
