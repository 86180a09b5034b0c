/**
 * Notices the client emits through `onNotice` (see `ClientNotice`): the one hook through
 * which a caller learns of waits, early-stopped listings and endpoint rewrites, so a CLI can
 * say them while the library never prints.
 */
import { formatIsoInstant } from '../api/time.js';
import type { ClientNotice } from './types.js';

/** Emits a notice; never throws (a failing handler must not fail a request). */
export type Notify = (notice: ClientNotice) => void;

/**
 * A pause for people: `900 ms`, `12 s`, `3 min 5 s`, `1 h 2 min`.
 *
 * @example `formatDuration(185_000) // '3 min 5 s'`
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  const h = Math.floor(minutes / 60);
  const min = minutes % 60;
  const sec = s % 60;
  if (h > 0) return min > 0 ? `${h} h ${min} min` : `${h} h`;
  return sec > 0 ? `${min} min ${sec} s` : `${min} min`;
}

/**
 * The end of a pause, in UTC to the second (`2026-11-29T13:00:00Z`).
 *
 * @example `formatUntil(Date.UTC(2026, 10, 29, 13)) // '2026-11-29T13:00:00Z'`
 */
export function formatUntil(epochMs: number): string {
  return formatIsoInstant(new Date(Math.ceil(epochMs / 1000) * 1000));
}
