/**
 * The fixed "now" of the test suite. Every test whose outcome depends on the current
 * instant (which buckets are complete, the default backfill, rate-limit windows) runs at
 * this instant instead of the real clock, so it passes the same at any hour of any day.
 *
 * Why this instant: mid-day and mid-hour (13:30:07 UTC), so no day or hour boundary lies
 * within a few minutes of it in any zone the tests use from -05:00 to +05:30 (a boundary
 * close by would let a small wait cross it); seconds not zero, so nothing is aligned to a
 * bucket by accident; mid-June, so the default backfill (100 days) spans several months
 * but no year boundary; far from the real clock, so a test that leaks the real time in
 * fails loudly instead of passing today.
 */
export const NOW = Date.UTC(2026, 5, 15, 13, 30, 7);

/** `NOW` as the ISO string the CLI and the emulator print. */
export const NOW_ISO = new Date(NOW).toISOString();

/** The UTC day of `NOW`, `YYYY-MM-DD`. */
export const NOW_DAY = NOW_ISO.slice(0, 10);

/** The UTC day `days` before (negative: after) NOW's day, `YYYY-MM-DD`. */
export function dayBefore(days: number, from: number = NOW): string {
  return new Date(from - days * 86_400_000).toISOString().slice(0, 10);
}
