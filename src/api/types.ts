/**
 * Wire shapes of the three endpoints, exactly as Braze sends them (snake_case).
 * The client maps them to camelCase results; the emulator produces them.
 */
import type { Unit } from './constants.js';

/** Body of GET /events/list. */
export interface EventsListBody {
  events: string[];
  message: string;
}

/** One custom event as GET /events returns it. */
export interface WireCustomEvent {
  name: string;
  description: string;
  included_in_analytics_report: boolean;
  /** Only "Active" is documented; other statuses are inferred possible. */
  status: string;
  tag_names: string[];
}

/** Body of GET /events. */
export interface EventsBody {
  events: WireCustomEvent[];
  message: string;
}

/** One point of GET /events/data_series. `time` is kept exactly as Braze sent it. */
export interface SeriesPoint {
  time: string;
  count: number;
}

/** Body of GET /events/data_series. */
export interface DataSeriesBody {
  data: SeriesPoint[];
  message: string;
}

/** Query parameters of GET /events/data_series, wire names. */
export interface DataSeriesQuery {
  event: string;
  length: number;
  unit?: Unit;
  ending_at?: string;
  app_id?: string;
  segment_id?: string;
}

/** Body of an error response (real export errors are usually only `message`). */
export interface ErrorBody {
  message: string;
  errors?: unknown[];
}
