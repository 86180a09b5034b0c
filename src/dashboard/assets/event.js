// @ts-check
// Event page: daily or hourly chart of one event, range picker, per-app and per-segment
// breakdowns where synced, and a CSV download of exactly the rows shown.
import { PALETTE, timeChart } from './chart.js';
import { instantMs } from './time.js';
import {
  anomalyBadge,
  api,
  apiUrl,
  changeClass,
  fmtBucket,
  fmtInt,
  fmtPct,
  h,
  hashFor,
  rangeControls,
  rangeLine,
  unitOf,
} from './util.js';

/** @typedef {import('../api-types.js').EventResponse} EventResponse */
/** @typedef {import('../api-types.js').EventSeries} EventSeries */
/** @typedef {import('../api-types.js').Unit} Unit */

/**
 * @param {string} label
 * @param {string} value
 */
function stat(label, value, cls = '') {
  return h(
    'div',
    { class: 'card stat' },
    h('div', { class: 'label' }, label),
    h('div', { class: `value ${cls}` }, value),
  );
}

/**
 * A breakdown card: the chart and the table of the per-app or per-segment series.
 * @param {string} title
 * @param {EventSeries[]} list
 * @param {(s: EventSeries) => string} keyOf the app or segment id of a series
 * @param {EventResponse} data
 * @param {Unit} unit
 * @param {number} grandTotal
 */
function breakdown(title, list, keyOf, data, unit, grandTotal) {
  if (list.length === 0) return null;
  const sorted = [...list].sort((a, b) => b.total - a.total);
  const chartBox = h('div', { class: 'chart', 'data-chart': title });
  const table = h(
    'table',
    { class: 'breakdown' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, title.replace('By ', '')),
        h('th', { class: 'num', scope: 'col' }, 'Total'),
        h('th', { class: 'num', scope: 'col' }, 'Share of all'),
      ),
    ),
    h(
      'tbody',
      {},
      sorted.map((s, i) =>
        h(
          'tr',
          {},
          h(
            'td',
            {},
            h('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}` }),
            keyOf(s),
          ),
          h('td', { class: 'num' }, fmtInt(s.total)),
          h(
            'td',
            { class: 'num muted' },
            grandTotal > 0 ? `${((s.total / grandTotal) * 100).toFixed(1)}%` : '–',
          ),
        ),
      ),
    ),
  );
  const section = h('section', { class: 'card' }, h('h2', {}, title), chartBox, table);
  section.addEventListener('attached', () =>
    timeChart(chartBox, {
      times: data.times,
      unit,
      offset: data.utcOffsetMinutes,
      height: 220,
      series: sorted.map((s) => ({ label: keyOf(s), values: s.counts })),
    }),
  );
  return section;
}

/**
 * @param {HTMLElement} page
 * @param {string} name the event
 * @param {import('./util.js').PageContext} ctx
 */
export async function renderEvent(page, name, { params, isCurrent }) {
  const unit = unitOf(params);
  const query = {
    workspace: params.ws,
    event: name,
    unit,
    days: params.days,
    from: params.from,
    to: params.to,
  };
  const [data, anomalies] = await Promise.all([
    api('event', query),
    api('anomalies', { workspace: params.ws, unit }).catch(() => ({ findings: [] })),
  ]);
  if (!isCurrent()) return;
  const base = { ws: data.workspace, unit, days: params.days, from: params.from, to: params.to };
  const navigate = (/** @type {import('./util.js').QueryParams} */ changes) => {
    location.hash = hashFor(['event', name], {
      ...base,
      days: undefined,
      from: undefined,
      to: undefined,
      ...changes,
    });
  };
  const total = data.series.find((s) => s.appId === '' && s.segmentId === '');
  const apps = data.series.filter((s) => s.appId !== '' && s.segmentId === '');
  const segments = data.series.filter((s) => s.segmentId !== '' && s.appId === '');
  const finding = anomalies.findings.find((f) => f.event === name);
  const values = total?.counts ?? [];
  const grand = total?.total ?? 0;
  let peak = /** @type {{ v: number, i: number } | null} */ (null);
  values.forEach((v, i) => {
    if (v !== null && (peak === null || v > peak.v)) peak = { v, i };
  });
  const stored = values.filter((v) => v !== null).length;
  // A change against a period that is only partly synced would mislead: none is shown.
  const change =
    data.previousComplete && data.previousTotal > 0
      ? ((grand - data.previousTotal) / data.previousTotal) * 100
      : null;
  const csvName = `${name}-${unit}.csv`;

  const mainChart = h('div', { class: 'chart', 'data-chart': 'total' });
  page.append(
    h(
      'a',
      {
        class: 'back',
        href: hashFor([], {
          ws: data.workspace,
          unit,
          days: params.days,
          from: params.from,
          to: params.to,
        }),
      },
      '← All events',
    ),
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h(
          'h1',
          { class: 'event-name' },
          name,
          finding ? anomalyBadge(finding, unit, undefined, data.utcOffsetMinutes) : null,
        ),
        rangeLine(data, unit),
      ),
      rangeControls(
        data,
        unit,
        params,
        navigate,
        h(
          'a',
          {
            class: 'button primary',
            href: apiUrl('event.csv', { ...query, workspace: data.workspace }),
            download: csvName,
          },
          'Download CSV',
        ),
      ),
    ),
    h(
      'section',
      { class: 'cards' },
      stat('Total', fmtInt(grand)),
      stat('Previous period', data.previousComplete ? fmtInt(data.previousTotal) : 'not synced'),
      stat('Change', fmtPct(change), `change ${changeClass(change)}`),
      stat(
        unit === 'hour' ? 'Average per hour' : 'Average per day',
        stored ? fmtInt(grand / stored) : '–',
      ),
      stat('Peak', peak ? `${fmtInt(peak.v)}` : '–', ''),
    ),
  );
  if (peak)
    // The Peak card just appended; times and counts are one grid, so peak.i is in times.
    /** @type {HTMLElement} */ (page.querySelector('.cards > :last-child')).append(
      h(
        'div',
        { class: 'sub muted' },
        fmtBucket(
          new Date(/** @type {number} */ (data.times[peak.i]) * 1000).toISOString(),
          unit,
          data.utcOffsetMinutes,
        ),
      ),
    );
  if (finding) {
    page.append(
      h(
        'div',
        { class: `notice notice-${finding.kind}` },
        anomalyBadge(finding, unit, undefined, data.utcOffsetMinutes),
        ` ${fmtBucket(finding.bucketStart, unit, data.utcOffsetMinutes)} (last complete ${unit}): ${fmtInt(finding.count)} vs a baseline of ${finding.baseline === null ? 'nothing' : fmtInt(finding.baseline)} — ${fmtPct(finding.changePct)}.`,
      ),
    );
  }
  page.append(
    h(
      'section',
      { class: 'card' },
      h('h2', {}, unit === 'hour' ? 'Hourly count' : 'Daily count'),
      stored === 0
        ? h(
            'p',
            { class: 'muted empty-chart' },
            `No ${unit === 'hour' ? 'hourly' : 'daily'} data stored for this range. Sync with --unit ${unit} to see it.`,
          )
        : mainChart,
    ),
  );
  const byApp = breakdown('By app', apps, (s) => s.appId, data, unit, grand);
  const bySegment = breakdown('By segment', segments, (s) => s.segmentId, data, unit, grand);
  if (byApp || bySegment) page.append(h('div', { class: 'grid2' }, byApp, bySegment));
  else
    page.append(
      h(
        'p',
        { class: 'muted hint' },
        'No per-app or per-segment series are synced for this event. Sync with --app-id / --segment-id to see breakdowns.',
      ),
    );

  page.addEventListener('attached', () => {
    if (stored > 0)
      timeChart(mainChart, {
        times: data.times,
        unit,
        offset: data.utcOffsetMinutes,
        series: [{ label: name, values, fill: true }],
        mark: finding ? instantMs(finding.bucketStart) / 1000 : undefined,
      });
    for (const s of page.querySelectorAll('section')) s.dispatchEvent(new Event('attached'));
  });
}
