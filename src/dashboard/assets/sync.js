// @ts-check
// Sync status: the sync in progress, per unit freshness, the last runs (with their errors),
// the stalest series.
import { instantMs } from './time.js';
import { api, fmtBucket, fmtDayStart, fmtInt, fmtTime, h } from './util.js';

/** @typedef {import('../api-types.js').SyncResponse} SyncResponse */

/** @param {SyncResponse['runs'][number]} run */
function duration(run) {
  if (!run.finishedAt) return '–';
  const s = Math.round((instantMs(run.finishedAt) - instantMs(run.startedAt)) / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

/**
 * The sync holding the workspace's lock. While it prepares (lists events: minutes of
 * rate-limit waits are possible) it has no run yet, and every run below is a finished one.
 * @param {NonNullable<SyncResponse['inProgress']>} live
 */
function inProgressNotice(live) {
  const who = [
    live.pid !== null ? `pid ${live.pid}` : '',
    live.host !== null ? `on ${live.host}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const doing =
    live.phase === 'running'
      ? `run #${live.runId}, below`
      : 'preparing (listing events, checking the selection); no run opened yet, the runs below are earlier ones';
  return h(
    'p',
    { class: 'notice notice-live', 'data-sync': live.phase },
    `Sync in progress${live.since ? ` since ${fmtTime(live.since)}` : ''}${who ? ` (${who})` : ''}: ${doing}.`,
  );
}

/**
 * A run's status; a `running` run whose process is gone (no sync holds the lock) says so,
 * as `status` does: it is not running, and the next sync marks it interrupted.
 * @param {SyncResponse['runs'][number]} run
 */
function statusPill(run) {
  if (run.processGone) {
    return h(
      'span',
      {
        class: 'status-pill gone',
        title: 'No sync holds the lock: its process is gone; the next sync marks it interrupted',
      },
      'running, process gone',
    );
  }
  return h('span', { class: `status-pill ${run.status}` }, run.status);
}

/**
 * @param {[label: string, cls?: string][]} headers
 * @param {HTMLTableRowElement[]} rows
 * @param {string} empty what to say when there are no rows
 */
function table(headers, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map(([label, cls]) => h('th', { class: cls ?? '', scope: 'col' }, label)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/**
 * @param {HTMLElement} page
 * @param {import('./util.js').PageContext} ctx
 */
export async function renderSync(page, { params, isCurrent }) {
  const data = await api('sync', { workspace: params.ws });
  if (!isCurrent()) return;
  const failed = data.runs.filter((r) => r.error);
  page.append(
    h(
      'div',
      { class: 'page-head' },
      h(
        'div',
        {},
        h('h1', {}, 'Sync status'),
        h(
          'p',
          { class: 'muted' },
          `${data.workspace} · ${fmtDayStart(data.utcOffsetMinutes)} · run times in UTC`,
        ),
      ),
    ),
    ...(data.inProgress ? [inProgressNotice(data.inProgress)] : []),
    h(
      'section',
      { class: 'cards' },
      data.units.length === 0
        ? h(
            'div',
            { class: 'card stat' },
            h('div', { class: 'label' }, 'Series'),
            h('div', { class: 'value' }, '0'),
          )
        : data.units.map((u) =>
            h(
              'div',
              { class: 'card stat' },
              h('div', { class: 'label' }, `${u.unit === 'hour' ? 'Hourly' : 'Daily'} series`),
              h('div', { class: 'value' }, fmtInt(u.series)),
              h('div', { class: 'sub muted' }, `${fmtInt(u.breakdownSeries)} per app/segment`),
              h(
                'div',
                { class: 'sub' },
                `Complete through ${u.completeThrough ? fmtBucket(u.completeThrough, u.unit, data.utcOffsetMinutes) : '–'}`,
              ),
              h(
                'div',
                { class: 'sub muted' },
                `Stalest ${fmtBucket(u.stalest, u.unit, data.utcOffsetMinutes)} · freshest ${fmtBucket(u.freshest, u.unit, data.utcOffsetMinutes)}`,
              ),
            ),
          ),
      h(
        'div',
        { class: 'card stat' },
        h('div', { class: 'label' }, 'Last run'),
        h('div', { class: 'value small-value' }, data.runs[0] ? statusPill(data.runs[0]) : '–'),
        h(
          'div',
          { class: 'sub muted' },
          data.runs[0] ? fmtTime(data.runs[0].startedAt) : 'no runs recorded',
        ),
      ),
      h(
        'div',
        { class: 'card stat' },
        h('div', { class: 'label' }, 'Runs with errors'),
        h('div', { class: `value ${failed.length ? 'down' : ''}` }, fmtInt(failed.length)),
        h('div', { class: 'sub muted' }, `of the last ${data.runs.length}`),
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Last runs'),
      table(
        [
          ['Started'],
          ['Duration', 'num'],
          ['Status'],
          ['Units'],
          ['Requests', 'num'],
          ['Retries', 'num'],
          ['Rate-limited', 'num'],
          ['Inserted', 'num'],
          ['Updated', 'num'],
          ['Error'],
        ],
        data.runs.map((r) =>
          h(
            'tr',
            { class: r.error ? 'has-error' : '' },
            h('td', {}, fmtTime(r.startedAt)),
            h('td', { class: 'num' }, duration(r)),
            h('td', {}, statusPill(r)),
            h('td', {}, r.units),
            h('td', { class: 'num' }, fmtInt(r.requests)),
            h('td', { class: 'num' }, fmtInt(r.retries)),
            h('td', { class: 'num' }, fmtInt(r.rateLimited)),
            h('td', { class: 'num' }, fmtInt(r.rowsInserted)),
            h('td', { class: 'num' }, fmtInt(r.rowsUpdated)),
            h('td', { class: 'error-text' }, r.error ?? ''),
          ),
        ),
        'No sync runs recorded in this database.',
      ),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Series behind the freshest watermark'),
      table(
        [
          ['Event'],
          ['Unit'],
          ['App'],
          ['Segment'],
          ['Synced through'],
          ['Complete through'],
          ['Updated'],
        ],
        data.lagging.map((w) =>
          h(
            'tr',
            {},
            h('td', { class: 'name' }, w.event),
            h('td', {}, w.unit),
            h('td', { class: 'muted' }, w.appId || '–'),
            h('td', { class: 'muted' }, w.segmentId || '–'),
            h('td', {}, fmtBucket(w.syncedThrough, w.unit, data.utcOffsetMinutes)),
            h(
              'td',
              {},
              w.completeThrough ? fmtBucket(w.completeThrough, w.unit, data.utcOffsetMinutes) : '–',
            ),
            h('td', { class: 'muted' }, fmtTime(w.updatedAt)),
          ),
        ),
        data.units.length === 0
          ? 'No watermarks: nothing has been synced by braze-events into this database.'
          : 'Every series is synced as far as the freshest one of its unit.',
      ),
    ),
  );
}
