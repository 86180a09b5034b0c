/**
 * The page in Chromium while the API answers 503 because the database is away: it shows the
 * server's message (not a stack, not a spinner) with a way to try again, and loads once the
 * database is back, on the same server. The database is a real SQLite file behind a switch
 * that makes every statement fail as a refused connection does (db-away.test.ts stops a
 * real PostgreSQL server for the same 503).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type Dashboard, startDashboard } from '../../src/dashboard/index.js';
import type { Database } from '../../src/sync/db/types.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';
import { SEED_NOW, seedDatabase } from './seed.js';

// As browser.test.ts (importing it would run its tests here too).
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

const LOCATION = 'postgres://analyst:***@db.internal:5432/analytics';
const MESSAGE =
  /the database at postgres:\/\/analyst:\*\*\*@db\.internal:5432\/analytics \(password hidden\) is not answering \(connect ECONNREFUSED 10\.0\.0\.5:5432\); the dashboard retries on the next request/;

describe('dashboard in Chromium while the database is away', () => {
  let dir: string;
  let db: Database;
  let dash: Dashboard;
  let browser: Browser;
  let page: Page;
  let away = false;
  const pageErrors: string[] = [];

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'braze-dash-away-'));
    db = await seedDatabase(join(dir, 'dash.db'), { extraEvents: 3 });
    const refused = () =>
      Promise.reject(
        Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' }),
      );
    const switchable: Database = {
      ...db,
      location: LOCATION,
      query: (sql, params) => (away ? refused() : db.query(sql, params)),
      exec: (sql, params) => (away ? refused() : db.exec(sql, params)),
      lockHolder: (name) => (away ? refused() : db.lockHolder(name)),
      heldLockNames: (prefix) => (away ? refused() : db.heldLockNames(prefix)),
    };
    dash = await startDashboard({ db: switchable, now: () => SEED_NOW });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await browser?.close();
    await dash?.close();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('opening the page while it is away shows the message; Try again loads it once back', async () => {
    away = true;
    const statuses: number[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/api/overview')) statuses.push(res.status());
    });
    await page.goto(dash.url);
    await page.waitForSelector('body[data-ready="overview"] .error');
    assert.deepEqual(statuses, [503]);
    const box = (await page.locator('#view .error').textContent()) ?? '';
    assert.match(box, MESSAGE);
    assert.doesNotMatch(box, /run sync again/);
    await page.screenshot({ path: join(SCREENSHOTS, 'database-away.png') });

    away = false;
    await page.click('#view .error button.retry');
    await page.waitForSelector('table.events tbody tr[data-event]');
    assert.equal(await page.locator('table.events tbody tr[data-event]').count(), 7);
    assert.equal(await page.locator('#view .error').count(), 0);
  });

  test('a sort asked for while it is away shows the message instead of a table left loading', async () => {
    away = true;
    await page.click('th[data-sort="event"] button');
    await page.waitForSelector('.table-card .error');
    assert.match((await page.locator('.table-card .error').textContent()) ?? '', MESSAGE);
    assert.equal(await page.locator('table.events[data-loading]').count(), 0);

    away = false;
    await page.click('.table-card .error button.retry');
    await page.waitForSelector(
      'table.events[data-sort="event"][data-dir="asc"]:not([data-loading])',
    );
    assert.equal(await page.locator('.table-card .error').count(), 0);
    assert.equal(await page.locator('table.events tbody tr[data-event]').count(), 7);
  });

  test('the sync status page says it too, and loads once back', async () => {
    away = true;
    await page.click('a[data-nav="sync"]');
    await page.waitForSelector('body[data-ready="sync"] #view .error');
    assert.match((await page.locator('#view .error').textContent()) ?? '', MESSAGE);

    away = false;
    await page.click('#view .error button.retry');
    await page.waitForSelector('#view .status-pill');
    assert.equal(await page.locator('#view .error').count(), 0);
  });

  test('no script error on the way', () => {
    assert.deepEqual(pageErrors, []);
  });
});
