/**
 * Shared pieces of the property-based tests: a hang-detecting call wrapper, the check that
 * an error is a clear one, and the strings a hostile or sloppy input holds.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';

/** Longest a single parser call may take before it counts as a hang. */
export const HANG_MS = 1000;
export const RUNS = { numRuns: 300 };

/** Runs `fn`; returns its value or the error it threw; fails on a hang. */
export function attempt<T>(fn: () => T): { value?: T; error?: unknown } {
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
export function assertClear(error: unknown, ...kinds: Array<new (...args: never[]) => Error>) {
  const allowed = kinds.length ? kinds : [TypeError, RangeError];
  assert.ok(
    allowed.some((k) => error instanceof k),
    `expected ${allowed.map((k) => k.name).join('/')}, got ${String(error)}`,
  );
  // Length and line breaks of messages are checked, deterministically, under 'error messages'.
  assert.ok((error as Error).message.length > 0, 'a message');
}

/** Strings a hostile or sloppy input would contain, long ones included. */
export const nasty = fc.oneof(
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
