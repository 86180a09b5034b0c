/**
 * The one helper that shows outside text to people: control characters of a name escaped,
 * nothing else changed; and the predicates that tell one event's failure from the run's.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import * as optionErrors from '../../src/api/option-errors.js';
import { escapeControlChars, quoteInput, quoteList } from '../../src/api/quote.js';
import { createBrazeClient } from '../../src/core/client.js';
import { BrazeHttpError, BrazeNetworkError, isEventScopedError } from '../../src/core/errors.js';
import { eventNameProblem } from '../../src/core/validate.js';

/** Anything a terminal could act on, or that reorders or hides text. */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('escapeControlChars', () => {
  test('escapes ESC, BEL, C1 CSI, bidi overrides, separators and half an emoji', () => {
    assert.equal(
      escapeControlChars('a\u001b[2J\u001b]0;title\u0007b'),
      'a\\x1b[2J\\x1b]0;title\\x07b',
    );
    assert.equal(escapeControlChars('x\u009b31my'), 'x\\u009b31my');
    assert.equal(escapeControlChars('abc\u202edef\u2066g\u2069'), 'abc\\u202edef\\u2066g\\u2069');
    assert.equal(escapeControlChars('a\tb\nc\rd\u007f\u2028'), 'a\\tb\\nc\\rd\\u007f\\u2028');
    assert.equal(escapeControlChars('Party \ud83c'), 'Party \\ud83c');
    assert.equal(escapeControlChars('\udf89 tail'), '\\udf89 tail');
  });

  test('leaves ordinary names alone: accents, emoji with ZWJ, quotes, backslashes', () => {
    for (const name of ['Café crème', '👩‍💻 Dev', 'a "b" \\x1b', 'Søk & Finn / "beta"', '100%']) {
      assert.equal(escapeControlChars(name), name);
    }
  });

  test('property: the result holds no unsafe character, and safe text is unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const out = escapeControlChars(s);
        assert.ok(!UNSAFE.test(out), JSON.stringify(out));
        if (!UNSAFE.test(s)) assert.equal(out, s);
      }),
    );
  });

  test('quoteInput shows a Date by its instant, a bigint with its n, other objects by kind', () => {
    assert.equal(quoteInput(new Date('2026-11-01T00:00:00Z')), 'Date(2026-11-01T00:00:00.000Z)');
    assert.equal(quoteInput(new Date(Number.NaN)), 'an invalid Date');
    assert.equal(quoteInput(10n), '10n');
    assert.equal(quoteInput([1]), 'an array');
    assert.equal(quoteInput({ a: 1 }), 'an object');
    assert.equal(quoteInput(undefined), 'undefined');
  });

  test("the library's option errors quote with it: bidi escaped, a long value cut with its length", () => {
    // There is one describer: no second one exported beside the option errors.
    assert.equal('describe' in optionErrors, false);
    const bad = `${'x'.repeat(100)}\u202e`;
    assert.throws(
      () => createBrazeClient({ apiKey: 'k-1234567890', endpoint: 'US-03', userAgent: bad }),
      (e: Error) =>
        e.message.endsWith(`got ${quoteInput(bad)}`) && e.message.includes('(101 chars)'),
    );
    assert.throws(
      () => createBrazeClient({ apiKey: 'k-1234567890', endpoint: 'US-03', userAgent: 'a\u202eb' }),
      (e: Error) => e.message.endsWith('got "a\\u202eb"'),
    );
  });

  test('quoteInput stays JSON string syntax, C1 and bidi escaped too', () => {
    const q = quoteInput('a\u001b\u009b\u202e\ud83c');
    assert.equal(q, '"a\\u001b\\u009b\\u202e\\ud83c"');
    assert.equal(JSON.parse(q), 'a\u001b\u009b\u202e\ud83c');
    assert.equal(quoteList(['a', 'b', 'c', 'd'], 2), '"a", "b" and 2 more');
    assert.equal(quoteList(['$Purchase']), '"$Purchase"');
  });
});

describe('which failures are one event’s', () => {
  const http = (status: number) =>
    new BrazeHttpError({
      status,
      brazeMessage: null,
      method: 'GET',
      url: '/events/data_series?event=x',
      requestId: null,
      rateLimit: { limit: null, remaining: null, resetAt: null, retryAfterMs: null },
      bodyExcerpt: '',
      message: `failed: ${status}`,
    });

  test('a 4xx about the request is; the key, the budget, time-outs and 5xx are not', () => {
    for (const s of [400, 404, 405, 409, 410, 413, 414, 422])
      assert.ok(isEventScopedError(http(s)), String(s));
    for (const s of [401, 403, 408, 429, 500, 502, 503])
      assert.ok(!isEventScopedError(http(s)), String(s));
    assert.ok(
      !isEventScopedError(new BrazeNetworkError({ method: 'GET', url: '/', detail: 'reset' })),
    );
    assert.ok(!isEventScopedError(new RangeError('x')));
  });

  test('a name with half an emoji cannot be sent; whole emoji and ZWJ sequences can', () => {
    assert.match(eventNameProblem('Party \ud83c') ?? '', /half an emoji.*U\+D83C/);
    assert.match(eventNameProblem('\udf89 x') ?? '', /U\+DF89/);
    assert.equal(eventNameProblem('Party 🎉 👩‍💻'), undefined);
  });
});
