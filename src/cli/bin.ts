#!/usr/bin/env node
// The executable. Kept tiny so `braze-events --help` starts fast: everything else loads
// lazily from here (program.ts imports only commander and the command registrars).
const { main } = await import('./program.js');
await main(process.argv);
