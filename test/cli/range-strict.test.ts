import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { quoteInput } from '../../src/api/quote.js';
import { UsageError } from '../../src/cli/errors.js';
import { parseDateFlag } from '../../src/cli/range.js';

const NOW = new Date('2026-11-27T10:30:00Z');
const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);

describe('date flags accept exactly what the client accepts', () => {
  test('hour 24, a lower-case t and ages before year 0000 are usage errors naming the flag', () => {
    assert.throws(() => parseDateFlag('--since', '2026-10-01T24:00', NOW), usage(/^--since must/));
    assert.throws(() => parseDateFlag('--until', '2026-10-01t12:00Z', NOW), usage(/^--until must/));
    assert.throws(() => parseDateFlag('--since', '105759w', NOW), usage(/year 0000.*"105759w"/));
  });

  test('odd spellings the client takes are normalised', () => {
    assert.equal(parseDateFlag('--since', '2026-10-01 12:00z', NOW), '2026-10-01T12:00Z');
    assert.equal(
      parseDateFlag('--since', '2026-10-01T12:00-5:00', NOW),
      '2026-10-01T17:00:00.000Z',
    );
    assert.equal(parseDateFlag('--since', '0000-01-01', NOW), '0000-01-01');
  });

  test('a long bad value is quoted in bounded form', () => {
    assert.equal(quoteInput('x'.repeat(100)), `"${'x'.repeat(80)}…" (100 chars)`);
    assert.throws(
      () => parseDateFlag('--since', '9'.repeat(20_000), NOW),
      (e: unknown) => e instanceof UsageError && e.message.length < 300,
    );
  });
});
