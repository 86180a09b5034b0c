// Overview: every event with its total over the range, change vs the previous period,
// a sparkline and an anomaly badge; sortable and filterable by name.
import { sparklinePoints } from './chart.js';
import {
  anomalyBadge,
  api,
  changeClass,
  dateInputs,
  fmtCompact,
  fmtInt,
  fmtPct,
  fmtRange,
  h,
  hashFor,
  rangePicker,
  replaceHash,
  svg,
  unitToggle,
} from './util.js';

const KIND_RANK = { silent: 0, drop: 1, spike: 2, new: 3 };
const COLUMNS = [
  ['event', 'Event', 'text'],
  ['total', 'Total', 'num'],
  ['previous', 'Previous period', 'num'],
  ['change', 'Change', 'num'],
  ['trend', 'Trend', 'trend-col'],
  ['status', 'Status', 'status'],
];

function sparkline(values) {
  const width = 132;
  const height = 30;
  const points = sparklinePoints(values, width, height);
  return svg(
    'svg',
    { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true' },
    svg('polygon', { points: `0,${height} ${points} ${width},${height}`, class: 'spark-area' }),
    svg('polyline', { points, class: 'spark-line' }),
  );
}

export async function renderOverview(page, { params, isCurrent }) {
  const unit = params.unit === 'hour' ? 'hour' : 'day';
  const data = await api('overview', {
    workspace: params.ws,
    unit,
    days: params.days,
    from: params.from,
    to: params.to,
  });
  if (!isCurrent()) return;
  const state = {
    q: params.q ?? '',
    // Anomalies first: that is what someone opening the dashboard wants to see.
    sort: params.sort ?? 'status',
    dir:
      params.dir ??
      (params.sort === undefined || params.sort === 'event' || params.sort === 'status'
        ? 'asc'
        : 'desc'),
    anomaliesOnly: params.anomalies === '1',
  };
  const base = { ws: data.workspace, unit, days: params.days, from: params.from, to: params.to };
  const sync = () =>
    replaceHash([], {
      ...base,
      q: state.q,
      sort: state.sort,
      dir: state.dir,
      anomalies: state.anomaliesOnly ? '1' : '',
    });
  const navigate = (changes) => {
    location.hash = hashFor([], {
      ...base,
      days: undefined,
      from: undefined,
      to: undefined,
      ...changes,
      q: state.q,
    });
  };

  const findings = new Map();
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  const rows = data.events.map((e) => ({
    e,
    name: e.event.toLowerCase(),
    tr: null,
    badgeCell: null,
  }));
  const badgeFor = (r) => {
    if (findingsState === 'loading') return h('span', { class: 'muted small' }, '…');
    if (findingsState === 'failed') return '';
    const f = findings.get(r.e.event);
    return f
      ? anomalyBadge(f, unit, undefined, data.utcOffsetMinutes)
      : h('span', { class: 'ok small' }, 'OK');
  };
  let findingsState = 'loading';
  // Rows are built when first shown: 2,000 events render as fast as 200.
  const trOf = (r) => {
    if (r.tr) return r.tr;
    const e = r.e;
    r.badgeCell = h('td', { class: 'status' }, badgeFor(r));
    const link = hashFor(['event', e.event], {
      ws: data.workspace,
      unit,
      days: params.days,
      from: params.from,
      to: params.to,
    });
    r.tr = h(
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
      r.badgeCell,
    );
    return r.tr;
  };

  const PAGE = 200;
  let limit = PAGE;
  const tbody = h('tbody');
  const counter = h('span', { class: 'muted' });
  const empty = h(
    'tr',
    { class: 'empty' },
    h('td', { colspan: COLUMNS.length }, 'No event matches this filter.'),
  );
  const moreButton = h('button', {
    type: 'button',
    class: 'button',
    onclick: () => {
      limit = Number.POSITIVE_INFINITY;
      apply();
    },
  });
  const more = h('tr', { class: 'more' }, h('td', { colspan: COLUMNS.length }, moreButton));

  const value = (r, key) => {
    switch (key) {
      case 'event':
        return r.name;
      case 'previous':
        return r.e.previous;
      case 'change':
        return r.e.changePct ?? Number.NEGATIVE_INFINITY;
      case 'status': {
        const f = findings.get(r.e.event);
        return f ? KIND_RANK[f.kind] : 9;
      }
      default:
        return r.e.total;
    }
  };
  const headers = COLUMNS.map(([key, label, kind]) =>
    h(
      'th',
      { class: kind, scope: 'col', 'data-sort': key },
      h(
        'button',
        { type: 'button', onclick: () => sortBy(key) },
        label,
        h('span', { class: 'arrow', 'aria-hidden': 'true' }),
      ),
    ),
  );

  function apply() {
    const q = state.q.trim().toLowerCase();
    const visible = rows.filter(
      (r) => (!q || r.name.includes(q)) && (!state.anomaliesOnly || findings.has(r.e.event)),
    );
    const shown = visible.slice(0, limit);
    const tail = visible.length === 0 ? [empty] : visible.length > shown.length ? [more] : [];
    moreButton.textContent = `Show all ${fmtInt(visible.length)} events`;
    tbody.replaceChildren(...shown.map(trOf), ...tail);
    counter.textContent =
      visible.length === rows.length
        ? `${fmtInt(rows.length)} events`
        : `${fmtInt(visible.length)} of ${fmtInt(rows.length)} events`;
  }
  function order() {
    const sign = state.dir === 'asc' ? 1 : -1;
    rows.sort((a, b) => {
      const va = value(a, state.sort);
      const vb = value(b, state.sort);
      const c = typeof va === 'string' ? collator.compare(va, vb) : va - vb;
      // Ties (e.g. every OK row under "Status") go biggest first, then by name.
      return c * sign || b.e.total - a.e.total || collator.compare(a.name, b.name);
    });
    for (const th of headers) {
      const key = th.dataset.sort;
      th.setAttribute(
        'aria-sort',
        key === state.sort ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none',
      );
    }
  }
  function sortBy(key) {
    if (state.sort === key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
    else {
      state.sort = key;
      state.dir = key === 'event' || key === 'status' ? 'asc' : 'desc';
    }
    order();
    apply();
    sync();
  }

  const filter = h('input', {
    type: 'search',
    class: 'filter',
    placeholder: 'Filter events by name…',
    'aria-label': 'Filter events by name',
    value: state.q,
    oninput: (ev) => {
      state.q = ev.target.value;
      apply();
      sync();
    },
  });
  const onlyAnomalies = h('input', {
    type: 'checkbox',
    checked: state.anomaliesOnly,
    onchange: (ev) => {
      state.anomaliesOnly = ev.target.checked;
      apply();
      sync();
    },
  });

  const total = data.events.reduce((s, e) => s + e.total, 0);
  const previous = data.events.reduce((s, e) => s + e.previous, 0);
  const overall =
    previous > 0 && data.events.every((e) => e.previousComplete)
      ? ((total - previous) / previous) * 100
      : null;
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

  page.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Custom events'),
        h(
          'p',
          { class: 'muted' },
          `${data.workspace} · ${fmtRange(data.from, data.to, unit, data.utcOffsetMinutes)}`,
        ),
      ),
      h(
        'div',
        { class: 'controls' },
        unitToggle(unit, (u) => navigate({ unit: u })),
        rangePicker(
          { ...params, ...dateInputs(data.from, data.to, data.utcOffsetMinutes) },
          unit,
          (r) => navigate({ unit, ...r }),
        ),
      ),
    ),
    h(
      'section',
      { class: 'cards' },
      h(
        'div',
        { class: 'card stat' },
        h('div', { class: 'label' }, 'Events'),
        h('div', { class: 'value' }, fmtInt(data.events.length)),
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
      h(
        'div',
        { class: 'table-wrap' },
        h('table', { class: 'events' }, h('thead', {}, h('tr', {}, headers)), tbody),
      ),
    ),
  );
  order();
  apply();

  // Badges arrive after the first render: the table never waits for the check.
  api('anomalies', { workspace: data.workspace, unit })
    .then((result) => {
      for (const f of result.findings) findings.set(f.event, f);
      const counts = {};
      for (const f of result.findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
      anomalyValue.replaceChildren(
        result.findings.length === 0
          ? h('span', { class: 'ok' }, 'None')
          : h('span', { class: 'down' }, fmtInt(result.findings.length)),
      );
      anomalyKinds.replaceChildren(
        ...['silent', 'drop', 'spike', 'new']
          .filter((k) => counts[k])
          .flatMap((k, i) => [
            i > 0 ? ' · ' : '',
            h('span', { class: `kind-${k}` }, `${counts[k]} ${k}`),
          ]),
      );
      findingsState = 'loaded';
      for (const r of rows) {
        if (!r.tr) continue;
        r.badgeCell.replaceChildren(badgeFor(r));
        r.tr.classList.toggle('flagged', findings.has(r.e.event));
      }
      if (state.sort === 'status') order();
      apply();
      page.dataset.anomalies = 'loaded';
    })
    .catch((err) => {
      anomalyValue.replaceChildren(h('span', { class: 'muted small' }, err.message));
      findingsState = 'failed';
      for (const r of rows) r.badgeCell?.replaceChildren();
    });
}
