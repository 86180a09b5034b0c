// @ts-check
// Small helpers shared by the pages: DOM building (no innerHTML with data), formatting,
// the API client and the hash router state. Dates and bucket times come from the
// project's time module (served as /assets/time.js), never from arithmetic of our own.
import {
  addBuckets,
  bucketsBetween,
  dateOfDayNumber,
  dayNumber,
  formatLocalDate,
  formatLocalTime,
  formatUtcOffset,
  instantMs,
} from './time.js';

/** @typedef {import('../api-types.js').ApiResponses} ApiResponses */
/** @typedef {import('../api-types.js').Finding} Finding */
/** @typedef {import('../api-types.js').Unit} Unit */
/**
 * What a page is drawn from: the hash's parameters, and whether the user has moved on.
 * @typedef {{ params: Params, isCurrent: () => boolean }} PageContext
 */
/** @typedef {Record<string, string>} Params */
/**
 * Query or hash parameters to send; empty ones are left out.
 * @typedef {Record<string, string | number | null | undefined>} QueryParams
 */
/**
 * An attribute value (`on…`: an event listener); null, undefined and false are left out.
 * @typedef {string | number | boolean | null | undefined | ((event: Event) => void)} AttrValue
 */
/** @typedef {Node | string | number | null | undefined | false} Child */
/**
 * What a page's title line shows: the workspace and the range, on its clock.
 * @typedef {{ workspace: string, from: string, to: string, utcOffsetMinutes: number }} RangeData
 */
/**
 * A range the user picked: a preset of days, or dates (`to` exclusive).
 * @typedef {{ days: string } | { from: string, to: string }} RangeChoice
 */

/**
 * The constants the server shares with the page (page-config.ts), written into index.html:
 * page size, units, default and preset ranges, sort directions, anomaly kinds.
 * @type {import('../api-types.js').DashboardConfig}
 */
export const CONFIG = JSON.parse(document.getElementById('dashboard-config')?.textContent ?? '');

/**
 * The unit a page shows: the hash's when the server has it, else the server's default.
 * @param {Params} params
 * @returns {Unit}
 */
export const unitOf = (params) => CONFIG.units.find((u) => u === params.unit) ?? CONFIG.defaultUnit;

/**
 * Creates an element: h('a', { href, class: 'x' }, 'text', child). Text is never parsed as HTML.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on'))
      el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (key === 'class') el.className = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Creates an SVG element.
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {...Node} children
 */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  for (const child of children) el.append(child);
  return el;
}

const integer = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 1,234,567 */
export const fmtInt = (/** @type {number | null | undefined} */ n) =>
  n === null || n === undefined ? '–' : integer.format(Math.round(n));
/** 1.2M */
export const fmtCompact = (/** @type {number | null | undefined} */ n) =>
  n === null || n === undefined ? '–' : compact.format(n);

/**
 * +12.5 % / −40 % / "new"
 * @param {number | null | undefined} p
 */
export function fmtPct(p) {
  if (p === null || p === undefined) return '–';
  const abs = Math.abs(p);
  const text = abs >= 100 ? Math.round(abs).toString() : abs.toFixed(1);
  if (text === '0.0') return '0%';
  return `${p > 0 ? '+' : '−'}${text}%`;
}

/** CSS class for a change: up, down or flat. */
export const changeClass = (/** @type {number | null | undefined} */ p) =>
  p === null || p === undefined || Math.abs(p) < 0.05 ? 'flat' : p > 0 ? 'up' : 'down';

/**
 * A bucket start (ISO UTC) on the workspace's clock: 2026-03-02 for days, 2026-03-02 14:00
 * for hours, at `offset` minutes east of UTC (the workspace's `utcOffsetMinutes`).
 * @param {string} iso
 * @param {Unit} unit
 */
export function fmtBucket(iso, unit, offset = 0) {
  const ms = instantMs(iso);
  return unit === 'hour' ? formatLocalTime(ms, offset) : formatLocalDate(ms, offset);
}

/** "days start at 00:00 +05:30": which days the dashboard's dates mean. */
export const fmtDayStart = (offset = 0) => `days start at 00:00 ${formatUtcOffset(offset)}`;

/**
 * Human text of a half-open range [from, to) of the given unit, on the workspace's clock,
 * counted in its buckets (an hour range need not be whole days).
 * @param {string} from
 * @param {string} to
 * @param {Unit} unit
 */
export function fmtRange(from, to, unit, offset = 0) {
  const last = new Date(addBuckets(instantMs(to), unit, -1)).toISOString();
  const n = bucketsBetween(instantMs(from), instantMs(to), unit);
  return `${fmtBucket(from, unit, offset)} → ${fmtBucket(last, unit, offset)} · ${n} ${unit}${n === 1 ? '' : 's'} (${fmtDayStart(offset)})`;
}

/** 2026-03-02 14:05 UTC from an ISO string (or '–'). */
export const fmtTime = (/** @type {string | null} */ iso) =>
  iso ? `${formatLocalTime(instantMs(iso), 0)} UTC` : '–';

/** An answer that is not 2xx: the server's message and the HTTP status. */
export class ApiError extends Error {
  /**
   * @param {string} message the server's `error` (the status when it sent none)
   * @param {number} status e.g. 503 while the server's database is away
   */
  constructor(message, status) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * GET /api/… and parse JSON; an error answer becomes an ApiError with the server's message.
 * @template {keyof ApiResponses} P
 * @param {P} path
 * @param {QueryParams} [params]
 * @returns {Promise<ApiResponses[P]>} the answer, typed by the server's definition
 */
export async function api(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  const res = await fetch(`/api/${path}?${query}`);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const { error } = /** @type {Partial<import('../api-types.js').ApiErrorBody>} */ (body);
    throw new ApiError(error ?? `HTTP ${res.status}`, res.status);
  }
  return body;
}

/**
 * URL of an API resource (for downloads).
 * @param {string} path
 * @param {QueryParams} [params]
 */
export function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  return `/api/${path}?${query}`;
}

/** Parses location.hash: '#/event/Name?unit=day' → { route: ['event', 'Name'], params }. */
export function readHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?');
  const route = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { route, params: Object.fromEntries(new URLSearchParams(query)) };
}

/**
 * Builds a hash link from route parts and params (empty params dropped).
 * @param {string[]} route
 * @param {QueryParams} [params]
 */
export function hashFor(route, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
  const q = query.toString();
  return `#/${route.map(encodeURIComponent).join('/')}${q ? `?${q}` : ''}`;
}

/**
 * Replaces the hash without adding a history entry or re-rendering.
 * @param {string[]} route
 * @param {QueryParams} params
 */
export function replaceHash(route, params) {
  history.replaceState(null, '', hashFor(route, params));
}

/**
 * A coloured badge for an anomaly finding (`offset`: the workspace's, for the date shown).
 * @param {Finding} finding
 * @param {Unit} unit
 * @param {string | undefined} text
 */
export function anomalyBadge(finding, unit, text, offset = 0) {
  const label =
    { silent: 'Silent', drop: 'Drop', spike: 'Spike', new: 'New' }[finding.kind] ?? finding.kind;
  if (text) return h('span', { class: `badge badge-${finding.kind}` }, text);
  const base = finding.baseline === null ? 'no baseline' : `baseline ${fmtInt(finding.baseline)}`;
  const title = `${label} on ${fmtBucket(finding.bucketStart, unit, offset)}: ${fmtInt(finding.count)} vs ${base} (${fmtPct(finding.changePct)})`;
  return h('span', { class: `badge badge-${finding.kind}`, title }, label);
}

/**
 * Range preset buttons + custom dates; calls onChange({days} | {from, to}).
 * @param {{ days?: string, from?: string, fromDate?: string, toDate?: string }} current
 * @param {Unit} unit
 * @param {(range: RangeChoice) => void} onChange
 */
export function rangePicker(current, unit, onChange) {
  const presets = CONFIG.rangePresetDays[unit];
  const custom = Boolean(current.from);
  const wrap = h('div', { class: 'range', role: 'group', 'aria-label': 'Date range' });
  for (const d of presets) {
    const active = !custom && Number(current.days ?? CONFIG.defaultRangeDays[unit]) === d;
    wrap.append(
      h(
        'button',
        {
          type: 'button',
          class: active ? 'seg active' : 'seg',
          'aria-pressed': String(active),
          'data-days': d,
          onclick: () => onChange({ days: String(d) }),
        },
        d === 365 ? '1y' : `${d}d`,
      ),
    );
  }
  const from = h('input', { type: 'date', 'aria-label': 'From', value: current.fromDate ?? '' });
  const to = h('input', {
    type: 'date',
    'aria-label': 'To (inclusive)',
    value: current.toDate ?? '',
  });
  const apply = () => {
    if (from.value && to.value && from.value <= to.value) {
      // `to` is exclusive on the server: the day after the last one picked. Dates are the
      // workspace's days; the server reads them at its offset.
      onChange({ from: from.value, to: dateOfDayNumber(dayNumber(to.value) + 1) });
    }
  };
  from.addEventListener('change', apply);
  to.addEventListener('change', apply);
  wrap.append(
    h(
      'span',
      { class: custom ? 'dates active' : 'dates' },
      from,
      h('span', { class: 'muted' }, '–'),
      to,
    ),
  );
  return wrap;
}

/**
 * A segmented control for the unit.
 * @param {Unit} unit
 * @param {(unit: Unit) => void} onChange
 */
export function unitToggle(unit, onChange) {
  const wrap = h('div', { class: 'range', role: 'group', 'aria-label': 'Unit' });
  /** @type {Record<Unit, string>} */
  const labels = { day: 'Daily', hour: 'Hourly' };
  for (const value of CONFIG.units) {
    const label = labels[value];
    wrap.append(
      h(
        'button',
        {
          type: 'button',
          class: unit === value ? 'seg active' : 'seg',
          'aria-pressed': String(unit === value),
          'data-unit': value,
          onclick: () => onChange(value),
        },
        label,
      ),
    );
  }
  return wrap;
}

/**
 * The line under a page's title: the workspace and the range shown, in its days.
 * @param {RangeData} data
 * @param {Unit} unit
 */
export function rangeLine(data, unit) {
  return h(
    'p',
    { class: 'muted' },
    `${data.workspace} · ${fmtRange(data.from, data.to, unit, data.utcOffsetMinutes)}`,
  );
}

/**
 * A page's controls: the unit toggle and the range picker (navigating to the new unit or
 * range with `navigate`), then `extra` (the event page's CSV download).
 * @param {RangeData} data
 * @param {Unit} unit
 * @param {Params} params
 * @param {(changes: QueryParams) => void} navigate
 * @param {...Node} extra
 */
export function rangeControls(data, unit, params, navigate, ...extra) {
  return h(
    'div',
    { class: 'controls' },
    unitToggle(unit, (u) => navigate({ unit: u })),
    rangePicker(
      { ...params, ...dateInputs(data.from, data.to, data.utcOffsetMinutes) },
      unit,
      (r) => navigate({ unit, ...r }),
    ),
    ...extra,
  );
}

/**
 * Date inputs show the workspace's days, the inclusive end: to (exclusive ISO) minus one day.
 * @param {string} from
 * @param {string} to
 */
export function dateInputs(from, to, offset = 0) {
  return {
    fromDate: formatLocalDate(instantMs(from), offset),
    toDate: formatLocalDate(addBuckets(instantMs(to), 'day', -1), offset),
  };
}

/**
 * An error box for a failed load, with the server's message. With `retry`, a failure that
 * may pass (a 5xx: 503 while the database is away; the server unreachable) gets a Try again
 * button that calls it; a request the server refused (4xx) would only fail again.
 * @param {unknown} err what the load threw (not always an Error)
 * @param {() => void} [retry] loads again
 */
export function errorBox(err, retry) {
  const message = err instanceof Error ? err.message : String(err);
  const passing = !(err instanceof ApiError) || err.status >= 500;
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', {}, 'Could not load: '),
    message,
    retry !== undefined && passing
      ? h('button', { type: 'button', class: 'button retry', onclick: () => retry() }, 'Try again')
      : null,
  );
}
