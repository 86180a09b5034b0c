/**
 * The dashboard in a real browser: Debian's Chromium (/usr/bin/chromium, installed by
 * scripts/install-system-deps.sh — never a browser download) driven by playwright-core.
 * Each page is screenshotted to test-output/screenshots/ for people to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.js';
import { precomputeOverviews } from '../../src/dashboard/precompute.js';
import { openDatabase } from '../../src/sync/db/index.js';
import type { Database } from '../../src/sync/db/types.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';
import {
  BREAKDOWN_EVENT,
  SEED_NOW,
  SEEDED_ANOMALIES,
  seedDatabase,
  seedLargeSqlite,
} from './seed.js';

export const SCREENSHOTS = fileURLToPath(
  new URL('../../test-output/screenshots/', import.meta.url),
);

/** Non-transparent pixels of the first canvas under `selector` (0 while not drawn). */
async function inkedPixels(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`${sel} canvas`);
    if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  }, selector);
}

async function waitForChart(page: Page, selector: string): Promise<void> {
  await page.waitForSelector(`${selector} canvas`);
  await page.waitForFunction((sel) => {
    const c = document.querySelector<HTMLCanvasElement>(`${sel} canvas`);
    if (!c || c.width === 0) return false;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) return true;
    return false;
  }, selector);
}

describe('dashboard in Chromium', () => {
  let dir: string;
  let db: Database;
  let dash: Dashboard;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'braze-dash-browser-'));
    db = await seedDatabase(join(dir, 'dash.db'), { extraEvents: 60 });
    dash = await startDashboard({ db, now: () => SEED_NOW });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    const context = await browser.newContext({
      viewport: { width: 1360, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // Errors only: Chromium warns about the test's own getImageData readbacks.
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  });

  after(async () => {
    await browser?.close();
    await dash?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('overview lists every event with sparklines and anomaly badges', async () => {
    await page.goto(dash.url);
    await page.waitForSelector('body[data-ready="overview"] [data-anomalies="loaded"]');
    assert.equal(await page.locator('table.events tbody tr[data-event]').count(), 64);
    assert.equal(await page.locator('table.events svg.spark polyline').count(), 64);
    for (const [event, kind] of Object.entries(SEEDED_ANOMALIES)) {
      const badge = page.locator(`tr[data-event="${event}"] .badge`);
      assert.equal(await badge.getAttribute('class'), `badge badge-${kind}`, event);
    }
    assert.equal(await page.locator('tr.flagged').count(), 4);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview.png') });
  });

  test('a range reaching before the synced hours says where the data starts', async () => {
    await page.goto(`${dash.url}/#/?unit=hour&days=30`);
    await page.waitForSelector('body[data-ready="overview"] [data-anomalies="loaded"]');
    assert.match(
      (await page.locator('p.coverage').textContent()) ?? '',
      /^data from \d{4}-\d\d-\d\d \d\d:00 → \d{4}-\d\d-\d\d \d\d:00 only: earlier hours of the range are not synced/,
    );
    // The default range (the last 30 days, all synced) says nothing.
    await page.goto(dash.url);
    await page.waitForSelector('body[data-ready="overview"] [data-anomalies="loaded"]');
    assert.equal(await page.locator('p.coverage').count(), 0);
  });

  test('a sparkline never draws across an unsynced bin', async () => {
    await page.goto(dash.url);
    await page.waitForSelector('body[data-ready="overview"]');
    const runs = await page.evaluate(async () => {
      const chart = await import(`${location.origin}/assets/chart.js`);
      return chart.sparklinePoints([4, null, 2, 6, null], 100, 30) as {
        points: string;
        first: number;
        last: number;
      }[];
    });
    // Bins at x = 0, 25, 50, 75, 100: one run for the first, one for the third and fourth.
    assert.deepEqual(
      runs.map((r) => [r.points.split(' ').length, r.first, r.last]),
      [
        [1, 0, 0],
        [2, 50, 75],
      ],
    );
  });

  test('only the columns the server sorts by are sort buttons (the trend is not)', async () => {
    const sortable = await page
      .locator('table.events th button')
      .evaluateAll((buttons) => buttons.map((b) => (b.closest('th') as HTMLElement).dataset.sort));
    assert.deepEqual(sortable, ['event', 'total', 'previous', 'change', 'status']);
    assert.equal(await page.locator('th[data-sort="trend"]').textContent(), 'Trend');
  });

  test('sorts by name and filters by name', async () => {
    // Sorting and searching happen on the server (issue 16): wait for its page.
    await page.click('th[data-sort="event"] button');
    await page.waitForSelector(
      'table.events[data-sort="event"][data-dir="asc"]:not([data-loading])',
    );
    const names = await page
      .locator('table.events tbody tr[data-event]')
      .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.event!));
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
    );
    assert.equal(await page.getAttribute('th[data-sort="event"]', 'aria-sort'), 'ascending');

    await page.fill('input.filter', 'purchase');
    await page.waitForSelector('table.events[data-q="purchase"]:not([data-loading])');
    assert.deepEqual(
      await page
        .locator('table.events tbody tr[data-event]:visible')
        .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.event)),
      [BREAKDOWN_EVENT],
    );
    assert.match((await page.locator('.toolbar .muted').textContent()) ?? '', /1 of 64 events/);
    assert.match(page.url(), /q=purchase/, 'the filter is kept in the URL');
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-filtered.png') });
  });

  test('opens an event and draws its daily chart and breakdowns', async () => {
    await page.click(`tr[data-event="${BREAKDOWN_EVENT}"] a`);
    await page.waitForSelector('body[data-ready="event"]');
    assert.equal((await page.locator('h1.event-name').textContent()) ?? '', BREAKDOWN_EVENT);
    await waitForChart(page, '[data-chart="total"]');
    await waitForChart(page, '[data-chart="By app"]');
    await waitForChart(page, '[data-chart="By segment"]');
    const box = await page.locator('[data-chart="total"] canvas').boundingBox();
    assert.ok(box && box.width > 600 && box.height > 200, JSON.stringify(box));
    assert.ok((await inkedPixels(page, '[data-chart="total"]')) > 2000);
    assert.equal(await page.locator('table.breakdown tbody tr').count(), 3);
    await page.screenshot({ path: join(SCREENSHOTS, 'event-daily.png'), fullPage: true });
  });

  test('switches to hourly and downloads exactly the rows shown as CSV', async () => {
    await page.click('button[data-unit="hour"]');
    await page.waitForFunction(
      () => document.querySelector('section.card h2')?.textContent === 'Hourly count',
    );
    await waitForChart(page, '[data-chart="total"]');
    assert.equal(await page.getAttribute('button[data-unit="hour"]', 'aria-pressed'), 'true');
    // Only 100 hours are stored: no change against a half-synced previous period.
    assert.match(
      (await page.locator('.cards').textContent()) ?? '',
      /Previous periodnot syncedChange–/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'event-hourly.png'), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('a:text("Download CSV")'),
    ]);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'workspace,event,unit,app_id,segment_id,time,bucket_start,count');
    const expected = await db.query<{ time: string; bucket_start: string; count: number }>(
      `SELECT time, bucket_start, count FROM event_counts
        WHERE workspace = 'demo' AND event = ? AND unit = 'hour' AND bucket_start >= ? AND bucket_start < ?
        ORDER BY bucket_start`,
      [BREAKDOWN_EVENT, '2026-02-28T10:00:00.000Z', '2026-03-04T10:00:00.000Z'],
    );
    assert.equal(expected.length, 96);
    assert.deepEqual(
      lines.slice(1),
      expected.map((r) => `demo,${BREAKDOWN_EVENT},hour,,,${r.time},${r.bucket_start},${r.count}`),
    );
  });

  test('an anomalous event explains its badge', async () => {
    await page.goto(`${dash.url}/#/event/${encodeURIComponent('Checkout Started')}`);
    await page.waitForSelector('body[data-ready="event"] .notice-drop');
    await waitForChart(page, '[data-chart="total"]');
    assert.match(
      (await page.locator('.notice-drop').textContent()) ?? '',
      /2026-03-03 \(last complete day\)/,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'event-anomaly.png'), fullPage: true });
  });

  test('event names with &, /, quotes and non-ASCII survive the round trip', async () => {
    const name = 'Søk & Finn / "beta"';
    await page.goto(`${dash.url}/#/?q=${encodeURIComponent('søk')}`);
    await page.waitForSelector('body[data-ready="overview"] table.events tbody tr[data-event]');
    assert.equal(await page.locator('table.events tbody tr[data-event]').count(), 1);
    await page.click('table.events tbody tr[data-event] a');
    await page.waitForSelector('body[data-ready="event"]');
    assert.equal((await page.locator('h1.event-name').textContent()) ?? '', name);
    await waitForChart(page, '[data-chart="total"]');
  });

  test('sync status shows runs, their errors and watermarks', async () => {
    await page.click('a[data-nav="sync"]');
    await page.waitForSelector('body[data-ready="sync"]');
    assert.equal(await page.locator('.status-pill.failed').count(), 1);
    assert.match((await page.locator('tr.has-error td.error-text').textContent()) ?? '', /503/);
    await page.screenshot({ path: join(SCREENSHOTS, 'sync-status.png'), fullPage: true });
  });

  test('sync status shows a sync that holds the lock but has no run yet, and none after', async () => {
    // What a sync holds while it lists events, before its run row: the workspace's lock.
    const lock = await db.tryLock('sync:demo');
    assert.ok('release' in lock);
    try {
      await page.reload();
      await page.waitForSelector('body[data-ready="sync"]');
      const notice = page.locator('.notice-live');
      assert.equal(await notice.getAttribute('data-sync'), 'preparing');
      assert.match(
        (await notice.textContent()) ?? '',
        new RegExp(
          `^Sync in progress since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(pid ${process.pid} on [^)]+\\): preparing \\(listing events, checking the selection\\); no run opened yet`,
        ),
      );
      // The runs are the finished ones, as before.
      assert.equal(await page.locator('.status-pill.failed').count(), 1);
      assert.equal(await page.locator('.status-pill.running').count(), 0);
      await page.screenshot({ path: join(SCREENSHOTS, 'sync-preparing.png'), fullPage: true });
    } finally {
      await lock.release();
    }
    await page.reload();
    await page.waitForSelector('body[data-ready="sync"]');
    assert.equal(await page.locator('.notice-live').count(), 0);
  });

  test('sync status marks a run left running by a process that is gone', async () => {
    // What a sync killed mid-run leaves: its row still running, no lock held.
    const [row] = await db.query<{ id: number }>(
      `INSERT INTO sync_runs (workspace, started_at, heartbeat_at, status, units)
       VALUES ('demo', '2026-06-15T13:31:00.000Z', '2026-06-15T13:32:00.000Z', 'running', 'day') RETURNING id`,
    );
    try {
      await page.reload();
      await page.waitForSelector('body[data-ready="sync"]');
      const gone = page.locator('tbody .status-pill.gone');
      assert.equal(await gone.count(), 1);
      assert.equal(await gone.textContent(), 'running, process gone');
      assert.match((await gone.getAttribute('title')) ?? '', /next sync marks it interrupted/);
      assert.equal(await page.locator('.status-pill.running').count(), 0);
      await page.screenshot({ path: join(SCREENSHOTS, 'sync-process-gone.png'), fullPage: true });
    } finally {
      await db.exec('DELETE FROM sync_runs WHERE id = ?', [Number(row!.id)]);
    }
  });

  test('no script error, console error or failed request on any page', () => {
    assert.deepEqual(problems, []);
  });
});

describe('dashboard in Chromium, 20,000 events', () => {
  const EVENTS = 20_000;
  let dir: string;
  let dash: Dashboard;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const names = async () =>
    page
      .locator('table.events tbody tr[data-event]')
      .evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.event!));
  const settled = (attrs: string) =>
    page.waitForSelector(`table.events${attrs}:not([data-loading])`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'braze-dash-20k-'));
    const file = join(dir, 'big.db');
    await seedLargeSqlite(file, { events: EVENTS, days: 70, workspace: 'big' });
    // As a sync leaves it: the default overviews stored, so that search, sort and paging
    // below run in SQL over the precomputed rows (precompute.test.ts proves them equal to
    // the live answers).
    const db = await openDatabase(file);
    try {
      assert.equal(await precomputeOverviews(db, () => SEED_NOW), 2);
    } finally {
      await db.close();
    }
    dash = await startDashboard({ db: file, now: () => SEED_NOW });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  });
  after(async () => {
    await browser?.close();
    await dash?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the first page of 200 rows, the counts over all 20,000 events', async () => {
    const answers: number[] = [];
    page.on('response', async (res) => {
      if (res.url().includes('/api/overview')) answers.push((await res.body()).length);
    });
    await page.goto(`${dash.url}/#/?sort=total&dir=desc`);
    await page.waitForSelector('body[data-ready="overview"] [data-anomalies="loaded"]');
    await settled('[data-sort="total"][data-dir="desc"]');
    assert.equal(await page.locator('table.events tbody tr[data-event]').count(), 200);
    assert.equal(await page.locator('table.events svg.spark polyline').count(), 200);
    assert.match((await page.locator('.cards').textContent()) ?? '', /Events20,000/);
    assert.match((await page.locator('.toolbar .muted').textContent()) ?? '', /^20,000 events$/);
    assert.equal((await page.locator('.pager .page-info').textContent()) ?? '', '1–200 of 20,000');
    assert.ok(answers.length > 0 && answers.every((bytes) => bytes < 1_000_000), String(answers));
    // Biggest first: the seeded level grows with (e × 7919) mod 20,000.
    const totals = await page
      .locator('table.events tbody tr[data-event] td.num:nth-child(2)')
      .evaluateAll((tds) => tds.map((td) => Number(td.textContent!.replace(/\D/g, ''))));
    assert.deepEqual(
      totals,
      [...totals].sort((a, b) => b - a),
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-20k.png') });
  });

  test('pages forward and back through the sorted events', async () => {
    await page.click('th[data-sort="event"] button');
    await settled('[data-sort="event"][data-dir="asc"][data-offset="0"]');
    const first = await names();
    assert.equal(first[0], 'Event 00000');
    assert.equal(first[199], 'Event 00199');
    await page.click('.pager .page-next');
    await settled('[data-sort="event"][data-offset="200"]');
    assert.deepEqual((await names()).slice(0, 2), ['Event 00200', 'Event 00201']);
    assert.equal(
      (await page.locator('.pager .page-info').textContent()) ?? '',
      '201–400 of 20,000',
    );
    assert.match(page.url(), /offset=200/, 'the page is kept in the URL');
    await page.click('.pager .page-prev');
    await settled('[data-sort="event"][data-offset="0"]');
    assert.deepEqual(await names(), first);
    assert.equal(await page.locator('.pager .page-prev').isDisabled(), true);

    await page.click('th[data-sort="event"] button');
    await settled('[data-sort="event"][data-dir="desc"][data-offset="0"]');
    assert.equal((await names())[0], 'Event 19999');
  });

  test('searches all 20,000 events on the server', async () => {
    await page.fill('input.filter', 'event 1234');
    await settled('[data-q="event 1234"]');
    // Event 12340–12349 (not Event 01234: a substring, not digits), the sort kept.
    assert.deepEqual(await names(), [
      'Event 12349',
      'Event 12348',
      'Event 12347',
      'Event 12346',
      'Event 12345',
      'Event 12344',
      'Event 12343',
      'Event 12342',
      'Event 12341',
      'Event 12340',
    ]);
    assert.match(
      (await page.locator('.toolbar .muted').textContent()) ?? '',
      /10 of 20,000 events/,
    );
    assert.equal(await page.locator('.pager').isHidden(), true);
    await page.fill('input.filter', 'no such event');
    await settled('[data-q="no such event"]');
    assert.equal(await page.locator('tr.empty').count(), 1);
    assert.deepEqual(problems, []);
  });
});
