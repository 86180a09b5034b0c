/**
 * The shared dashboard's access token over HTTP and in Chromium: no token, a wrong token,
 * the token (traded for an HttpOnly SameSite cookie), the cookie alone; the refusal of a
 * non-loopback host without a token (decided before binding); and `serve` printing the
 * generated token once. Every server binds 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import {
  ACCESS_COOKIE_MAX_AGE_SECONDS,
  accessCookieName,
  createAccessGate,
  type Dashboard,
  decideAccess,
  startDashboard,
} from '../../src/dashboard/index.js';
import type { Database } from '../../src/sync/db/types.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../helpers/chromium.js';
import { ensureBuilt, ROOT, runCli, startCli } from '../helpers/cli.js';
import { createVirtualClock } from '../helpers/clock.js';
import { SEED_NOW, SEEDED_ANOMALIES, seedDatabase } from './seed.js';

const TOKEN = 'tok-3f9a1c7e2b6d4a80-share';
const EVENT = Object.keys(SEEDED_ANOMALIES)[0]!;
const PATHS = [
  '/',
  '/assets/app.js',
  '/assets/style.css',
  '/vendor/uPlot.min.css',
  '/api/workspaces',
  '/api/overview',
  `/api/event?event=${encodeURIComponent(EVENT)}`,
  '/api/sync',
];

describe('dashboard with an access token', () => {
  let dir: string;
  let db: Database;
  let dash: Dashboard;
  let ACCESS_COOKIE: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'braze-dash-access-'));
    db = await seedDatabase(join(dir, 'dash.db'), { extraEvents: 3 });
    dash = await startDashboard({ db, now: () => SEED_NOW, accessToken: TOKEN });
    ACCESS_COOKIE = accessCookieName(Number(new URL(dash.url).port), false);
  });
  after(async () => {
    await dash.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Asserts a 401 that gives nothing of the data away. */
  async function denied(response: Response, what: string) {
    assert.equal(response.status, 401, what);
    const body = await response.text();
    assert.ok(!body.includes(EVENT) && !body.includes('<main'), `${what}: data in a 401`);
    assert.equal(response.headers.get('set-cookie'), null);
  }

  test('no token, a wrong token, a wrong cookie: 401 on every page, asset and API route', async () => {
    for (const path of PATHS) {
      await denied(await fetch(`${dash.url}${path}`), `${path} without a token`);
      const sep = path.includes('?') ? '&' : '?';
      await denied(
        await fetch(`${dash.url}${path}${sep}token=not-the-token-123456`),
        `${path} wrong token`,
      );
      await denied(
        await fetch(`${dash.url}${path}`, { headers: { cookie: `${ACCESS_COOKIE}=forged-value` } }),
        `${path} wrong cookie`,
      );
      await denied(
        await fetch(`${dash.url}${path}`, {
          headers: { authorization: 'Bearer not-the-token-123456' },
        }),
        `${path} wrong bearer`,
      );
    }
    // The raw token is not a valid cookie: the cookie holds an expiry and an HMAC.
    await denied(
      await fetch(`${dash.url}/api/overview`, { headers: { cookie: `${ACCESS_COOKIE}=${TOKEN}` } }),
      'token as cookie',
    );
  });

  test('the token is traded for an HttpOnly SameSite cookie, which then opens everything', async () => {
    const exchange = await fetch(`${dash.url}/?token=${TOKEN}&days=30`, { redirect: 'manual' });
    assert.equal(exchange.status, 303);
    assert.equal(exchange.headers.get('location'), '/?days=30');
    const setCookie = exchange.headers.get('set-cookie')!;
    // Named after the port, so two dashboards on one host keep their own; a lifetime.
    assert.match(
      setCookie,
      new RegExp(
        `^braze_events_token_${new URL(dash.url).port}=\\d+\\.[A-Za-z0-9_-]{43}; Path=/; Max-Age=${ACCESS_COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax$`,
      ),
    );
    assert.ok(!setCookie.includes(TOKEN), 'the cookie holds the token itself');
    const cookie = setCookie.split(';')[0]!;
    for (const path of PATHS) {
      const r = await fetch(`${dash.url}${path}`, { headers: { cookie } });
      assert.equal(r.status, 200, path);
    }
    const overview = (await (
      await fetch(`${dash.url}/api/overview`, { headers: { cookie } })
    ).json()) as { events: { event: string }[] };
    assert.ok(overview.events.some((e) => e.event === EVENT));
    // Scripts may send the token as a bearer token instead.
    assert.equal(
      (await fetch(`${dash.url}/api/sync`, { headers: { authorization: `Bearer ${TOKEN}` } }))
        .status,
      200,
    );
    // Behind a TLS proxy the cookie is Secure.
    const proxied = await fetch(`${dash.url}/?token=${TOKEN}`, {
      redirect: 'manual',
      headers: { 'x-forwarded-proto': 'https' },
    });
    const secure = proxied.headers.get('set-cookie')!;
    assert.match(secure, /; Secure$/);
    // Over TLS the name is __Host-: the browser keeps it to this host, Path=/, Secure only.
    assert.ok(secure.startsWith(`__Host-braze_events_token_${new URL(dash.url).port}=`), secure);
    const hostCookie = secure.split(';')[0]!;
    assert.equal(
      (await fetch(`${dash.url}/api/sync`, { headers: { cookie: hostCookie } })).status,
      200,
    );
  });

  test("another dashboard's cookie, even for the same token, opens nothing here", async () => {
    const other = await startDashboard({ db, now: () => SEED_NOW, accessToken: TOKEN });
    try {
      const exchange = await fetch(`${other.url}/?token=${TOKEN}`, { redirect: 'manual' });
      const [name, value] = exchange.headers.get('set-cookie')!.split(';')[0]!.split('=');
      assert.equal(name, accessCookieName(Number(new URL(other.url).port), false));
      assert.notEqual(name, ACCESS_COOKIE, 'one name per port');
      const there = await fetch(`${other.url}/api/sync`, {
        headers: { cookie: `${name}=${value}` },
      });
      assert.equal(there.status, 200);
      // The same value under this dashboard's name: another key signed it.
      await denied(
        await fetch(`${dash.url}/api/sync`, { headers: { cookie: `${ACCESS_COOKIE}=${value}` } }),
        "another server's cookie",
      );
    } finally {
      await other.close();
    }
  });

  test('the exchange redirects to a same-origin path only', async () => {
    const { port } = new URL(dash.url);
    // Raw paths, as a hostile link sends them (fetch would normalise them first).
    for (const [path, want] of [
      [`/x/..//evil.example/?token=${TOKEN}`, '/evil.example/'],
      [`//evil.example/?token=${TOKEN}`, '/'],
      [`/x/../\\evil.example/a?token=${TOKEN}&days=7`, '/evil.example/a?days=7'],
      [`/?token=${TOKEN}&days=30`, '/?days=30'],
    ] as const) {
      const location = await new Promise<string | undefined>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path }, (res) => {
          res.resume();
          resolve(res.headers.location);
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(location, want, path);
    }
  });

  test('in Chromium: refused without the token; the link works; then the cookie alone', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    });
    try {
      const stranger = await browser.newPage();
      const refused = await stranger.goto(`${dash.url}/`);
      assert.equal(refused?.status(), 401);
      assert.ok(!(await stranger.content()).includes(EVENT));

      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
      });
      await page.goto(`${dash.url}/?token=${TOKEN}`);
      await page.waitForSelector('body[data-ready="overview"] [data-anomalies="loaded"]');
      assert.ok(!page.url().includes('token='), 'the token stays in the address bar');
      const cookies = await context.cookies();
      assert.equal(cookies.length, 1);
      assert.equal(cookies[0]!.httpOnly, true);
      assert.equal(cookies[0]!.sameSite, 'Lax');
      assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read it');

      // A fresh browser context holding only the cookie: the overview and an event page work.
      const second = await browser.newContext();
      await second.addCookies(cookies);
      const again = await second.newPage();
      again.on('pageerror', (e) => problems.push(e.message));
      again.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
      });
      await again.goto(`${dash.url}/#/event/${encodeURIComponent(EVENT)}`);
      await again.waitForSelector('body[data-ready="event"]');
      assert.match((await again.textContent('body')) ?? '', new RegExp(EVENT));
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
    }
  });
});

test('an access cookie expires after its Max-Age, on the server too', () => {
  const clock = createVirtualClock(Date.UTC(2026, 10, 29, 9, 0, 0));
  const gate = createAccessGate(TOKEN, clock.now);
  const req = (extra: { url: string; cookieHeader?: string }) => ({
    url: new URL(extra.url),
    cookieHeader: extra.cookieHeader,
    authorization: undefined,
    secure: false,
    port: 8787,
  });
  const exchange = decideAccess(gate, req({ url: `http://h:8787/?token=${TOKEN}` }));
  assert.equal(exchange.kind, 'exchange');
  const cookie = (exchange as { setCookie: string }).setCookie.split(';')[0]!;
  assert.ok(cookie.startsWith('braze_events_token_8787='));
  clock.advance((ACCESS_COOKIE_MAX_AGE_SECONDS - 1) * 1000);
  assert.equal(
    decideAccess(gate, req({ url: 'http://h:8787/', cookieHeader: cookie })).kind,
    'allow',
  );
  clock.advance(1000);
  assert.equal(
    decideAccess(gate, req({ url: 'http://h:8787/', cookieHeader: cookie })).kind,
    'deny',
  );
  // A forged expiry breaks the signature.
  const [name, value] = cookie.split('=');
  const forged = `${name}=${Number(value!.split('.')[0]) + 3600}.${value!.split('.')[1]}`;
  assert.equal(
    decideAccess(gate, req({ url: 'http://h:8787/', cookieHeader: forged })).kind,
    'deny',
  );
  // Another port's name is not this dashboard's cookie.
  clock.advance(-1000);
  const elsewhere = { ...req({ url: 'http://h:8788/', cookieHeader: cookie }), port: 8788 };
  assert.equal(decideAccess(gate, elsewhere).kind, 'deny');
});

test('Host: any loopback name (core isLoopback) or the bound host; others get 421', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'braze-dash-host-'));
  const db = await seedDatabase(join(dir, 'host.db'), { extraEvents: 1 });
  const dash = await startDashboard({ db, now: () => SEED_NOW });
  try {
    const { port } = new URL(dash.url);
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/api/sync', headers: { host } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `127.0.0.2:${port}`,
      `dash.localhost:${port}`,
      `[::1]:${port}`,
    ]) {
      assert.equal(await status(host), 200, host);
    }
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1.evil.example:${port}`,
      '[::2]',
    ]) {
      assert.equal(await status(host), 421, host);
    }
  } finally {
    await dash.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a non-loopback host without a token is refused before anything is bound', async () => {
  for (const host of ['0.0.0.0', '192.0.2.10', '::']) {
    await assert.rejects(
      startDashboard({ db: 'sqlite:/nonexistent/never-opened.db', host }),
      new RegExp(`host ${host.replace(/\./g, '\\.')} is not loopback: .*access token`),
    );
  }
  await assert.rejects(
    startDashboard({ db: 'sqlite::memory:', accessToken: 'short' }),
    /at least 16/,
  );
});

describe('braze-events serve with a token (built binary)', () => {
  let dir: string;
  let dbPath: string;
  before(async () => {
    await ensureBuilt();
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts', 'copy-assets.mjs')]);
    dir = mkdtempSync(join(tmpdir(), 'braze-serve-token-'));
    dbPath = join(dir, 'serve.db');
    await (await seedDatabase(dbPath, { extraEvents: 1 })).close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--require-token prints the link with a generated token once; it opens the dashboard', async () => {
    const serve = startCli(['serve', '--db', dbPath, '--require-token']);
    try {
      const link = (await serve.waitFor('stdout', /\n/)).split('\n')[0]!;
      const match = /^(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]{43})$/.exec(link);
      assert.ok(match, link);
      const [, base, token] = match;
      assert.equal((await fetch(`${base}/api/overview`)).status, 401);
      const r = await fetch(`${base}/api/overview`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(r.status, 200);
      assert.ok(!serve.stderr().includes(token!), 'the token is printed once, on stdout only');
    } finally {
      serve.child.kill('SIGINT');
      await serve.done;
    }
  });

  test('--token-file: a short or missing token is a usage error; a non-loopback host without one is refused', async () => {
    const short = join(dir, 'short.token');
    writeFileSync(short, 'abc\n');
    const r = await runCli(['serve', '--db', dbPath, '--token-file', short]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: --token-file: the access token must be at least 16/);
    const missing = await runCli([
      'serve',
      '--db',
      dbPath,
      '--host',
      '192.0.2.10',
      '--token-file',
      join(dir, 'nope'),
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--token-file: cannot read .*ENOENT/);
  });
});
