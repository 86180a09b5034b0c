/**
 * `braze-events check --notify`: the built binary against a local webhook receiver on
 * 127.0.0.1: the Slack form, the JSON form, retries (500 then 200), a webhook that keeps
 * failing (exit 1, said on stderr), digests, the profile's webhooks, and the URL never
 * printed whole.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { displayWebhookUrl, parseWebhookUrl, webhookFormat } from '../../src/check/notify.js';
import { startEmulator } from '../../src/emulator/index.js';
import { SEEDED_ANOMALIES, seedDatabase } from '../dashboard/seed.js';
import { BIN, cleanEnv, ensureBuilt, ROOT, runCli } from '../helpers/cli.js';

interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

/** A receiver answering each request with the next status of `statuses` (then the last). */
async function receiver(
  statuses: number[],
): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      got.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body,
      });
      res.statusCode = statuses[Math.min(got.length - 1, statuses.length - 1)]!;
      res.end(res.statusCode < 300 ? 'ok' : 'error');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, server };
}

const SECRET = 'T0SECRET/B0SECRET/xyzSECRETtoken';

describe('check --notify (built binary, local receiver)', () => {
  let dir: string;
  let dbPath: string;
  const servers: Server[] = [];
  const start = async (statuses: number[]) => {
    const r = await receiver(statuses);
    servers.push(r.server);
    return r;
  };

  before(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'braze-check-notify-'));
    dbPath = join(dir, 'check.db');
    const db = await seedDatabase(dbPath, { extraEvents: 4 });
    await db.close();
  });
  after(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  test('the Slack form lists each anomaly with its value, baseline and dashboard link', async () => {
    const hook = await start([200]);
    const url = `${hook.url}/services/${SECRET}`;
    const r = await runCli([
      'check',
      '--db',
      dbPath,
      '--notify',
      url,
      '--notify-format',
      'slack',
      '--dashboard-url',
      'https://dash.example.com/',
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(hook.got.length, 1);
    assert.equal(hook.got[0]!.method, 'POST');
    assert.equal(hook.got[0]!.path, `/services/${SECRET}`);
    assert.equal(hook.got[0]!.contentType, 'application/json');
    const message = JSON.parse(hook.got[0]!.body) as { text: string };
    assert.deepEqual(Object.keys(message), ['text']);
    const lines = message.text.split('\n');
    assert.match(lines[0]!, /^\*braze-events check\*: 4 anomalies in 8 day series$/);
    for (const [event, kind] of Object.entries(SEEDED_ANOMALIES)) {
      const link = `<https://dash.example.com/#/event/${encodeURIComponent(event)}?ws=demo&unit=day|${event}>`;
      const line = lines.find((l) => l.includes(`|${event}>`));
      assert.ok(line, `no line for ${event}`);
      assert.ok(line.startsWith(`• *${link}* ${kind}: `), line);
      assert.match(line, / vs baseline [\d.-]+ \(.+\) on 2026-03-03$/);
    }
    assert.match(r.stderr, /notified http:\/\/127\.0\.0\.1:\d+\/services\/… \(slack\)/);
    assert.ok(
      !r.stderr.includes('SECRET') && !r.stdout.includes('SECRET'),
      'the URL was printed whole',
    );
  });

  test('any other URL gets the JSON report as one POST', async () => {
    const hook = await start([204]);
    const r = await runCli([
      'check',
      '--db',
      dbPath,
      '--json',
      '--notify',
      `${hook.url}/hook/${SECRET}?token=SECRET`,
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(hook.got.length, 1);
    assert.deepEqual(JSON.parse(hook.got[0]!.body), JSON.parse(r.stdout));
    assert.match(r.stderr, /notified http:\/\/127\.0\.0\.1:\d+\/hook\/… \(json\)/);
    assert.ok(!r.stderr.includes('SECRET'));
  });

  test('the JSON form links each finding to the dashboard when --dashboard-url is given', async () => {
    const hook = await start([204]);
    const r = await runCli([
      'check',
      '--db',
      dbPath,
      '--notify',
      `${hook.url}/hook/${SECRET}`,
      '--dashboard-url',
      'https://dash.example.com/',
    ]);
    assert.equal(r.code, 3, r.stderr);
    const body = JSON.parse(hook.got[0]!.body) as {
      dashboardUrl: string;
      findings: { event: string; dashboardUrl: string }[];
    };
    assert.equal(body.dashboardUrl, 'https://dash.example.com/');
    assert.equal(body.findings.length, Object.keys(SEEDED_ANOMALIES).length);
    for (const f of body.findings) {
      assert.equal(
        f.dashboardUrl,
        `https://dash.example.com/#/event/${encodeURIComponent(f.event)}?ws=demo&unit=day`,
      );
    }
  });

  test("docs/RECIPES.md's cron line is silent when anomalies were posted (cron mails nothing)", async () => {
    const hook = await start([200]);
    const emulator = await startEmulator({ port: 0, events: 3, keys: [{ key: 'recipe-key-1' }] });
    try {
      // A copy: the line's sync adds a workspace the other tests do not expect.
      const cronDb = join(dir, 'cron.db');
      copyFileSync(dbPath, cronDb);
      const recipes = readFileSync(join(ROOT, 'docs', 'RECIPES.md'), 'utf8');
      const line = recipes.split('\n').find((l) => /^15 3 \* \* \* braze /.test(l));
      assert.ok(line, 'the cron line');
      // The command after the user field, without sourcing the env file (the test sets it).
      const command = line
        .replace(/^15 3 \* \* \* braze\s+/, '')
        .replace('. /etc/braze-events.env && ', '')
        .replaceAll('braze-events ', `${process.execPath} ${BIN} `);
      const r = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const child = spawn('sh', ['-c', command], {
          env: cleanEnv({
            BRAZE_API_KEY: 'recipe-key-1',
            BRAZE_REST_ENDPOINT: emulator.url,
            BRAZE_EVENTS_DB: cronDb,
            BRAZE_NOTIFY: `${hook.url}/services/${SECRET}`,
          }),
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c;
        });
        child.stderr.on('data', (c: Buffer) => {
          out += c;
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, out }));
      });
      assert.equal(r.code, 0, r.out);
      assert.equal(r.out, '', 'cron would mail this');
      assert.equal(hook.got.length, 1, 'the anomalies went to the webhook');
      const posted = JSON.parse(hook.got[0]!.body) as { findings: unknown[] };
      assert.equal(posted.findings.length, Object.keys(SEEDED_ANOMALIES).length);
    } finally {
      await emulator.close();
    }
  });

  test('a 500 is retried; the 200 that follows is success', async () => {
    const hook = await start([500, 200]);
    const r = await runCli(['check', '--db', dbPath, '--notify', `${hook.url}/hook/${SECRET}`]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(hook.got.length, 2);
    assert.equal(hook.got[1]!.body, hook.got[0]!.body);
    assert.match(r.stderr, /webhook http:\/\/127\.0\.0\.1:\d+\/hook\/… answered 500; retry 1 in/);
  });

  test('a webhook that keeps failing makes the exit code 1 and says so', async () => {
    const hook = await start([503]);
    const r = await runCli(['check', '--db', dbPath, '--notify', `${hook.url}/hook/${SECRET}`]);
    assert.equal(r.code, 1);
    assert.equal(hook.got.length, 4, 'one attempt and three retries');
    assert.match(
      r.stderr,
      /^error: webhook http:\/\/127\.0\.0\.1:\d+\/hook\/… failed after 4 attempt\(s\): answered 503$/m,
    );
    assert.ok(!r.stderr.includes('SECRET'));
    const gone = await runCli([
      'check',
      '--db',
      dbPath,
      '--notify',
      'http://127.0.0.1:9/hook/x',
      '-q',
    ]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /failed after 4 attempt\(s\): network error/);
  });

  test('nothing found: no POST, unless --notify-always (a digest)', async () => {
    const hook = await start([200]);
    const quiet = await runCli([
      'check',
      '--db',
      dbPath,
      '--unit',
      'hour',
      '--notify',
      `${hook.url}/services/${SECRET}`,
    ]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(hook.got.length, 0);
    const digest = await runCli([
      'check',
      '--db',
      dbPath,
      '--unit',
      'hour',
      '--notify-always',
      '--notify-format',
      'slack',
      '--notify',
      `${hook.url}/services/${SECRET}`,
    ]);
    assert.equal(digest.code, 0, digest.stderr);
    assert.equal(hook.got.length, 1);
    assert.match(
      JSON.parse(hook.got[0]!.body).text,
      /^\*braze-events check\*: no anomalies in 8 hour series$/,
    );
  });

  test("the profile's webhooks and dashboard URL; bad URLs are usage errors", async () => {
    const hook = await start([200]);
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        profiles: {
          team: { notify: [`${hook.url}/services/${SECRET}`], dashboardUrl: 'https://d.example' },
        },
      }),
    );
    const env = cleanEnv({ BRAZE_EVENTS_CONFIG: config });
    const r = await runCli(
      ['check', '--db', dbPath, '--profile', 'team', '--notify-format', 'slack'],
      { env },
    );
    assert.equal(r.code, 3, r.stderr);
    assert.equal(hook.got.length, 1);
    assert.match(JSON.parse(hook.got[0]!.body).text, /<https:\/\/d\.example\/#\/event\//);

    const insecure = await runCli([
      'check',
      '--db',
      dbPath,
      '--notify',
      `http://hooks.example.com/services/${SECRET}`,
    ]);
    assert.equal(insecure.code, 2);
    assert.equal(
      insecure.stderr,
      'error: --notify http://hooks.example.com/services/… must use https:// (or http:// to loopback)\n',
    );
    const alone = await runCli(['check', '--db', dbPath, '--notify-always']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--notify-always needs --notify URL/);
  });

  test('BRAZE_NOTIFY: webhooks from the environment, not argv; the flag wins; a bad one is named', async () => {
    const a = await start([200]);
    const b = await start([200]);
    const env = cleanEnv({
      BRAZE_NOTIFY: ` ${a.url}/hook/${SECRET},\n${b.url}/hook/${SECRET} `,
    });
    const r = await runCli(['check', '--db', dbPath], { env });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(a.got.length, 1);
    assert.equal(b.got.length, 1);
    assert.equal(JSON.parse(a.got[0]!.body).findings.length, Object.keys(SEEDED_ANOMALIES).length);
    assert.ok(!r.stderr.includes('SECRET'));

    const c = await start([200]);
    const flag = await runCli(['check', '--db', dbPath, '--notify', `${c.url}/hook/${SECRET}`], {
      env,
    });
    assert.equal(flag.code, 3, flag.stderr);
    assert.equal(c.got.length, 1);
    assert.equal(a.got.length, 1, 'the flag replaces BRAZE_NOTIFY');

    const bad = await runCli(['check', '--db', dbPath], {
      env: cleanEnv({ BRAZE_NOTIFY: `http://hooks.example.com/services/${SECRET}` }),
    });
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr,
      'error: BRAZE_NOTIFY http://hooks.example.com/services/… must use https:// (or http:// to loopback)\n',
    );
  });
});

test('Slack is recognised by its URL shape; only the host and first segment are shown', () => {
  assert.equal(
    webhookFormat(parseWebhookUrl('https://hooks.slack.com/services/T1/B2/abc')),
    'slack',
  );
  assert.equal(webhookFormat(parseWebhookUrl('https://hooks.slack.com/workflows/T1/abc')), 'json');
  assert.equal(webhookFormat(parseWebhookUrl('https://example.com/services/T1/B2/abc')), 'json');
  assert.equal(
    displayWebhookUrl('https://hooks.slack.com/services/T1/B2/abc'),
    'https://hooks.slack.com/services/…',
  );
  assert.equal(displayWebhookUrl('https://example.com/?key=abc'), 'https://example.com/…');
  // A lone segment may be the secret itself: nothing of the path is shown.
  assert.equal(displayWebhookUrl('http://127.0.0.1:1/x'), 'http://127.0.0.1:1/…');
  // A value that is no URL is echoed up to its first slash.
  assert.throws(() => parseWebhookUrl('not-a-url'), {
    message: '--notify "not-a-url" must be an http(s) URL',
  });
  assert.throws(() => parseWebhookUrl('hooks.slack.com/services/T1/B2/abc'), {
    message: '--notify "hooks.slack.com/…" must be an http(s) URL',
  });
  assert.throws(() => parseWebhookUrl('ftp://example.com/x'), /must use https/);
});
