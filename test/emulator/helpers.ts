// Plain-fetch helpers for the emulator's fidelity tests (deliberately not the project's client).
import { EMULATOR_DEFAULT_KEY } from '../../src/emulator/index.js';

/**
 * The fixed "now" of the emulator's fidelity tests: Thursday 2026-11-26 13:30 UTC. Not the
 * suite's NOW (test/helpers/now.ts) on purpose: these tests write Braze's expected answers
 * out as literal dates and weekdays around this instant (about 40 of them), which is what
 * makes them readable as a specification; moving the instant would mean rewriting each.
 */
export const NOW = Date.UTC(2026, 10, 26, 13, 30);

export interface Got {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected loosely.
  json: any;
}

/** GET with the default key (or `key`, or none when null). */
export async function get(
  base: string,
  path: string,
  key: string | null = EMULATOR_DEFAULT_KEY,
): Promise<Got> {
  const headers: Record<string, string> = {};
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${base}${path}`, { headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Query string of a data_series request. */
export function seriesPath(params: Record<string, string | number>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) q.set(k, String(v));
  return `/events/data_series?${q}`;
}
