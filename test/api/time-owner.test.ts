/**
 * One model of time (issue 12): bucket arithmetic lives in src/api/time.ts and nowhere
 * else. This scans every source file (TypeScript, and the dashboard's browser JavaScript)
 * for the shapes the six old copies had: bucket lengths written out (also as `864e5`,
 * `24 * 60`), UNIT_MS arithmetic, UTC calendar getters, strings cut to a date or an hour, a
 * time glued onto a date, floor-by-size, private DAY/HOUR constants, and time strings
 * parsed by `Date.parse` / `new Date('…')` instead of the time module's parsers. Comments
 * are ignored (docs may show examples).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const OWNER = 'api/time.ts';

/** What bucket arithmetic looks like outside its module. */
const PATTERNS: readonly [string, RegExp][] = [
  ['UNIT_MS', /\bUNIT_MS\b/],
  ['a day or an hour in ms', /\b86_?400_?000\b|\b3_?600_?000\b/],
  ['a day or an hour in seconds', /\b86_?400\b|\b3_?600\b/],
  ['UTC calendar fields', /\.(get|set)UTC(FullYear|Month|Date|Day|Hours|Minutes)\(/],
  ['a day or an hour in ms, exponent form', /\b(8\.64e7|86\.4e6|864e5|8640e4|3\.6e6|36e5|360e4)\b/],
  ['a day or an hour in seconds, exponent form', /\b(8\.64e4|86\.4e3|864e2|3\.6e3|36e2)\b/],
  ['minutes in a day or seconds in an hour', /\b(24|60)\s*\*\s*60\b/],
  // Any string cut to `YYYY-MM-DD`, `…THH`, `…THH:MM` or `…THH:MM:SS`: a date or time read
  // by position instead of by the time module.
  ['a time string cut to a date or an hour', /\.(slice|substring)\(\s*0\s*,\s*1[0369]\s*\)/],
  ['a time glued onto a date', /\}T(\d|\$\{)/],
  // Date.parse and new Date('…') read zone-less strings in the machine's zone and accept
  // non-ISO forms; time.ts's parsers (instantMs, parseIsoInstant) do neither.
  ['a time string parsed by Date', /\bDate\.parse\(|\bnew Date\(\s*['"`]/],
  [
    'floor or ceiling by a bucket size',
    /Math\.(floor|ceil|round)\([^)]*\/\s*(size|step|UNIT_MS|DAY|HOUR)/,
  ],
  ['a private day/hour/week constant', /\bconst\s+(DAY|HOUR|WEEK)(_MS)?\s*=/],
];

/**
 * Durations that are not buckets, each justified. Keyed by file, the pattern's name and
 * the exact line text, so nothing else in the file is excused.
 */
const ALLOWED: readonly { file: string; pattern: string; line: string; why: string }[] = [
  {
    file: 'api/constants.ts',
    pattern: 'UNIT_MS',
    line: "export { UNIT_MS } from './time.js';",
    why: 'a re-export of the time module for existing importers of src/api, no arithmetic',
  },
  {
    file: 'api/constants.ts',
    pattern: 'a day or an hour in ms',
    line: 'export const RATE_LIMIT_WINDOW_MS = 3_600_000;',
    why: "Braze's rate-limit window (a fixed clock hour of the API), not a data bucket",
  },
  {
    file: 'emulator/defaults.ts',
    pattern: 'a day or an hour in ms',
    line: 'export const DEFAULT_HOUR_MS = 3_600_000;',
    why: "the emulator's rate-limit window length, scaled down in tests; not a bucket",
  },
  {
    file: 'cli/commands/sync.ts',
    pattern: 'a day or an hour in seconds',
    line: ".argParser(intParser('--db-reconnect-timeout', 0, 86_400)),",
    why: 'the longest wait for a database that went away (a day, in seconds), not a bucket',
  },
  {
    file: 'cli/program.ts',
    pattern: 'a day or an hour in ms',
    line: ".addOption(intOption('--timeout <ms>', 'per-request timeout in milliseconds', 1, 3_600_000))",
    why: 'the largest request timeout accepted (a wait), not a bucket',
  },
  {
    file: 'cli/program.ts',
    pattern: 'a day or an hour in ms',
    line: ").argParser(intParser('--max-retry-wait', 0, 3_600_000)),",
    why: 'the largest rate-limit wait accepted, not a bucket',
  },
  {
    file: 'cli/commands/emulator.ts',
    pattern: 'a day or an hour in ms',
    line: `.addOption(intOption('--hour-ms <n>', 'length of a rate-limit "hour" in ms', 1, 86_400_000))`,
    why: 'the largest emulator rate-limit window accepted, not a bucket',
  },
  {
    file: 'dashboard/access.ts',
    pattern: 'minutes in a day or seconds in an hour',
    line: 'export const ACCESS_COOKIE_MAX_AGE_SECONDS = 12 * 60 * 60;',
    why: "the dashboard cookie's lifetime (Max-Age, seconds), not a bucket",
  },
  {
    file: 'core/rate-limit.ts',
    pattern: 'a time string parsed by Date',
    line: 'const at = Date.parse(value);',
    why: "retry-after's HTTP-date (RFC 9110, `Wed, 21 Oct 2015 07:28:00 GMT`, its shape checked just before): not ISO 8601, which the time module reads",
  },
  {
    file: 'cli/demo-summary.ts',
    pattern: 'a time string cut to a date or an hour',
    line: 'const top = [...input.events].sort((a, b) => b.total - a.total).slice(0, 10);',
    why: 'the ten largest events, not a date',
  },
  {
    file: 'cli/range.ts',
    pattern: 'a time string parsed by Date',
    line: 'return zoned && Date.parse(text) !== ms ? new Date(ms).toISOString() : text;',
    why: 'Date.parse stands for a strict ISO reader here: an offset it cannot read (`-5:00`) is sent as the UTC instant parseIsoInstant computed instead',
  },
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|js|mjs)$/.test(e.name) ? [p] : [];
  });
}

/** Code without comments, line for line (block comments become empty lines). */
function code(text: string): string[] {
  const noBlocks = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ''));
  return noBlocks.split('\n').map((line) => line.replace(/(^|\s)\/\/.*$/, ''));
}

/** Every line of `text` matching a pattern and not allowed: `file:line pattern: code`. */
export function violations(file: string, text: string): string[] {
  const out: string[] = [];
  code(text).forEach((line, i) => {
    for (const [name, re] of PATTERNS) {
      if (!re.test(line)) continue;
      const ok = ALLOWED.some(
        (a) => a.file === file && a.pattern === name && a.line === line.trim(),
      );
      if (!ok) out.push(`${file}:${i + 1} ${name}: ${line.trim()}`);
    }
  });
  return out;
}

describe('src/api/time.ts owns bucket arithmetic', () => {
  test('no other source file does bucket arithmetic', () => {
    const files = sources(SRC).filter((f) => relative(SRC, f) !== OWNER);
    assert.ok(files.length > 100, `scanned only ${files.length} files`);
    const found = files.flatMap((f) => violations(relative(SRC, f), readFileSync(f, 'utf8')));
    assert.deepEqual(found, [], 'use src/api/time.ts instead');
  });

  test('the dashboard browser code imports the time module', () => {
    const util = readFileSync(join(SRC, 'dashboard/assets/util.js'), 'utf8');
    const chart = readFileSync(join(SRC, 'dashboard/assets/chart.js'), 'utf8');
    assert.match(util, /from '\.\/time\.js'/);
    assert.match(chart, /from '\.\/time\.js'/);
  });

  test('the scan catches each old copy (so it can fail)', () => {
    for (const bad of [
      'const size = UNIT_MS[unit];',
      'return Math.floor(ms / size) * size;',
      'const DAY = 86_400_000;',
      "if (d.getUTCHours() !== 0) return '';",
      'const day = new Date(ms).toISOString().slice(0, 10);',
      // A template literal gluing midnight onto a date, as the check and dashboard did.
      ['Date.parse(`$', '{date}T00:00:00Z`)'].join(''),
      "const size = unit === 'hour' ? 3600 : 86400;",
      // The shapes a fresh-eyes review found the first scan missing.
      'const day = Math.floor(ms / 864e5);',
      'const hour = ms - (ms % 36e5);',
      'const intoDay = ms % (24 * 60 * 60 * 1000);',
      'const date = iso.slice(0, 10);',
      ['new Date(`$', '{d}T00:00:00+05:30`)'].join(''),
      'const at = Date.parse(row.bucket_start);',
      "const start = new Date('2026-03-02T00:00:00Z');",
    ]) {
      assert.equal(violations('x.ts', bad).length > 0, true, bad);
    }
    assert.deepEqual(violations('x.ts', '// UNIT_MS in a comment\n/* 86_400_000 */'), []);
    assert.deepEqual(
      violations(
        'cli/program.ts',
        ".addOption(intOption('--timeout <ms>', 'per-request timeout in milliseconds', 1, 3_600_000))\nconst x = 3_600_000;",
      ),
      ['cli/program.ts:2 a day or an hour in ms: const x = 3_600_000;'],
    );
  });
});
