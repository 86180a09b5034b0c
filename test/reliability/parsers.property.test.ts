/**
 * Property-based tests (fast-check) of every input parser and validator: malformed input
 * gives a clear error (TypeError / RangeError / the CLI's UsageError / commander's
 * InvalidArgumentError), never a hang, a crash of another kind, or a silently wrong value.
 * Each call is also bounded in time (a generous hang detector, not a speed assertion).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import { resolveDetectOptions } from '../../src/check/index.js';
import { loadConfig, parseConfig } from '../../src/cli/config.js';
import { UsageError } from '../../src/cli/errors.js';
import { intParser } from '../../src/cli/parse.js';
import { parseDateFlag, resolveRange } from '../../src/cli/range.js';
import {
  createBrazeClient,
  findNextLink,
  formatIsoInstant,
  parseBucketTime,
  parseIsoInstant,
  parseLinkHeader,
  parseRateLimit,
  parseRetryAfter,
  resolveEndpoint,
} from '../../src/core/index.js';
import { resolveRange as dashboardRange } from '../../src/dashboard/index.js';
import {
  type Emulator,
  parseFaultSpec,
  parseKeySpec,
  startEmulator,
} from '../../src/emulator/index.js';
import { parseDatabaseUrl, redactDatabaseUrl } from '../../src/sync/index.js';

/** Longest a single parser call may take before it counts as a hang. */
const HANG_MS = 1000;
const RUNS = { numRuns: 300 };

/** Runs `fn`; returns its value or the error it threw; fails on a hang. */
function attempt<T>(fn: () => T): { value?: T; error?: unknown } {
  const start = performance.now();
  try {
    return { value: fn() };
  } catch (error) {
    return { error };
  } finally {
    const ms = performance.now() - start;
    assert.ok(ms < HANG_MS, `one call took ${Math.round(ms)} ms`);
  }
}

/** The error is one of the accepted, clear kinds, with a non-empty one-line message. */
function assertClear(error: unknown, ...kinds: Array<new (...args: never[]) => Error>) {
  const allowed = kinds.length ? kinds : [TypeError, RangeError];
  assert.ok(
    allowed.some((k) => error instanceof k),
    `expected ${allowed.map((k) => k.name).join('/')}, got ${String(error)}`,
  );
  const message = (error as Error).message;
  assert.ok(message.length > 0, 'a message');
  assert.ok(!message.includes('\n'), `one line: ${message.slice(0, 200)}`);
}

/** Strings a hostile or sloppy input would contain, long ones included. */
const nasty = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '2026-02-30',
    '2026-13-01',
    '2026-10-01T24:00',
    '2026-10-01T12:00:60Z',
    '2026-10-01T12:00+5:00',
    '-000001-01-01',
    '+275760-09-13',
    '9999-12-31T23:59:59.999999999Z',
    'NaN',
    'Infinity',
    '1e309',
    '0x1f',
    '999999d',
    '__proto__',
    'constructor',
  ),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => '9'.repeat(n)),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => '<'.repeat(n)),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => ';a='.repeat(n)),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => '"'.repeat(n)),
);

describe('core parsers', () => {
  test('parseIsoInstant: any string gives null or a finite instant, never a throw', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const r = attempt(() => parseIsoInstant(s));
        assert.equal(r.error, undefined);
        assert.ok(r.value === null || Number.isFinite(r.value));
      }),
      RUNS,
    );
  });

  test('parseIsoInstant agrees with the calendar for every 4-digit year (0000–9999)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const iso = d.toISOString();
          assert.equal(parseIsoInstant(iso), d.getTime(), iso);
          assert.equal(
            parseIsoInstant(iso.slice(0, 10)),
            Date.parse(`${iso.slice(0, 10)}T00:00:00Z`),
          );
        },
      ),
      RUNS,
    );
  });

  test('formatIsoInstant round-trips through parseIsoInstant', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (d) => {
          assert.equal(parseIsoInstant(formatIsoInstant(d)), d.getTime());
        },
      ),
      RUNS,
    );
  });

  test('parseBucketTime: a Date or a RangeError naming the value', () => {
    fc.assert(
      fc.property(nasty, fc.constantFrom('day' as const, 'hour' as const), (s, unit) => {
        const r = attempt(() => parseBucketTime(s, unit));
        if (r.error) assertClear(r.error, RangeError);
        else assert.ok(Number.isFinite(r.value!.getTime()));
      }),
      RUNS,
    );
  });

  test('parseRateLimit / parseRetryAfter: any header values give null or sane numbers', () => {
    const headerValue = fc.option(nasty, { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          limit: headerValue,
          remaining: headerValue,
          reset: headerValue,
          retry: headerValue,
          xretry: headerValue,
        }),
        (h) => {
          const map = new Map<string, string | null>([
            ['x-ratelimit-limit', h.limit],
            ['x-ratelimit-remaining', h.remaining],
            ['x-ratelimit-reset', h.reset],
            ['retry-after', h.retry],
            ['x-ratelimit-retry-after', h.xretry],
          ]);
          const now = Date.UTC(2026, 0, 1);
          const r = attempt(() => parseRateLimit({ get: (n) => map.get(n) ?? null }, now));
          assert.equal(r.error, undefined);
          const s = r.value!;
          for (const v of [s.limit, s.remaining, s.retryAfterMs]) {
            assert.ok(v === null || (Number.isFinite(v) && v >= 0), `value ${v}`);
          }
          assert.ok(s.resetAt === null || Number.isFinite(s.resetAt.getTime()));
          const ra = attempt(() => parseRetryAfter(h.retry, now));
          assert.ok(ra.value === null || (ra.value! >= 0 && Number.isFinite(ra.value)));
        },
      ),
      RUNS,
    );
  });

  test('parseLinkHeader / findNextLink: any header gives valid URLs or nothing, quickly', () => {
    const linkish = fc.oneof(
      nasty,
      fc
        .array(
          fc.tuple(fc.webUrl(), fc.constantFrom('next', 'prev', '"next"', 'NEXT', '"next prev"')),
          { maxLength: 5 },
        )
        .map((links) => links.map(([u, rel]) => `<${u}>; rel=${rel}`).join(', ')),
    );
    fc.assert(
      fc.property(linkish, (value) => {
        const base = 'https://rest.iad-01.braze.com/events';
        const r = attempt(() => parseLinkHeader(value, base));
        assert.equal(r.error, undefined);
        for (const link of r.value!) assert.doesNotThrow(() => new URL(link.uri));
        const next = attempt(() => findNextLink(value, base));
        assert.equal(next.error, undefined);
      }),
      RUNS,
    );
  });

  test('resolveEndpoint: https, loopback http, or a TypeError/RangeError; never credentials', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nasty,
          fc.webUrl({ withQueryParameters: true, withFragments: true }),
          fc.webUrl().map((u) => u.replace(/^https:/, 'http:')),
          fc.constantFrom('us-01', 'EU-02', 'us-09', 'http://[::1]:8080', 'http://user:pw@x.com'),
        ),
        (value) => {
          const r = attempt(() => resolveEndpoint(value));
          if (r.error) return assertClear(r.error);
          const url = new URL(r.value!);
          assert.ok(
            url.protocol === 'https:' ||
              ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) ||
              url.hostname.endsWith('.localhost') ||
              url.hostname.startsWith('127.'),
            `http:// to ${url.hostname} accepted`,
          );
          assert.equal(url.username + url.password, '');
        },
      ),
      RUNS,
    );
  });

  test('http:// to any non-loopback host is refused unless allowInsecureHttp', () => {
    fc.assert(
      fc.property(fc.domain(), (host) => {
        fc.pre(host !== 'localhost' && !host.endsWith('.localhost'));
        const r = attempt(() => resolveEndpoint(`http://${host}`));
        assertClear(r.error, RangeError);
        assert.match(resolveEndpoint(`http://${host}`, { allowInsecureHttp: true }), /^http:/);
      }),
      RUNS,
    );
  });

  test('createBrazeClient: any option value is accepted or refused naming the option', () => {
    const names = [
      'timeoutMs',
      'maxRetries',
      'maxConcurrency',
      'maxRetryWaitMs',
      'maxShareOfLimit',
      'rateLimitReserve',
      'maxResponseBytes',
      'bucketUtcOffsetMinutes',
      'userAgent',
      'fetch',
      'sleep',
      'now',
      'random',
      'logger',
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.anything(), (name, value) => {
        const r = attempt(() =>
          createBrazeClient({ apiKey: 'k', endpoint: 'US-01', [name]: value } as never),
        );
        if (r.error) {
          assertClear(r.error);
          assert.ok((r.error as Error).message.includes(name), (r.error as Error).message);
        }
      }),
      RUNS,
    );
  });
});

describe('request validation sends nothing', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ events: 3 });
  });
  after(() => emulator.close());

  test('getEventSeries / eventSeries: bad input is a named TypeError/RangeError, zero requests', async () => {
    const client = createBrazeClient({ apiKey: 'emulator-key', endpoint: emulator.url });
    const bad = fc.record(
      {
        event: fc.oneof(fc.constant(''), fc.anything()),
        length: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.double(), fc.anything()),
        unit: fc.oneof(fc.constantFrom('day', 'hour', 'week', 'DAY'), fc.anything()),
        endingAt: fc.oneof(nasty, fc.date(), fc.anything()),
        since: fc.oneof(nasty, fc.date(), fc.anything()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(bad, async (options) => {
        emulator.clearRequests();
        let error: unknown;
        try {
          // Only calls that fail validation are of interest; valid ones may hit the emulator.
          await client.getEventSeries(options as never);
        } catch (e) {
          error = e;
        }
        if (error !== undefined && (error instanceof TypeError || error instanceof RangeError)) {
          assertClear(error);
          assert.equal(emulator.requests().length, 0, 'no request after a validation error');
        }
        emulator.clearRequests();
        try {
          const it = client.eventSeries(options as never);
          for await (const _ of it) break;
        } catch (e) {
          if (e instanceof TypeError || e instanceof RangeError) {
            assertClear(e);
            assert.equal(emulator.requests().length, 0, 'no request after a validation error');
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

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

describe('error messages', () => {
  test('quote a bad value in bounded form (a 20,000-character flag is not echoed whole)', () => {
    const huge = ';a='.repeat(7000);
    const cases: Array<[string, () => unknown]> = [
      ['core resolveEndpoint', () => resolveEndpoint(huge)],
      ['core getEventSeries validation (describe)', () => parseBucketTime(huge, 'day')],
      ['cli parseDateFlag', () => parseDateFlag('--since', huge, new Date())],
      ['cli intParser', () => intParser('--n', 1, 100)(huge)],
      ['cli parseConfig', () => parseConfig({ profiles: { [huge]: 1 } }, '/tmp/c.json')],
      ['sync parseDatabaseUrl', () => parseDatabaseUrl(`postgres://[${huge}`)],
      ['dashboard resolveRange', () => dashboardRange({ days: huge }, 'day', Date.UTC(2026, 0, 1))],
      ['emulator parseFaultSpec', () => parseFaultSpec(huge)],
    ];
    const unbounded: string[] = [];
    for (const [name, fn] of cases) {
      const r = attempt(fn);
      assert.ok(r.error !== undefined, `${name} refuses it`);
      const length = (r.error as Error).message.length;
      if (length > 1000) unbounded.push(`${name} (${length} chars)`);
    }
    assert.deepEqual(unbounded, [], `messages echoing the whole input: ${unbounded.join(', ')}`);
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
          { baseline: num, drop: num, spike: num, minVolume: num, tolerance: num },
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
