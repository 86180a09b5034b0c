/**
 * The static files of the single-page UI: our own from ./assets (copied next to the
 * compiled code by the build; index.html gets the page's config written in), the
 * project's time module as `/assets/time.js` (so the browser cuts days exactly as the
 * server does), and uPlot from node_modules — never from a CDN.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embedConfig } from './page-config.js';

/** A file ready to send. */
export interface StaticFile {
  contentType: string;
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Folder of the UI's own files, next to this module in src/ and in dist/. */
export const ASSETS_DIR = fileURLToPath(new URL('./assets/', import.meta.url));

/**
 * A compiled module of src/api, next to this module's folder in dist/: time.ts, the
 * option errors its validators throw (time.ts imports ./option-errors.js, so the browser
 * asks for /assets/option-errors.js) and the value quoting their messages use
 * (option-errors.ts imports ./quote.js). Run from the sources (tsx, the tests), there is no
 * .js beside them, so the TypeScript is transpiled with the `typescript` dev dependency
 * (types only are stripped: the modules import nothing else).
 */
function apiModule(name: 'time' | 'option-errors' | 'quote'): Buffer {
  const compiled = new URL(`../api/${name}.js`, import.meta.url);
  if (existsSync(compiled)) return readFileSync(compiled);
  const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
  const source = readFileSync(new URL(`../api/${name}.ts`, import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  return Buffer.from(outputText);
}

/**
 * Loads every file the UI may ask for, keyed by URL path. Reading them once at start-up
 * means a request can only ever get one of these buffers (no path traversal to guard).
 */
export function loadStaticFiles(): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(ASSETS_DIR)) {
    const type = TYPES[extname(name)];
    if (type === undefined) continue;
    files.set(`/assets/${name}`, { contentType: type, body: readFileSync(join(ASSETS_DIR, name)) });
  }
  for (const name of ['time', 'option-errors', 'quote'] as const) {
    files.set(`/assets/${name}.js`, { contentType: TYPES['.js']!, body: apiModule(name) });
  }
  const index = files.get('/assets/index.html');
  if (index) {
    // The page carries the constants it shares with the server (page-config.ts).
    const page = { ...index, body: Buffer.from(embedConfig(index.body.toString('utf8'))) };
    files.set('/assets/index.html', page);
    files.set('/', page);
  }
  const uplotDir = dirname(createRequire(import.meta.url).resolve('uplot'));
  files.set('/vendor/uPlot.iife.min.js', {
    contentType: TYPES['.js']!,
    body: readFileSync(join(uplotDir, 'uPlot.iife.min.js')),
  });
  files.set('/vendor/uPlot.min.css', {
    contentType: TYPES['.css']!,
    body: readFileSync(join(uplotDir, 'uPlot.min.css')),
  });
  return files;
}
