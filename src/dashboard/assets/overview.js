// @ts-check
// Overview: events with their total over the range, change vs the previous period, a
// sparkline and an anomaly badge; sorted, searched and paged by the server (a workspace
// may hold 20,000 events), totals over all of them.
import { sparklinePoints } from './chart.js';
import { instantMs } from './time.js';
import {
  anomalyBadge,
  api,
  CONFIG,
  changeClass,
  errorBox,
  fmtBucket,
  fmtCompact,
  fmtInt,
  fmtPct,
  h,
  hashFor,
  rangeControls,
  rangeLine,
  replaceHash,
  svg,
  unitOf,
} from './util.js';

/** @typedef {import('../api-types.js').Finding} Finding */
/** @typedef {import('../api-types.js').OverviewRow} OverviewRow */
/** @typedef {import('../api-types.js').OverviewSort} OverviewSort */
/** @typedef {import('../api-types.js').Unit} Unit */

/**
 * Whether the server sorts by this column (the trend is not a sort key).
 * @param {string | undefined} key
 * @returns {key is OverviewSort}
 */
const isSort = (key) => key !== undefined && Object.hasOwn(CONFIG.overviewSortDirs, key);

/**
 * The table's columns: key (the server's sort key where it sorts by it), header, cell class.
 * @type {[key: string, label: string, kind: string][]}
 */
const COLUMNS = [
  ['event', 'Event', 'text'],
  ['total', 'Total', 'num'],
  ['previous', 'Previous period', 'num'],
  ['change', 'Change', 'num'],
  ['trend', 'Trend', 'trend-col'],
  ['status', 'Status', 'status'],
];

/** @param {(number | null)[]} values null: not synced, left blank */
function sparkline(values) {
  const width = 132;
  const height = 30;
  const runs = sparklinePoints(values, width, height).flatMap(({ points, first, last }) => [
    svg('polygon', {
      points: `${first.toFixed(1)},${height} ${points} ${last.toFixed(1)},${height}`,
      class: 'spark-area',
    }),
    svg('polyline', { points, class: 'spark-line' }),
  ]);
  return svg(
    'svg',
    { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true' },
    ...runs,
  );
}

/**
 * "data from …" when the range reaches before the oldest stored bucket: its sparklines
 * start blank there and its totals cover only the stored buckets.
 * @param {import('../api-types.js').OverviewResponse} data
 * @param {Unit} unit
 */
function coverageLine(data, unit) {
  const { from, through } = data.coverage;
  if (from === null || through === null) {
    return h('p', { class: 'muted coverage' }, `no ${unit}s synced yet`);
  }
  if (instantMs(from) <= instantMs(data.from)) return null;
  const shown = `${fmtBucket(from, unit, data.utcOffsetMinutes)} → ${fmtBucket(through, unit, data.utcOffsetMinutes)}`;
  return h(
    'p',
    { class: 'muted coverage' },
    `data from ${shown} only: earlier ${unit}s of the range are not synced (totals cover the synced ${unit}s)`,
  );
}

/** Events per page of the table (the server sorts, searches and pages): the API's default. */
const PAGE = CONFIG.overviewLimit;

/**
 * @param {HTMLElement} page
 * @param {import('./util.js').PageContext} ctx
 */
export async function renderOverview(page, { params, isCurrent }) {
  const unit = unitOf(params);
  // Anomalies first: that is what someone opening the dashboard wants to see.
  const sort = isSort(params.sort) ? params.sort : 'status';
  const state = {
    q: params.q ?? '',
    sort,
    dir: params.dir ?? CONFIG.overviewSortDirs[sort],
    anomaliesOnly: params.anomalies === '1',
    offset: Math.max(0, Number(params.offset) || 0),
  };
  const range = { days: params.days, from: params.from, to: params.to };
  const fetchPage = () =>
    api('overview', {
      workspace: params.ws,
      unit,
      ...range,
      q: state.q.trim(),
      sort: state.sort,
      dir: state.dir,
      offset: state.offset,
      limit: PAGE,
      anomalies: state.anomaliesOnly ? '1' : '',
    });
  let data = await fetchPage();
  if (!isCurrent()) return;
  const base = { ws: data.workspace, unit, ...range };
  const sync = () =>
    replaceHash([], {
      ...base,
      q: state.q,
      sort: state.sort,
      dir: state.dir,
      anomalies: state.anomaliesOnly ? '1' : '',
      offset: state.offset || '',
    });
  const navigate = (/** @type {import('./util.js').QueryParams} */ changes) => {
    location.hash = hashFor([], {
      ...base,
      days: undefined,
      from: undefined,
      to: undefined,
      ...changes,
      q: state.q,
    });
  };

  /** @type {Map<string, Finding>} */
  const findings = new Map();
  let findingsState = 'loading';
  const badgeFor = (/** @type {OverviewRow} */ e) => {
    if (findingsState === 'loading') return h('span', { class: 'muted small' }, '…');
    if (findingsState === 'failed') return '';
    const f = findings.get(e.event);
    return f
      ? anomalyBadge(f, unit, undefined, data.utcOffsetMinutes)
      : h('span', { class: 'ok small' }, 'OK');
  };
  /**
   * Rows on screen, to refresh their badges when the findings arrive.
   * @type {{ e: OverviewRow, tr: HTMLTableRowElement, badgeCell: HTMLTableCellElement }[]}
   */
  let shown = [];
  const trOf = (/** @type {OverviewRow} */ e) => {
    const link = hashFor(['event', e.event], { ws: data.workspace, unit, ...range });
    const badgeCell = h('td', { class: 'status' }, badgeFor(e));
    const tr = h(
      'tr',
      { 'data-event': e.event, class: findings.has(e.event) ? 'flagged' : '' },
      h('td', { class: 'name' }, h('a', { href: link }, e.event)),
      h('td', { class: 'num' }, fmtInt(e.total)),
      h(
        'td',
        {
          class: 'num muted',
          title: e.previousComplete ? undefined : 'the previous period is only partly synced',
        },
        e.previousComplete ? fmtInt(e.previous) : e.previous > 0 ? `${fmtInt(e.previous)}*` : '–',
      ),
      h('td', { class: `num change ${changeClass(e.changePct)}` }, fmtPct(e.changePct)),
      h('td', { class: 'trend' }, sparkline(e.spark)),
      badgeCell,
    );
    return { e, tr, badgeCell };
  };

  const tbody = h('tbody');
  const table = h('table', { class: 'events' });
  const counter = h('span', { class: 'muted' });
  const empty = h(
    'tr',
    { class: 'empty' },
    h('td', { colspan: COLUMNS.length }, 'No event matches this filter.'),
  );
  const pageInfo = h('span', { class: 'muted page-info' });
  const prevButton = h('button', {
    type: 'button',
    class: 'button page-prev',
    onclick: () => turn(-PAGE),
  });
  prevButton.textContent = '‹ Previous';
  const nextButton = h('button', {
    type: 'button',
    class: 'button page-next',
    onclick: () => turn(PAGE),
  });
  nextButton.textContent = 'Next ›';
  const pager = h('div', { class: 'pager' }, prevButton, pageInfo, nextButton);

  // A column the server cannot sort by has no button (a click would ask for a 400).
  const headers = COLUMNS.map(([key, label, kind]) =>
    h(
      'th',
      { class: kind, scope: 'col', 'data-sort': key },
      isSort(key)
        ? h(
            'button',
            { type: 'button', onclick: () => sortBy(key) },
            label,
            h('span', { class: 'arrow', 'aria-hidden': 'true' }),
          )
        : label,
    ),
  );

  /** Draws the page the server sent; the table's data-* say which one it is (for tests). */
  function render() {
    shown = data.events.map(trOf);
    tbody.replaceChildren(...(shown.length === 0 ? [empty] : shown.map((r) => r.tr)));
    counter.textContent =
      data.matched === data.eventCount
        ? `${fmtInt(data.eventCount)} events`
        : `${fmtInt(data.matched)} of ${fmtInt(data.eventCount)} events`;
    const first = data.matched === 0 ? 0 : data.offset + 1;
    const last = data.offset + data.events.length;
    pageInfo.textContent = `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(data.matched)}`;
    prevButton.disabled = data.offset === 0;
    nextButton.disabled = last >= data.matched;
    pager.hidden = data.matched <= PAGE && data.offset === 0;
    for (const th of headers) {
      const key = th.dataset.sort;
      th.setAttribute(
        'aria-sort',
        key === data.sort ? (data.dir === 'asc' ? 'ascending' : 'descending') : 'none',
      );
    }
    Object.assign(table.dataset, {
      q: data.q,
      sort: data.sort,
      dir: data.dir,
      offset: String(data.offset),
    });
  }

  // Answers may arrive out of order (typing fast): only the newest request is drawn. A
  // failed one (503 while the database is away) says why above the table, which keeps the
  // last page drawn, with a way to ask again.
  let requested = 0;
  const notice = h('div', { class: 'table-notice' });
  async function reload() {
    const mine = ++requested;
    table.dataset.loading = '1';
    /** @type {Awaited<ReturnType<typeof fetchPage>>} */
    let next;
    try {
      next = await fetchPage();
    } catch (err) {
      if (mine !== requested || !isCurrent()) return;
      delete table.dataset.loading;
      notice.replaceChildren(errorBox(err, reload));
      return;
    }
    if (mine !== requested || !isCurrent()) return;
    data = next;
    delete table.dataset.loading;
    notice.replaceChildren();
    render();
  }
  /** @param {number} delta */
  function turn(delta) {
    state.offset = Math.max(0, state.offset + delta);
    sync();
    reload();
  }
  /** @param {OverviewSort} key */
  function sortBy(key) {
    if (state.sort === key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
    else {
      state.sort = key;
      state.dir = CONFIG.overviewSortDirs[key];
    }
    state.offset = 0;
    sync();
    reload();
  }

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let typing;
  const filter = h('input', {
    type: 'search',
    class: 'filter',
    placeholder: 'Filter events by name…',
    'aria-label': 'Filter events by name',
    value: state.q,
    oninput: (ev) => {
      state.q = /** @type {HTMLInputElement} */ (ev.target).value;
      state.offset = 0;
      sync();
      clearTimeout(typing);
      typing = setTimeout(reload, 150);
    },
  });
  const onlyAnomalies = h('input', {
    type: 'checkbox',
    checked: state.anomaliesOnly,
    onchange: (ev) => {
      state.anomaliesOnly = /** @type {HTMLInputElement} */ (ev.target).checked;
      state.offset = 0;
      sync();
      reload();
    },
  });

  const { total, changePct: overall } = data.summary;
  const anomalyValue = h('div', { class: 'value' }, '…');
  const anomalyKinds = h('div', { class: 'sub kinds' });
  const anomalyCard = h(
    'div',
    {
      class: 'card stat clickable',
      title: 'Show only events with an anomaly',
      onclick: () => {
        onlyAnomalies.checked = !onlyAnomalies.checked;
        onlyAnomalies.dispatchEvent(new Event('change'));
      },
    },
    h('div', { class: 'label' }, 'Anomalies'),
    anomalyValue,
    anomalyKinds,
    h('div', { class: 'sub muted' }, `last complete ${unit} vs its seasonal baseline`),
  );

  table.append(h('thead', {}, h('tr', {}, headers)), tbody);
  page.append(
    h(
      'div',
      { class: 'page-head' },
      h('div', {}, h('h1', {}, 'Custom events'), rangeLine(data, unit), coverageLine(data, unit)),
      rangeControls(data, unit, params, navigate),
    ),
    h(
      'section',
      { class: 'cards' },
      h(
        'div',
        { class: 'card stat' },
        h('div', { class: 'label' }, 'Events'),
        h('div', { class: 'value' }, fmtInt(data.eventCount)),
      ),
      h(
        'div',
        { class: 'card stat' },
        h('div', { class: 'label' }, 'Total volume'),
        h('div', { class: 'value', title: fmtInt(total) }, fmtCompact(total)),
      ),
      h(
        'div',
        { class: 'card stat' },
        h('div', { class: 'label' }, 'Change vs previous period'),
        h('div', { class: `value change ${changeClass(overall)}` }, fmtPct(overall)),
      ),
      anomalyCard,
    ),
    h(
      'section',
      { class: 'card table-card' },
      h(
        'div',
        { class: 'toolbar' },
        filter,
        h('label', { class: 'check' }, onlyAnomalies, 'Anomalies only'),
        counter,
      ),
      notice,
      h('div', { class: 'table-wrap' }, table),
      pager,
    ),
  );
  render();

  // Badges arrive after the first render: the table never waits for them (the server
  // computed the same findings if it sorted by status, so this answer comes from its cache).
  api('anomalies', { workspace: data.workspace, unit })
    .then((result) => {
      for (const f of result.findings) findings.set(f.event, f);
      /** @type {Record<string, number>} */
      const counts = {};
      for (const f of result.findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
      anomalyValue.replaceChildren(
        result.findings.length === 0
          ? h('span', { class: 'ok' }, 'None')
          : h('span', { class: 'down' }, fmtInt(result.findings.length)),
      );
      anomalyKinds.replaceChildren(
        ...CONFIG.anomalyKinds
          .filter((k) => counts[k])
          .flatMap((k, i) => [
            i > 0 ? ' · ' : '',
            h('span', { class: `kind-${k}` }, `${counts[k]} ${k}`),
          ]),
      );
      findingsState = 'loaded';
      for (const r of shown) {
        r.badgeCell.replaceChildren(badgeFor(r.e));
        r.tr.classList.toggle('flagged', findings.has(r.e.event));
      }
      page.dataset.anomalies = 'loaded';
    })
    .catch((err) => {
      anomalyValue.replaceChildren(h('span', { class: 'muted small' }, err.message));
      findingsState = 'failed';
      for (const r of shown) r.badgeCell.replaceChildren();
    });
}
