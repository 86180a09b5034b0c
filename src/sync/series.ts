/**
 * A series is what one watermark tracks: event × unit × app × segment. `''` stands for
 * "not filtered", as in the `event_counts` table. Pure.
 */
import type { Unit } from '../api/constants.js';

export interface SeriesKey {
  event: string;
  unit: Unit;
  /** `''` when not limited to one app. */
  appId: string;
  /** `''` when not limited to one segment. */
  segmentId: string;
}

/** A stable string id of a series, for maps (JSON keeps names with any character apart). */
export function seriesId(key: SeriesKey): string {
  return JSON.stringify([key.event, key.unit, key.appId, key.segmentId]);
}

/**
 * Every series a sync covers: each event in each unit, for each app id and segment id
 * asked for (none asked: the unfiltered series only). Events first, so one event's series
 * are fetched close together.
 *
 * @example
 * expandSeries(['A'], ['day', 'hour'], [], ['s1']);
 * // [{A, day, '', s1}, {A, hour, '', s1}]
 */
export function expandSeries(
  events: readonly string[],
  units: readonly Unit[],
  appIds: readonly string[] = [],
  segmentIds: readonly string[] = [],
): SeriesKey[] {
  const apps = appIds.length > 0 ? appIds : [''];
  const segments = segmentIds.length > 0 ? segmentIds : [''];
  const out: SeriesKey[] = [];
  for (const event of events) {
    for (const unit of units) {
      for (const appId of apps) {
        for (const segmentId of segments) out.push({ event, unit, appId, segmentId });
      }
    }
  }
  return out;
}
