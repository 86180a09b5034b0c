/**
 * Property-based tests (fast-check) of the client's parsers and validators: ISO instants,
 * bucket times, rate-limit and Link headers, endpoints, client options and request
 * options. Malformed input gives a TypeError/RangeError naming the option, never a hang, a
 * crash of another kind or a silently wrong value; invalid requests send nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import {
  formatIsoInstant,
  formatUtcOffset,
  MAX_UTC_OFFSET_MINUTES,
  MIN_UTC_OFFSET_MINUTES,
  parseBucketTime,
  parseIsoInstant,
  parseIsoInstantByPattern,
  parseUtcOffset,
} from '../../src/api/time.js';
import { createBrazeClient } from '../../src/core/client.js';
import { resolveEndpoint } from '../../src/core/endpoint.js';
import { findNextLink, parseLinkHeader } from '../../src/core/link-header.js';
import { parseRateLimit, parseRetryAfter } from '../../src/core/rate-limit.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { assertClear, attempt, nasty, RUNS } from './property-helpers.js';

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

  test("the fast path for Braze's bucket shapes agrees with the general pattern", () => {
    // Strings of exactly the fast path's lengths, built from the characters that matter
    // (digits, separators, signs, zones, whitespace), so near-misses are common.
    const char = fc.constantFrom(...'0123456789012345678901234567890123456789-:T Zz+.,'.split(''));
    const ofLength = (n: number) => fc.array(char, { minLength: n, maxLength: n });
    const shaped = fc.tuple(
      fc.integer({ min: 0, max: 9999 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 24 }),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 60 }),
      fc.constantFrom('', 'Z', '+00:00', '-05:00', '+05:30', '+24:00', '-00:61', 'z', '+0000'),
    );
    const pad = (v: number, n: number) => String(v).padStart(n, '0');
    const candidates = fc.oneof(
      shaped.map(([y, mo, d, h, mi, s, zone]) => {
        const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
        return h === 24 ? date : `${date}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${zone}`;
      }),
      fc.constantFrom(10, 19, 20, 25).chain((n) => ofLength(n).map((cs) => cs.join(''))),
    );
    fc.assert(
      fc.property(candidates, fc.integer({ min: -720, max: 840 }), (text, offset) => {
        assert.equal(
          parseIsoInstant(text, offset),
          parseIsoInstantByPattern(text, offset),
          JSON.stringify(text),
        );
      }),
      { ...RUNS, numRuns: Math.max(RUNS.numRuns ?? 100, 2000) },
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

  test("parseUtcOffset: any string gives null or a real zone's offset (−12:00 … +14:00, quarter hours); formats round-trip", () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const r = attempt(() => parseUtcOffset(s));
        assert.equal(r.error, undefined);
        const minutes = r.value ?? null;
        assert.ok(
          minutes === null ||
            (Number.isInteger(minutes) &&
              minutes >= MIN_UTC_OFFSET_MINUTES &&
              minutes <= MAX_UTC_OFFSET_MINUTES &&
              minutes % 15 === 0),
        );
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: MIN_UTC_OFFSET_MINUTES / 15, max: MAX_UTC_OFFSET_MINUTES / 15 })
          .map((quarters) => quarters * 15),
        (minutes) => {
          const text = formatUtcOffset(minutes);
          assert.match(text, /^[+-]\d\d:\d\d$/);
          assert.equal(parseUtcOffset(text), minutes);
          assert.equal(parseUtcOffset(text.replace(':', '')), minutes);
        },
      ),
      RUNS,
    );
    for (const [text, want] of [
      ['Z', 0],
      ['utc', 0],
      ['-00:00', 0],
      ['+5', 300],
      ['-5:30', -330],
      [' +14:00 ', 840],
      ['+18:01', null],
      ['+14:15', null],
      ['-12:15', null],
      ['-12:00', -720],
      ['+12:45', 765],
      ['+05:07', null],
      ['-09:30', -570],
      ['+05:60', null],
      ['05:00', null],
      ['EST', null],
      ['', null],
    ] as const) {
      assert.equal(parseUtcOffset(text), want, text);
    }
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
