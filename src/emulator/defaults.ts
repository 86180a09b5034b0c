/**
 * Every default of the emulator, named and documented once (README.md repeats them).
 */
import { HOUR_TIME_FORMATS } from '../api/time.js';
import type { HourFormat } from './types.js';

/** Seed of the synthetic workspace when none is given. */
export const DEFAULT_EMULATOR_SEED = 1;

/** The key accepted when no `keys` are given; it carries every permission. */
export const EMULATOR_DEFAULT_KEY = 'emulator-key';

/**
 * Synthetic events by default: 612 gives /events/list 3 pages (250, 250, 112) and /events
 * 13 pages of up to 50, so paging code meets full, partial and last pages.
 */
export const DEFAULT_EVENT_COUNT = 612;

/** Bind address: loopback only unless told otherwise. */
export const DEFAULT_EMULATOR_HOST = '127.0.0.1';

/** Port 0: any free port (read it back from `emulator.url`). */
export const DEFAULT_EMULATOR_PORT = 0;

/** Length of one rate-limit "hour" (scale it down to cross windows quickly in tests). */
export const DEFAULT_HOUR_MS = 3_600_000;

/** UTC offset of day/hour buckets, in minutes (Braze's zone is undocumented; UTC). */
export const DEFAULT_ZONE_OFFSET_MINUTES = 0;

/**
 * What an `ending_at` after the emulator's clock gets: `reject`, a 400, as a user of the API
 * reports Braze answering (docs/BRAZE_API.md); `accept` answers with the buckets so far.
 * Rejecting is the default: a stand-in at least as strict as the strictest report keeps a
 * client honest whichever way Braze really behaves.
 */
export const DEFAULT_FUTURE_ENDING_AT: FutureEndingAt = 'reject';

/** The answers to an `ending_at` after the clock (`futureEndingAt`, `--future-ending-at`). */
export const FUTURE_ENDING_AT = ['reject', 'accept'] as const;

/** What an `ending_at` after the clock gets: one of {@link FUTURE_ENDING_AT}. */
export type FutureEndingAt = (typeof FUTURE_ENDING_AT)[number];

/**
 * Forms of hourly `time` values (`hourFormat`, `--hour-format`): `z`, `offset` or
 * `fractional` (the time module's own list; Braze's exact form is unknown).
 */
export const HOUR_FORMATS: readonly HourFormat[] = HOUR_TIME_FORMATS;

/** Form of hourly `time` values (Braze's exact form is unknown). */
export const DEFAULT_HOUR_FORMAT: HourFormat = 'offset';

/** Forms of the `Link` header's URLs (`linkStyle`, `--link-style`). */
export const LINK_STYLES = ['absolute', 'relative'] as const;

/** Form of the `Link` header's URLs: one of {@link LINK_STYLES}. */
export type LinkStyle = (typeof LINK_STYLES)[number];

/**
 * Absolute URLs by default (`http://host/events?cursor=…`); whether Braze sends relative or
 * absolute ones is not known (docs/BRAZE_API.md), so both can be served.
 */
export const DEFAULT_LINK_STYLE: LinkStyle = 'absolute';

/**
 * Seeded anomalies, stopped and newly started events fall in the 90 days before this day.
 * Fixed (not "today") so that two emulators with the same seed always agree.
 */
export const DEFAULT_ANCHOR = '2026-11-01';

/** Days before the anchor in which seeded anomalies, stops and starts are placed. */
export const ANOMALY_WINDOW_DAYS = 90;

/** `restate()` defaults: the last 3 day buckets, +10%. */
export const DEFAULT_RESTATE_DAYS = 3;
export const DEFAULT_RESTATE_FACTOR = 1.1;

/** Default `delayMs` of the `delay` and `slow` faults. */
export const DEFAULT_FAULT_DELAY_MS = 100;

/** Chunks a `slow` body is split into. */
export const SLOW_BODY_CHUNKS = 8;

/** Request log entries kept (oldest dropped first), so a long benchmark stays bounded. */
export const MAX_REQUEST_LOG = 100_000;

/** Reserved path prefix of the control API (no auth, never rate limited, never logged). */
export const CONTROL_PREFIX = '/_emulator/';
