// Copies the dashboard's browser files (HTML, CSS, plain JS) next to the compiled server
// code, so `dist/dashboard/assets/` ships in the package. Run by `npm run build` after tsc.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const from = `${root}src/dashboard/assets`;
const to = `${root}dist/dashboard/assets`;
rmSync(to, { recursive: true, force: true });
// Type declarations there are for type-checking the browser code only (tsconfig.assets.json).
cpSync(from, to, { recursive: true, filter: (path) => !path.endsWith('.d.ts') });
