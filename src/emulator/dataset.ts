/**
 * An explicit data set (`--data FILE`, format in README.md) as a Workspace. Counts are
 * keyed by local day (`YYYY-MM-DD`, spread evenly over its 24 hours) or local hour
 * (`YYYY-MM-DDTHH`); both forms add up. Per-app and per-segment counts are served as
 * given: their consistency with the totals is the file author's business.
 */

import { BrazeOptionRangeError, BrazeOptionTypeError } from '../api/option-errors.js';
import { quoteInput } from '../api/quote.js';
import { dayNumber } from '../api/time.js';
import type { WireCustomEvent } from '../api/types.js';
import type { DatasetCounts, EmulatorDataset } from './types.js';
import { nameIndex, type Workspace } from './workspace.js';

type DayMap = Map<number, Float64Array>;

const KEY = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}))?$/;

function toDayMap(counts: DatasetCounts | undefined, where: string): DayMap {
  const map: DayMap = new Map();
  if (counts === undefined) return map;
  if (typeof counts !== 'object' || counts === null)
    throw new BrazeOptionTypeError('data', counts, `${where} must be an object`);
  for (const [key, value] of Object.entries(counts)) {
    const m = KEY.exec(key);
    const day = m === null ? Number.NaN : dayNumber(m[1] as string);
    const hour = m?.[2] === undefined ? -1 : Number(m[2]);
    if (Number.isNaN(day) || hour > 23) {
      throw new BrazeOptionRangeError(
        'data',
        key,
        `${where}: key must be YYYY-MM-DD or YYYY-MM-DDTHH; got ${JSON.stringify(key)}`,
      );
    }
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new BrazeOptionRangeError(
        'data',
        value,
        `${where}[${JSON.stringify(key)}] must be a non-negative integer; got ${String(value)}`,
      );
    }
    let hours = map.get(day);
    if (hours === undefined) {
      hours = new Float64Array(24);
      map.set(day, hours);
    }
    if (hour >= 0) {
      hours[hour] = (hours[hour] as number) + value;
    } else {
      // Spread evenly by rounding the running sum: the 24 parts sum to exactly `value`.
      for (let h = 0; h < 24; h++) {
        hours[h] =
          (hours[h] as number) + Math.round((value * (h + 1)) / 24) - Math.round((value * h) / 24);
      }
    }
  }
  return map;
}

interface LoadedEvent {
  total: DayMap;
  apps: DayMap[];
  segments: DayMap[];
}

/**
 * @example
 * createDatasetWorkspace({ events: [{ name: 'Signup', counts: { '2026-11-01': 42 } }] });
 */
export function createDatasetWorkspace(data: EmulatorDataset): Workspace {
  if (typeof data !== 'object' || data === null || !Array.isArray(data.events)) {
    throw new BrazeOptionTypeError('data', data, 'data must be an object with an "events" array');
  }
  const apps = data.apps ?? [];
  const segments = data.segments ?? [];
  for (const [i, x] of [...apps, ...segments].entries()) {
    if (typeof x?.id !== 'string' || typeof x.name !== 'string') {
      throw new BrazeOptionTypeError(
        'data',
        x,
        `data apps/segments[${i}] must have string "id" and "name"`,
      );
    }
  }
  const sorted = [...data.events].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  const loaded: LoadedEvent[] = [];
  const events: WireCustomEvent[] = sorted.map((e) => {
    if (typeof e?.name !== 'string' || e.name === '')
      throw new BrazeOptionTypeError(
        'data',
        e?.name,
        `data events[].name must be a non-empty string; got ${quoteInput(e?.name)}`,
      );
    if (seen.has(e.name))
      throw new BrazeOptionRangeError(
        'data',
        e.name,
        `data events: duplicate name ${JSON.stringify(e.name)}`,
      );
    seen.add(e.name);
    const where = `data events[${JSON.stringify(e.name)}]`;
    for (const id of Object.keys(e.apps ?? {})) {
      if (!apps.some((a) => a.id === id))
        throw new BrazeOptionRangeError(
          'data',
          id,
          `${where}.apps: unknown app id ${JSON.stringify(id)}`,
        );
    }
    for (const id of Object.keys(e.segments ?? {})) {
      if (!segments.some((s) => s.id === id)) {
        throw new BrazeOptionRangeError(
          'data',
          id,
          `${where}.segments: unknown segment id ${JSON.stringify(id)}`,
        );
      }
    }
    loaded.push({
      total: toDayMap(e.counts, `${where}.counts`),
      apps: apps.map((a) => toDayMap(e.apps?.[a.id], `${where}.apps.${a.id}`)),
      segments: segments.map((s) => toDayMap(e.segments?.[s.id], `${where}.segments.${s.id}`)),
    });
    return {
      name: e.name,
      description: e.description ?? '',
      included_in_analytics_report: e.included_in_analytics_report ?? false,
      status: e.status ?? 'Active',
      tag_names: e.tag_names ?? [],
    };
  });

  const dayHours: Workspace['dayHours'] = (eventIndex, day, filter, adjust, adjustFrom, out) => {
    out.fill(0);
    const e = loaded[eventIndex];
    if (e === undefined) return;
    // With both filters the data set has no per-app segment counts: the segment's apply.
    const map =
      filter.segmentIndex >= 0
        ? e.segments[filter.segmentIndex]
        : filter.appIndex >= 0
          ? e.apps[filter.appIndex]
          : e.total;
    const hours = map?.get(day);
    if (hours === undefined) return;
    for (let h = 0; h < 24; h++) {
      const cell = hours[h] as number;
      out[h] = adjust !== null && day * 24 + h >= adjustFrom ? adjust(cell, day * 24 + h) : cell;
    }
  };

  return { events, apps, segments, anomalies: [], indexOf: nameIndex(events), dayHours };
}
