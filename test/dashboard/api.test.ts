/**
 * The dashboard's HTTP API against real databases of both dialects (a SQLite file and a
 * throwaway PostgreSQL cluster): totals, sparklines and CSV rows are checked against the
 * stored rows, recomputed here in plain JS.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { csvCell } from '../../src/core/csv.js';
import type { DashboardConfig } from '../../src/dashboard/api-types.js';
import {
  type Dashboard,
  DEFAULT_RANGE_DAYS,
  PRECOMPUTED_RANGE_DAYS,
  startDashboard,
} from '../../src/dashboard/index.js';
import { DEFAULT_OVERVIEW_LIMIT } from '../../src/dashboard/overview-page.js';
import { DASHBOARD_CONFIG, embedConfig } from '../../src/dashboard/page-config.js';
import { RANGE_PRESET_DAYS } from '../../src/dashboard/range.js';
import type { Database } from '../../src/sync/db/types.js';
import { createDatabaseFactory, DIALECTS } from '../sync/databases.js';
import {
  APPS,
  BREAKDOWN_EVENT,
  DAY,
  SEED_NOW,
  SEEDED_ANOMALIES,
  SEGMENTS,
  seedDatabase,
} from './seed.js';

interface Row {
  event: string;
  unit: string;
  app_id: string;
  segment_id: string;
  time: string;
  bucket_start: string;
  count: number;
}

const factory = createDatabaseFactory();
after(() => factory.close());

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function sumRows(rows: Row[], event: string, from: number, to: number, unit = 'day'): number {
  return rows
    .filter(
      (r) =>
        r.event === event &&
        r.unit === unit &&
        r.app_id === '' &&
        r.segment_id === '' &&
        Date.parse(r.bucket_start) >= from &&
        Date.parse(r.bucket_start) < to,
    )
    .reduce((s, r) => s + r.count, 0);
}

for (const dialect of DIALECTS) {
  describe(`dashboard API on ${dialect}`, () => {
    let db: Database;
    let dash: Dashboard;
    let rows: Row[];

    before(async () => {
      db = await seedDatabase(await factory.fresh(dialect), { extraEvents: 8 });
      dash = await startDashboard({ db, now: () => SEED_NOW });
      rows = (
        await db.query<Row>(
          'SELECT event, unit, app_id, segment_id, time, bucket_start, count FROM event_counts',
        )
      ).map((r) => ({ ...r, count: Number(r.count) }));
    });
    after(async () => {
      await dash?.close();
      await db?.close();
    });

    test('workspaces and their freshness come from the watermarks', async () => {
      const body = JSON.parse((await get(`${dash.url}/api/workspaces`)).text);
      assert.deepEqual(body.workspaces, [
        {
          name: 'demo',
          utcOffsetMinutes: 0,
          hourBuckets: 'local',
          units: {
            day: {
              series: 12,
              syncedThrough: '2026-03-04T00:00:00.000Z',
              completeThrough: '2026-03-03T00:00:00.000Z',
            },
            hour: {
              series: 12,
              syncedThrough: '2026-03-04T10:00:00.000Z',
              completeThrough: '2026-03-04T09:00:00.000Z',
            },
          },
        },
      ]);
    });

    test('overview: totals, previous period and sparklines match the stored rows', async () => {
      const body = JSON.parse((await get(`${dash.url}/api/overview`)).text);
      const to = Date.parse('2026-03-04T00:00:00.000Z');
      const from = to - 30 * DAY;
      assert.equal(body.from, new Date(from).toISOString());
      assert.equal(body.to, new Date(to).toISOString(), 'ends with the last complete day');
      assert.equal(body.binMs, DAY);
      assert.equal(body.events.length, 12);
      for (const e of body.events) {
        assert.equal(e.total, sumRows(rows, e.event, from, to), e.event);
        assert.equal(e.previous, sumRows(rows, e.event, from - 30 * DAY, from), e.event);
        assert.equal(e.spark.length, 30);
        assert.equal(e.spark.at(-1), sumRows(rows, e.event, to - DAY, to));
        assert.equal(
          e.spark.reduce((a: number, b: number) => a + b, 0),
          e.total,
        );
      }
    });

    test('overview pages: sorted, searched and sliced on the server, totals over every event', async () => {
      const all = JSON.parse((await get(`${dash.url}/api/overview?sort=total&limit=1000`)).text);
      assert.equal(all.eventCount, 12);
      assert.equal(all.matched, 12);
      const totals = all.events.map((e: { total: number }) => e.total);
      assert.deepEqual(
        totals,
        [...totals].sort((a: number, b: number) => b - a),
      );
      const grand = totals.reduce((a: number, b: number) => a + b, 0);
      assert.equal(all.summary.total, grand);

      const page = JSON.parse(
        (await get(`${dash.url}/api/overview?sort=total&offset=4&limit=3`)).text,
      );
      assert.deepEqual(page.events, all.events.slice(4, 7));
      assert.equal(page.eventCount, 12, 'counted over every event, not the page');
      assert.equal(page.summary.total, grand);
      assert.deepEqual([page.offset, page.limit, page.sort, page.dir], [4, 3, 'total', 'desc']);

      const name = all.events[5].event as string;
      const found = JSON.parse(
        (await get(`${dash.url}/api/overview?q=${encodeURIComponent(name.toUpperCase())}`)).text,
      );
      assert.ok(found.events.some((e: { event: string }) => e.event === name));
      assert.ok(
        found.events.every((e: { event: string }) =>
          e.event.toLowerCase().includes(name.toLowerCase()),
        ),
      );
      assert.equal(found.matched, found.events.length);
      assert.equal(found.eventCount, 12);

      // A filter with glob syntax reads as `--match` does (src/core/name-match.ts).
      const globbed = JSON.parse(
        (await get(`${dash.url}/api/overview?q=${encodeURIComponent('Purchase*')}&limit=1000`))
          .text,
      );
      const purchases = all.events
        .map((e: { event: string }) => e.event)
        .filter((e: string) => e.startsWith('Purchase'));
      assert.ok(purchases.length > 0);
      assert.deepEqual(
        globbed.events.map((e: { event: string }) => e.event).sort(),
        purchases.sort(),
      );

      const flagged = JSON.parse(
        (await get(`${dash.url}/api/overview?anomalies=1&sort=status`)).text,
      );
      const report = JSON.parse((await get(`${dash.url}/api/anomalies`)).text);
      assert.deepEqual(
        flagged.events.map((e: { event: string }) => e.event).sort(),
        report.findings.map((f: { event: string }) => f.event).sort(),
      );
    });

    test('overview over a year sums weeks into at most 62 sparkline points', async () => {
      const body = JSON.parse((await get(`${dash.url}/api/overview?days=365`)).text);
      assert.equal(body.binMs, 7 * DAY);
      const to = Date.parse(body.to);
      for (const e of body.events) {
        assert.equal(e.spark.length, 52, 'whole weeks only, aligned to the end');
        // A week not wholly stored (the seed's 120 days start mid-week) is null, not a
        // partial sum: the points are the weeks every day of which is synced.
        const stored = new Set(
          rows
            .filter((r) => r.event === e.event && r.unit === 'day' && !r.app_id && !r.segment_id)
            .map((r) => Date.parse(r.bucket_start)),
        );
        e.spark.forEach((v: number | null, i: number) => {
          const week = to - (52 - i) * 7 * DAY;
          const whole = [0, 1, 2, 3, 4, 5, 6].every((d) => stored.has(week + d * DAY));
          assert.equal(v, whole ? sumRows(rows, e.event, week, week + 7 * DAY) : null, `${i}`);
        });
        assert.equal(e.spark.filter((v: number | null) => v !== null).length, 17);
        assert.equal(e.total, sumRows(rows, e.event, to - 365 * DAY, to));
        assert.equal(e.previousComplete, false, 'the seed holds 120 days, not two years');
        assert.equal(e.changePct, null);
      }
    });

    test('overview of hours defaults to the last 4 days of complete hours', async () => {
      const body = JSON.parse((await get(`${dash.url}/api/overview?unit=hour`)).text);
      assert.equal(body.to, '2026-03-04T10:00:00.000Z');
      assert.equal(body.from, '2026-02-28T10:00:00.000Z');
      assert.equal(body.binMs, 2 * 3_600_000, '96 hours do not fit 62 points: one per 2 hours');
      assert.equal(body.events[0].spark.length, 48);
      const e = body.events.find((x: { event: string }) => x.event === 'Add to Cart');
      assert.equal(
        e.total,
        sumRows(rows, 'Add to Cart', Date.parse(body.from), Date.parse(body.to), 'hour'),
      );
    });

    test('a range reaching before the synced hours: unsynced bins are null, not 0; coverage says where data starts', async () => {
      // The seed holds 100 hours: 30 days of hours is 60 twelve-hour bins, of which only
      // the last ones are synced. A zero there would read as "no events that week".
      const body = JSON.parse((await get(`${dash.url}/api/overview?unit=hour&days=30`)).text);
      const hourRows = rows.filter(
        (r) => r.unit === 'hour' && r.app_id === '' && r.segment_id === '',
      );
      const first = Math.min(...hourRows.map((r) => Date.parse(r.bucket_start)));
      const last = Math.max(...hourRows.map((r) => Date.parse(r.bucket_start)));
      assert.deepEqual(body.coverage, {
        from: new Date(first).toISOString(),
        through: new Date(last).toISOString(),
      });
      assert.equal(body.binMs, 12 * 3_600_000);
      const to = Date.parse(body.to);
      for (const e of body.events) {
        assert.equal(e.spark.length, 60);
        e.spark.forEach((v: number | null, i: number) => {
          const binFrom = to - (60 - i) * body.binMs;
          const whole = binFrom >= first && binFrom + body.binMs <= last + 3_600_000;
          if (!whole) assert.equal(v, null, `${e.event} bin ${i}`);
          else assert.equal(v, sumRows(rows, e.event, binFrom, binFrom + body.binMs, 'hour'));
        });
        assert.ok(e.spark.filter((v: number | null) => v !== null).length >= 7, e.event);
      }
    });

    test('custom from/to ranges are honoured', async () => {
      const body = JSON.parse(
        (await get(`${dash.url}/api/overview?from=2026-02-01&to=2026-02-08`)).text,
      );
      assert.equal(body.from, '2026-02-01T00:00:00.000Z');
      assert.equal(body.to, '2026-02-08T00:00:00.000Z');
      assert.equal(body.previousFrom, '2026-01-25T00:00:00.000Z');
      const e = body.events.find((x: { event: string }) => x.event === BREAKDOWN_EVENT);
      assert.equal(
        e.total,
        sumRows(rows, BREAKDOWN_EVENT, Date.parse(body.from), Date.parse(body.to)),
      );
    });

    test('anomalies come from the check', async () => {
      const body = JSON.parse((await get(`${dash.url}/api/anomalies`)).text);
      assert.deepEqual(
        Object.fromEntries(
          body.findings.map((f: { event: string; kind: string }) => [f.event, f.kind]),
        ),
        SEEDED_ANOMALIES,
      );
    });

    test('event: total, per-app and per-segment series on one time grid', async () => {
      const q = new URLSearchParams({ event: BREAKDOWN_EVENT, days: '7' });
      const body = JSON.parse((await get(`${dash.url}/api/event?${q}`)).text);
      assert.equal(body.times.length, 7);
      assert.equal(body.times[0] * 1000, Date.parse(body.from));
      const keys = body.series
        .map((s: { appId: string; segmentId: string }) => `${s.appId}/${s.segmentId}`)
        .sort();
      assert.deepEqual(keys, ['/', '/vip', 'android-app/', 'ios-app/']);
      const total = body.series.find(
        (s: { appId: string; segmentId: string }) => s.appId === '' && s.segmentId === '',
      );
      assert.equal(
        total.total,
        sumRows(rows, BREAKDOWN_EVENT, Date.parse(body.from), Date.parse(body.to)),
      );
      const apps = body.series.filter((s: { appId: string }) => APPS.includes(s.appId));
      assert.deepEqual(
        total.counts,
        apps[0].counts.map((c: number, i: number) => c + apps[1].counts[i]),
        'apps sum to the total',
      );
    });

    test('event CSV holds exactly the stored rows of the range', async () => {
      const q = new URLSearchParams({
        event: BREAKDOWN_EVENT,
        from: '2026-02-20',
        to: '2026-02-27',
      });
      const res = await get(`${dash.url}/api/event.csv?${q}`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(
        res.headers.get('content-disposition') ?? '',
        // Named by its last day (to=2026-02-27 is exclusive), as the data runs.
        /attachment; filename="Purchase_Completed-day-2026-02-20-to-2026-02-26\.csv"/,
      );
      const lines = res.text.trimEnd().split('\r\n');
      assert.equal(lines[0], 'workspace,event,unit,app_id,segment_id,time,bucket_start,count');
      const expected = rows
        .filter(
          (r) =>
            r.event === BREAKDOWN_EVENT &&
            r.unit === 'day' &&
            r.bucket_start >= '2026-02-20' &&
            r.bucket_start < '2026-02-27',
        )
        .map(
          (r) =>
            `demo,${r.event},day,${r.app_id},${r.segment_id},${r.time},${r.bucket_start},${r.count}`,
        )
        .sort();
      assert.equal(expected.length, 28);
      assert.deepEqual(lines.slice(1).sort(), expected);
    });

    test('sync status: runs newest first, errors kept, no lagging series', async () => {
      const body = JSON.parse((await get(`${dash.url}/api/sync`)).text);
      assert.equal(body.runs.length, 3);
      assert.deepEqual(
        body.runs.map((r: { status: string }) => r.status),
        ['succeeded', 'failed', 'succeeded'],
      );
      assert.match(body.runs[1].error, /503/);
      assert.deepEqual(
        body.units.map((u: { unit: string; series: number }) => [u.unit, Number(u.series)]),
        [
          ['day', 15],
          ['hour', 12],
        ],
      );
      assert.deepEqual(body.lagging, []);
    });

    test('sync status answers in camelCase, as every other endpoint', async () => {
      const body = JSON.parse((await get(`${dash.url}/api/sync`)).text);
      const failed = body.runs[1];
      assert.deepEqual(Object.keys(failed).sort(), [
        'error',
        'finishedAt',
        'heartbeatAt',
        'id',
        'processGone',
        'rateLimited',
        'requests',
        'retries',
        'rowsInserted',
        'rowsUpdated',
        'startedAt',
        'status',
        'units',
      ]);
      assert.equal(failed.processGone, false);
      assert.deepEqual(
        [
          failed.requests,
          failed.retries,
          failed.rateLimited,
          failed.rowsInserted,
          failed.rowsUpdated,
        ],
        [40, 5, 3, 0, 120],
      );
      assert.deepEqual(Object.keys(body.units[0]).sort(), [
        'breakdownSeries',
        'completeThrough',
        'freshest',
        'series',
        'stalest',
        'unit',
        'updatedAt',
      ]);
      // The breakdown event's two apps and one segment.
      assert.equal(body.units[0].breakdownSeries, APPS.length + SEGMENTS.length);
      assert.equal(body.stalest, undefined, 'the lagging series are `lagging`');
    });

    test('bad input is a 4xx with a JSON message', async () => {
      const cases: [string, number, RegExp][] = [
        ['/api/overview?unit=week', 400, /unit must be day or hour/],
        ['/api/overview?days=0', 400, /days must be an integer/],
        ['/api/overview?from=2026-03-01&to=2026-02-01', 400, /from must be before to/],
        ['/api/overview?from=yesterday', 400, /from must be a date/],
        ['/api/overview?workspace=nope', 404, /no workspace named "nope"/],
        ['/api/overview?sort=size', 400, /sort must be one of event, total/],
        ['/api/overview?dir=up', 400, /dir must be asc or desc, got "up"/],
        ['/api/overview?limit=0', 400, /limit must be an integer from 1 to 1000, got "0"/],
        ['/api/overview?offset=-1', 400, /offset must be an integer/],
        ['/api/event', 400, /event is required/],
        ['/api/nothing', 404, /no such API/],
        ['/assets/../package.json', 404, /not found/],
      ];
      for (const [path, status, re] of cases) {
        const res = await get(`${dash.url}${path}`);
        assert.equal(res.status, status, path);
        assert.match(JSON.parse(res.text).error, re, path);
      }
    });
  });
}

describe('dashboard HTTP server', () => {
  let db: Database;
  let dash: Dashboard;
  before(async () => {
    db = await seedDatabase(await factory.fresh('sqlite'), { extraEvents: 3 });
    dash = await startDashboard({ db, now: () => SEED_NOW });
  });
  after(async () => {
    await dash?.close();
    await db?.close();
  });

  test('the page carries the constants it shares with the server, as the API applies them', async () => {
    const page = await get(`${dash.url}/`);
    const found = /<script type="application\/json" id="dashboard-config">(.*?)<\/script>/.exec(
      page.text,
    );
    assert.ok(found, 'the config element is filled');
    const config = JSON.parse(found[1]!) as DashboardConfig;
    assert.deepEqual(config, {
      units: ['day', 'hour'],
      defaultUnit: 'day',
      defaultRangeDays: DEFAULT_RANGE_DAYS,
      rangePresetDays: RANGE_PRESET_DAYS,
      overviewLimit: DEFAULT_OVERVIEW_LIMIT,
      overviewSortDirs: {
        event: 'asc',
        total: 'desc',
        previous: 'desc',
        change: 'desc',
        status: 'asc',
      },
      anomalyKinds: ['silent', 'drop', 'spike', 'new'],
    });
    assert.equal((await get(`${dash.url}/assets/index.html`)).text, page.text);
    // What the page is told is what the API does without the parameter.
    const overview = JSON.parse((await get(`${dash.url}/api/overview`)).text);
    assert.equal(overview.limit, config.overviewLimit);
    assert.equal(overview.unit, config.defaultUnit);
    const days = (Date.parse(overview.to) - Date.parse(overview.from)) / DAY;
    assert.equal(days, config.defaultRangeDays.day);
    for (const [sort, dir] of Object.entries(config.overviewSortDirs)) {
      assert.equal(JSON.parse((await get(`${dash.url}/api/overview?sort=${sort}`)).text).dir, dir);
    }
    // The default range and the precomputed ones each have a button.
    for (const unit of config.units) {
      assert.ok(config.rangePresetDays[unit].includes(config.defaultRangeDays[unit]), unit);
      for (const d of PRECOMPUTED_RANGE_DAYS[unit]) {
        assert.ok(config.rangePresetDays[unit].includes(d), `${unit} ${d}`);
      }
    }
  });

  test('the config cannot close its element', () => {
    const html = embedConfig('<script type="application/json" id="dashboard-config"></script>', {
      ...DASHBOARD_CONFIG,
      units: ['</script><script>alert(1)</script>' as 'day'],
    });
    assert.doesNotMatch(html.slice(0, -'</script>'.length), /<\//);
    assert.throws(() => embedConfig('<p>no slot</p>'), /index\.html has no/);
  });

  test('serves the page, its assets and uPlot locally, with a strict CSP', async () => {
    const page = await get(`${dash.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<script src="\/vendor\/uPlot\.iife\.min\.js"/);
    assert.doesNotMatch(page.text, /https?:\/\//, 'no CDN');
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    for (const path of [
      '/assets/app.js',
      '/assets/style.css',
      '/vendor/uPlot.iife.min.js',
      '/vendor/uPlot.min.css',
    ]) {
      const res = await get(`${dash.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.ok(res.text.length > 100, path);
    }
  });

  test('is read-only', async () => {
    const res = await fetch(`${dash.url}/api/overview`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  });

  test('refuses a foreign Host header (DNS rebinding)', async () => {
    const { port } = new URL(dash.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/api/workspaces', headers: { host: 'evil.example:80' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 421);
  });

  test('compresses large JSON answers when asked', async () => {
    const { port } = new URL(dash.url);
    const { encoding, body } = await new Promise<{ encoding: string | undefined; body: Buffer }>(
      (resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/overview?days=90',
            headers: { 'accept-encoding': 'gzip' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    assert.equal(encoding, 'gzip');
    assert.equal(JSON.parse(gunzipSync(body).toString()).events.length, 7);
  });

  test('cached answers are dropped as soon as a count is written, with or without a sync', async () => {
    const url = `${dash.url}/api/overview?days=7`;
    const before = JSON.parse((await get(url)).text);
    assert.deepEqual(JSON.parse((await get(url)).text), before, 'the same answer again');
    const event = before.events[0].event;
    // A tool that rewrites a count and moves no watermark (migration 8's counter sees it).
    await db.exec(
      "UPDATE event_counts SET count = count + 1000 WHERE event = ? AND unit = 'day' AND app_id = '' AND segment_id = '' AND bucket_start = '2026-03-03T00:00:00.000Z'",
      [event],
    );
    const fresh = JSON.parse((await get(url)).text);
    assert.equal(fresh.events[0].total, before.events[0].total + 1000);
    // What a sync does next: move the series' watermark.
    await db.exec(
      "UPDATE series_watermarks SET updated_at = '2026-03-04T11:00:00.000Z' WHERE event = ?",
      [event],
    );
    const after = JSON.parse((await get(url)).text);
    assert.equal(after.events[0].total, before.events[0].total + 1000);
  });

  test('opens and closes its own database when given a URL', async () => {
    const url = await factory.fresh('sqlite');
    const seeded = await seedDatabase(url, { extraEvents: 1 });
    await seeded.close();
    const own = await startDashboard({ db: url, now: () => SEED_NOW });
    const body = JSON.parse((await get(`${own.url}/api/overview`)).text);
    assert.equal(body.events.length, 5);
    await own.close();
  });

  test('CSV cells are quoted and never start a formula', () => {
    // The download's cells (src/dashboard/csv.ts) are written with guardFormulas.
    const sheet = { guardFormulas: true };
    assert.equal(csvCell('plain', sheet), 'plain');
    assert.equal(csvCell('a,b "c"', sheet), '"a,b ""c"""');
    assert.equal(csvCell('=HYPERLINK("x")', sheet), `"'=HYPERLINK(""x"")"`);
    assert.equal(csvCell('-1+2', sheet), "'-1+2");
    assert.equal(csvCell(42, sheet), '42');
    // Without it (export), the cell is the value exactly.
    assert.equal(csvCell('=HYPERLINK("x")'), '"=HYPERLINK(""x"")"');
    assert.equal(csvCell('-1+2'), '-1+2');
  });
});
