import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createBrazeClient } from '../../src/core/client.js';
import {
  validateApiKey,
  validateEventName,
  validateInstant,
  validateLength,
  validateMaxItems,
  validateNonNegativeInteger,
  validateShare,
  validateUnit,
} from '../../src/core/validate.js';

describe('validation', () => {
  test('event: missing or empty, naming the option', () => {
    assert.throws(() => validateEventName('event', undefined), {
      name: 'TypeError',
      message: /event.*undefined/,
    });
    assert.throws(() => validateEventName('event', ''), {
      name: 'RangeError',
      message: /event.*""/,
    });
    assert.equal(validateEventName('event', 'Café ✓'), 'Café ✓');
    // Half an emoji has no UTF-8 form: before, encodeURIComponent threw "URI malformed"
    // mid-request; now the option and the reason are named before any request.
    assert.throws(() => validateEventName('event', 'Party \ud83c'), {
      name: 'RangeError',
      message: /^event holds half an emoji \(a lone surrogate, U\+D83C\).*got "Party \\ud83c"$/,
    });
    assert.equal(validateEventName('event', 'Party 🎉'), 'Party 🎉');
  });

  test('length: integer 1..100', () => {
    for (const bad of [0, 101, 1.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => validateLength('length', bad), {
        name: 'RangeError',
        message: new RegExp(`length.*${String(bad)}`),
      });
    }
    assert.throws(() => validateLength('length', '10'), {
      name: 'TypeError',
      message: /length.*"10"/,
    });
    assert.equal(validateLength('length', 1), 1);
    assert.equal(validateLength('length', 100), 100);
  });

  test('unit: day or hour', () => {
    assert.throws(() => validateUnit('unit', 'week', 'day'), {
      name: 'RangeError',
      message: /unit.*"week"/,
    });
    assert.throws(() => validateUnit('unit', 3, 'day'), { name: 'TypeError', message: /unit.*3/ });
    assert.equal(validateUnit('unit', undefined, 'day'), 'day');
    assert.equal(validateUnit('unit', 'hour', 'day'), 'hour');
  });

  test('choices: the client options that take one of a few strings, each named with its choices', () => {
    for (const [option, good] of [
      ['hourBuckets', 'utc'],
      ['seriesCompleteness', 'lenient'],
    ] as const) {
      const client = (value: unknown) =>
        createBrazeClient({ apiKey: 'k', endpoint: 'US-03', [option]: value });
      assert.throws(() => client('loose'), {
        name: 'RangeError',
        option,
        value: 'loose',
        message: new RegExp(`^${option} must be one of \\w+, \\w+, got "loose"$`),
      });
      // Not a string at all: a wrong type.
      assert.throws(() => client(7), { name: 'TypeError', option, value: 7 });
      assert.doesNotThrow(() => client(good));
    }
    assert.equal(
      createBrazeClient({ apiKey: 'k', endpoint: 'US-03' }).bucketZone.hourBuckets,
      'local',
    );
  });

  test('instants: Date or ISO string; unparseable named', () => {
    assert.throws(() => validateInstant('endingAt', 'yesterday'), {
      name: 'RangeError',
      message: /endingAt.*"yesterday"/,
    });
    assert.throws(() => validateInstant('endingAt', new Date('x')), {
      name: 'RangeError',
      message: /endingAt.*invalid Date/,
    });
    assert.throws(() => validateInstant('since', 1234), {
      name: 'TypeError',
      message: /since.*1234/,
    });
    assert.equal(
      validateInstant('endingAt', '2014-12-10T23:59:59-05:00'),
      Date.parse('2014-12-11T04:59:59Z'),
    );
    assert.equal(validateInstant('endingAt', '2022-12-09'), Date.parse('2022-12-09T00:00:00Z'));
  });

  test('instants: a Date outside years 0000–9999 is named, since no ISO date Braze reads holds it', () => {
    assert.throws(() => validateInstant('since', new Date(-8.64e15)), {
      name: 'RangeError',
      message: /^since must be within years 0000–9999, got -271821-04-20T00:00:00\.000Z$/,
    });
    assert.throws(() => validateInstant('until', new Date('+010000-01-01T00:00:00Z')), {
      name: 'RangeError',
      message: /until.*\+010000/,
    });
    const first = new Date('0000-01-01T00:00:00Z');
    assert.equal(validateInstant('since', first), first.getTime());
    const last = new Date('9999-12-31T23:59:59.999Z');
    assert.equal(validateInstant('since', last), last.getTime());
  });

  test('page and maxItems: non-negative integers', () => {
    assert.throws(() => validateNonNegativeInteger('page', -1), {
      name: 'RangeError',
      message: /page.*-1/,
    });
    assert.throws(() => validateNonNegativeInteger('page', 1.5), {
      name: 'RangeError',
      message: /page.*1\.5/,
    });
    assert.throws(() => validateNonNegativeInteger('page', '1'), {
      name: 'TypeError',
      message: /page.*"1"/,
    });
    assert.equal(validateMaxItems('maxItems', undefined), Number.POSITIVE_INFINITY);
    assert.throws(() => validateMaxItems('maxItems', -3), {
      name: 'RangeError',
      message: /maxItems.*-3/,
    });
  });

  test('share in (0, 1]', () => {
    assert.throws(() => validateShare('maxShareOfLimit', 0, 1), /maxShareOfLimit.*0/);
    assert.throws(() => validateShare('maxShareOfLimit', 1.5, 1), /maxShareOfLimit.*1\.5/);
    assert.equal(validateShare('maxShareOfLimit', 0.5, 1), 0.5);
  });

  test('apiKey errors never show the value', () => {
    for (const bad of ['"quoted-secret-key"', 'with space-secret', 'new\nline-secret']) {
      assert.throws(
        () => validateApiKey(bad),
        (e: Error) => e instanceof TypeError && !e.message.includes('secret'),
      );
    }
    assert.throws(() => validateApiKey(undefined), TypeError);
    assert.throws(() => validateApiKey(''), TypeError);
    assert.equal(validateApiKey(' key-1 '), 'key-1');
  });

  test('property: length accepts exactly the integers 1..100', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (n) => {
        const ok = Number.isInteger(n) && n >= 1 && n <= 100;
        if (ok) assert.equal(validateLength('length', n), n);
        else assert.throws(() => validateLength('length', n), RangeError);
      }),
    );
  });
});
