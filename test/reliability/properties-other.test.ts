/**
 * Property-based tests (fast-check) of every other input parser: CLI dates, ages, ranges,
 * integer and percentage flags, the config file, database URLs, the dashboard's range
 * parameters, check options and the emulator's fault and key specs. Malformed input gives
 * a clear error (UsageError, InvalidArgumentError, TypeError, RangeError) in bounded time.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { parseIsoInstant } from '../../src/api/time.js';
import { resolveDetectOptions } from '../../src/check/index.js';
import { parsePercent } from '../../src/cli/commands/check.js';
import { loadConfig, parseConfig } from '../../src/cli/config.js';
import { UsageError } from '../../src/cli/errors.js';
import { intParser, utcOffsetParser } from '../../src/cli/parse.js';
import { parseDateFlag, resolveRange } from '../../src/cli/range.js';
import { resolveRange as dashboardRange } from '../../src/dashboard/index.js';
import { parseFaultSpec, parseKeySpec } from '../../src/emulator/index.js';
import { parseDatabaseUrl, redactDatabaseUrl } from '../../src/sync/index.js';
import { assertClear, attempt, nasty, RUNS } from './property-helpers.js';

describe('CLI parsers', () => {
  const now = new Date('2026-11-27T10:00:00Z');

  test('parseDateFlag: a UsageError, or a value the client accepts', () => {
    fc.assert(
      fc.property(nasty, (value) => {
        const r = attempt(() => parseDateFlag('--since', value, now));
        if (r.error) return assertClear(r.error, UsageError);
        assert.notEqual(
          parseIsoInstant(r.value!),
          null,
          `--since ${JSON.stringify(value)} passed the CLI as ${JSON.stringify(r.value)}, which the client refuses`,
        );
      }),
      RUNS,
    );
  });

  test('parseDateFlag: ages within the supported range give ISO instants', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999 }),
        fc.constantFrom('d', 'h', 'w', 'D'),
        (n, u) => {
          const r = attempt(() => parseDateFlag('--since', `${n}${u}`, now));
          if (r.error) return assertClear(r.error, UsageError);
          assert.notEqual(parseIsoInstant(r.value!), null, `${n}${u} → ${r.value}`);
        },
      ),
      RUNS,
    );
  });

  test('resolveRange: any flag combination gives a range or a UsageError', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            length: fc.integer({ min: -10, max: 5000 }),
            since: nasty,
            until: nasty,
            unit: fc.oneof(fc.constantFrom('day', 'hour'), fc.string()),
            endingAt: nasty,
          },
          { requiredKeys: [] },
        ),
        (flags) => {
          const r = attempt(() => resolveRange(flags, now));
          if (r.error) assertClear(r.error, UsageError, RangeError, TypeError);
        },
      ),
      RUNS,
    );
  });

  test('intParser: digits within bounds, else InvalidArgumentError', () => {
    const parse = intParser('--n', 1, 100);
    fc.assert(
      fc.property(fc.oneof(nasty, fc.integer().map(String)), (value) => {
        const r = attempt(() => parse(value));
        if (r.error) return assertClear(r.error, InvalidArgumentError);
        assert.ok(Number.isInteger(r.value) && r.value! >= 1 && r.value! <= 100);
      }),
      RUNS,
    );
  });

  test("utcOffsetParser: a real zone's offset (−12:00 … +14:00, quarter hours), else InvalidArgumentError naming the flag", () => {
    const parse = utcOffsetParser('--bucket-utc-offset');
    fc.assert(
      fc.property(nasty, (value) => {
        const r = attempt(() => parse(value));
        if (r.error) {
          assertClear(r.error, InvalidArgumentError);
          return assert.match((r.error as Error).message, /^--bucket-utc-offset must be/);
        }
        assert.ok(
          Number.isInteger(r.value) && r.value! >= -720 && r.value! <= 840 && r.value! % 15 === 0,
        );
      }),
      RUNS,
    );
  });

  test('check --drop (parsePercent): a fraction in (0, 1) or a UsageError, in bounded time', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.double().map(String)), (value) => {
        const r = attempt(() => parsePercent('--drop', value));
        if (r.error) return assertClear(r.error, UsageError);
        assert.ok(r.value! > 0 && r.value! < 1);
      }),
      RUNS,
    );
  });

  test('check --drop (parsePercent): a flag of 50,000 spaces is refused in bounded time', () => {
    // `\s*%?\s*$` backtracks quadratically on a long run of spaces before a bad character.
    const r = attempt(() => parsePercent('--drop', `1${' '.repeat(50_000)}x`));
    assertClear(r.error, UsageError);
  });

  test('parseConfig: any JSON value gives a config or a UsageError naming the file', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            defaultProfile: fc.oneof(fc.string(), fc.jsonValue()),
            profiles: fc.dictionary(
              fc.string(),
              fc.oneof(
                fc.record(
                  { endpoint: fc.jsonValue(), apiKeyFile: fc.jsonValue(), apiKey: fc.string() },
                  { requiredKeys: [] },
                ),
                fc.jsonValue(),
              ),
            ),
          }),
        ),
        (json) => {
          const r = attempt(() => parseConfig(json, '/tmp/config.json'));
          if (r.error) {
            assertClear(r.error, UsageError);
            assert.ok((r.error as Error).message.includes('/tmp/config.json'));
          }
        },
      ),
      RUNS,
    );
  });

  test('loadConfig: any file content gives a config or a UsageError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'braze-config-'));
    try {
      const file = join(dir, 'config.json');
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
            fc.integer({ min: 1, max: 5000 }).map((n) => '['.repeat(n)),
          ),
          async (text) => {
            await writeFile(file, text);
            try {
              await loadConfig(file);
            } catch (error) {
              assertClear(error, UsageError);
            }
          },
        ),
        { numRuns: 150 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('other parsers', () => {
  test('parseDatabaseUrl: a target or a TypeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(nasty, fc.webUrl(), fc.constantFrom('postgres://', 'sqlite:', 'mysql://x')),
        (v) => {
          const r = attempt(() => parseDatabaseUrl(v));
          if (r.error) assertClear(r.error, TypeError);
        },
      ),
      RUNS,
    );
  });

  test('redactDatabaseUrl hides any password of a postgres URL', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9@%!$&*+=-]{8,24}$/), (password) => {
        fc.pre(!/^[A-Za-z0-9]*$/.test(password) || password.length >= 8);
        const url = `postgres://braze:${password}@db.internal:5432/braze`;
        assert.ok(
          !redactDatabaseUrl(url).includes(password),
          `${JSON.stringify(password)} shown in ${redactDatabaseUrl(url)}`,
        );
      }),
      RUNS,
    );
  });

  test('dashboard resolveRange: a range or a RangeError', () => {
    fc.assert(
      fc.property(
        fc.record({ from: fc.option(nasty), to: fc.option(nasty), days: fc.option(nasty) }),
        fc.constantFrom('day' as const, 'hour' as const),
        (params, unit) => {
          const r = attempt(() => dashboardRange(params, unit, Date.UTC(2026, 2, 3)));
          if (r.error) return assertClear(r.error, RangeError);
          assert.ok(r.value!.from < r.value!.to);
        },
      ),
      RUNS,
    );
  });

  test('check options: any numbers are resolved or refused with a RangeError', () => {
    const num = fc.oneof(fc.double(), fc.integer(), fc.constant(Number.NaN));
    fc.assert(
      fc.property(
        fc.record(
          { baseline: num, dropFraction: num, spike: num, minVolume: num, tolerance: num },
          { requiredKeys: [] },
        ),
        (options) => {
          const r = attempt(() => resolveDetectOptions(options));
          if (r.error) assertClear(r.error, RangeError);
        },
      ),
      RUNS,
    );
  });

  test('emulator fault and key specs: a rule or a RangeError/TypeError', () => {
    fc.assert(
      fc.property(nasty, (spec) => {
        const f = attempt(() => parseFaultSpec(spec));
        if (f.error) assertClear(f.error);
        const k = attempt(() => parseKeySpec(spec));
        if (k.error) assertClear(k.error);
      }),
      RUNS,
    );
  });
});
