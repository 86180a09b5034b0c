/**
 * Recorded Braze answers replayed through the built CLI (issue 15, items 2, 3, 6, 7, 10):
 * what a person reads at 3 a.m. The replay server is the contract suite's own (not the
 * emulator); the CLI runs on the real clock, so answers whose meaning depends on their
 * date are replayed through the library (library.test.ts) instead.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertNoKeyLeaked,
  assertOneErrorLine,
  cleanEnv,
  ensureBuilt,
  runCli,
  TEST_KEY,
} from '../helpers/cli.js';
import { answer, asEventsList, replay } from './replay.js';

const env = (url: string, extra: Record<string, string> = {}) =>
  cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: url, CI: '1', ...extra });
const LIST_OK = asEventsList(answer('remaining equal to limit'), ['a', 'b']);

describe('recorded answers through the CLI', () => {
  before(() => ensureBuilt());
  after(() => assertNoKeyLeaked());

  test('the 401 that echoes the key: one line, exit 1, the key nowhere', async () => {
    const server = await replay(answer('401 echoes the key'));
    const r = await runCli(['list'], { env: env(server.url) });
    assertOneErrorLine(
      r,
      1,
      /^error: Braze answered 401.*request id 00000000-0000-4000-8000-000000000001/,
    );
    assert.ok(!r.stderr.includes(TEST_KEY));
  });

  test("an edge 502 that persists: one line naming the status and the page's text", async () => {
    const server = await replay(answer('edge proxy 502'));
    const r = await runCli(['list', '--max-retries', '0'], { env: env(server.url) });
    assertOneErrorLine(
      r,
      1,
      /^error: Braze answered 502: an HTML page "502 Bad Gateway" \(GET \/events\/list\)/,
    );
  });

  test('a 200 whose body is not JSON: the reason, the request and the request id', async () => {
    const page = answer('edge proxy 502');
    page.response.status = 200;
    page.response.headers['x-request-id'] = 'req-html-200';
    const server = await replay(page);
    const r = await runCli(['list', '--max-retries', '0'], { env: env(server.url) });
    assertOneErrorLine(
      r,
      1,
      /^error: Braze GET \/events\/list\?page=0 answered 200 with an unusable body: the body is not JSON \(request id req-html-200\)/,
    );
  });

  test('a server that ignores `page`: two requests, each name once, one line says why', async () => {
    const full = asEventsList(
      answer('remaining equal to limit'),
      Array.from({ length: 250 }, (_, i) => `e${String(i).padStart(3, '0')}`),
    );
    const server = await replay(full);
    const r = await runCli(['list'], { env: env(server.url) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 250);
    assert.equal(server.requests.length, 2);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /^warning: GET \/events\/list stopped on page 1: it repeats names already listed/,
    );
  });

  test('a REST URL with a path is refused before any request, naming the base', async () => {
    const server = await replay(LIST_OK);
    const refused = await runCli(
      ['list', '--endpoint', 'https://rest.iad-03.braze.com/events/list'],
      {
        env: env(server.url),
      },
    );
    assertOneErrorLine(
      refused,
      2,
      /endpoint "https:\/\/rest\.iad-03\.braze\.com\/events\/list" has a path \("\/events\/list"\): use the base https:\/\/rest\.iad-03\.braze\.com/,
    );
  });

  test('a wait of more than 5 s is one line on stderr without a TTY and under CI; --quiet silences it', async () => {
    const edge = answer('edge proxy 429');
    edge.response.headers['retry-after'] = '6';
    const server = await replay(edge, LIST_OK);
    const r = await runCli(['list'], { env: env(server.url) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'a\nb\n');
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /^waiting 6 s, until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, before retry 1\/5 of GET \/events\/list\?page=0 \(429 an HTML page\); Ctrl-C is safe, a re-run starts over$/,
    );
    const quiet = await replay(edge, LIST_OK);
    const q = await runCli(['list', '--quiet'], { env: env(quiet.url) });
    assert.equal(q.code, 0, q.stderr);
    assert.equal(q.stderr, '');
  });
});
