/**
 * Recorded Braze answers replayed through the library (issue 15, item 10): the second
 * oracle, independent of the emulator's code. The clock is frozen at each answer's date;
 * sleeps are recorded, not slept.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { createBrazeClient } from '../../src/core/client.js';
import { isBrazeAuthError, isBrazeHttpError } from '../../src/core/errors.js';
import type { BrazeClientOptions } from '../../src/core/types.js';
import { createVirtualClock } from '../helpers/clock.js';
import { answer, asEventsList, dateOf, type RecordedAnswer, replay } from './replay.js';

const KEY = 'contract-key-7d2f9a61-SECRET';
const LIST_OK = asEventsList(answer('remaining equal to limit'), ['a']);

async function clientFor(
  server: { url: string },
  at: number,
  extra: Partial<BrazeClientOptions> = {},
) {
  const time = createVirtualClock(at);
  const client = createBrazeClient({
    apiKey: KEY,
    endpoint: server.url,
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
    ...extra,
  });
  return { client, time };
}

function withDate(a: RecordedAnswer, date: number): RecordedAnswer {
  a.response.headers.date = new Date(date).toUTCString();
  return a;
}

describe('recorded answers through the library', () => {
  test('401 that echoes the key, rate-limit headers empty: the key appears nowhere', async () => {
    const a = answer('401 echoes the key');
    const server = await replay(a);
    const { client } = await clientFor(server, dateOf(a));
    const error = await client.listEventNames().then(
      () => assert.fail('expected a 401'),
      (e: unknown) => e,
    );
    assert.ok(isBrazeAuthError(error));
    assert.equal(error.status, 401);
    assert.equal(error.requestId, '00000000-0000-4000-8000-000000000001');
    assert.deepEqual(error.rateLimit, {
      limit: null,
      remaining: null,
      resetAt: null,
      retryAfterMs: null,
    });
    for (const text of [
      error.message,
      error.stack ?? '',
      JSON.stringify(error),
      inspect(error),
      error.brazeMessage ?? '',
      error.bodyExcerpt,
    ]) {
      assert.ok(!text.includes(KEY), `key leaked: ${text.slice(0, 200)}`);
    }
    assert.match(error.message, /Invalid API key: \[REDACTED\]|Invalid API key: \*+/);
    assert.equal(client.rateLimit('listing'), undefined, 'empty headers tell nothing');
    assert.equal(server.requests.length, 1, 'a 401 is not retried');
  });

  test('200 in an hourly window: reset at the top of the next hour', async () => {
    const a = asEventsList(answer('200 in an hourly window'));
    const server = await replay(a);
    const { client } = await clientFor(server, dateOf(a));
    await client.listEventNames();
    assert.deepEqual(client.rateLimit('listing'), {
      limit: 250000,
      remaining: 249939,
      resetAt: new Date('2020-06-17T21:00:00Z'),
      retryAfterMs: null,
    });
  });

  test('200 in a per-minute window: reset at the next minute, and the client believes it', async () => {
    const a = asEventsList(answer('200 in a per-minute window'));
    const server = await replay(a);
    const { client } = await clientFor(server, dateOf(a));
    await client.listEventNames();
    assert.equal(client.rateLimit('listing')?.resetAt?.toISOString(), '2024-10-14T13:28:00.000Z');
  });

  test('remaining equal to limit, without a reset: requests flow, nothing waits', async () => {
    const server = await replay(LIST_OK);
    const { client, time } = await clientFor(server, dateOf(LIST_OK));
    for (let i = 0; i < 5; i++) await client.listEventNames();
    assert.equal(server.requests.length, 5);
    assert.deepEqual(time.sleeps, []);
  });

  test('429 on the listing budget, reset at the top of the hour: waits exactly until then', async () => {
    const a = answer('429 on the shared listing budget');
    const server = await replay(
      a,
      withDate(structuredClone(LIST_OK), Date.parse('2024-05-01T11:00:00Z')),
    );
    const { client, time } = await clientFor(server, dateOf(a));
    await client.listEventNames();
    assert.deepEqual(time.sleeps, [Date.parse('2024-05-01T11:00:00Z') - dateOf(a)]);
    assert.equal(server.requests.length, 2);
  });

  test('429 from a per-minute window: retried 2 s later, at its reset, not the top of the hour', async () => {
    // An earlier data_series answer said the window ends at the top of the hour (11:00).
    const series = answer('daily series');
    const first = structuredClone(series);
    Object.assign(first.response.headers, {
      'x-ratelimit-limit': '250000',
      'x-ratelimit-remaining': '1',
      'x-ratelimit-reset': String(Date.parse('2024-05-01T11:00:00Z') / 1000),
    });
    const a = answer('429 from a per-minute window');
    const server = await replay(first, a, series);
    const { client, time } = await clientFor(server, dateOf(a));
    const ask = { event: 'E', length: 2, unit: 'day', endingAt: '2022-09-03' } as const;
    await client.getEventSeries(ask);
    const { data } = await client.getEventSeries(ask);
    assert.equal(data.length, 2);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(time.sleeps, [2000]);
  });

  test('edge proxy 429 (HTML, Retry-After: 1, no Braze headers): waits 1 s and retries', async () => {
    const a = answer('edge proxy 429');
    const server = await replay(a, LIST_OK);
    const { client, time } = await clientFor(server, dateOf(a));
    const page = await client.listEventNames();
    assert.deepEqual(page.events, ['a']);
    assert.deepEqual(time.sleeps, [1000]);
  });

  test("edge proxy 502 (HTML): backoff and retry; when it persists, the error quotes the page's text", async () => {
    const a = answer('edge proxy 502');
    const server = await replay(a, LIST_OK);
    const { client, time } = await clientFor(server, dateOf(a));
    await client.listEventNames();
    assert.deepEqual(time.sleeps, [375]);
    const stuck = await replay(a);
    const { client: c2 } = await clientFor(stuck, dateOf(a), { maxRetries: 0 });
    await assert.rejects(c2.listEventNames(), (e: unknown) => {
      assert.ok(isBrazeHttpError(e));
      assert.equal(e.status, 502);
      assert.match(e.message, /502 Bad Gateway/);
      return true;
    });
  });

  test('Link with prev before next, relative: the next page is the rel="next" one', async () => {
    const a = answer('Link with prev before next');
    const last = answer('Link with prev before next');
    delete last.response.headers.link;
    const server = await replay(a, last);
    const { client } = await clientFor(server, Date.parse('2024-05-01T10:00:00Z'));
    const names: string[] = [];
    for await (const e of client.events()) names.push(e.name);
    assert.deepEqual(names, ['e050'], 'the same event on both pages is yielded once');
    assert.deepEqual(
      server.requests.map((r) => r.url),
      ['/events', '/events?cursor=c2tpcDoxMDA='],
    );
  });

  test('Link absolute, trailing slash before the query, unencoded padding: followed as written', async () => {
    const a = answer('Link absolute');
    const last = answer('Link with prev before next');
    delete last.response.headers.link;
    const server = await replay(a, last);
    const { client } = await clientFor(server, Date.parse('2024-05-01T10:00:00Z'));
    const events = [];
    for await (const e of client.events()) events.push(e);
    assert.deepEqual(
      events.map((e) => [e.name, e.includedInAnalyticsReport, e.tagNames]),
      [
        ['e000', true, ['t']],
        ['e050', false, []],
      ],
    );
    assert.equal(server.requests[1]?.url, '/events/?cursor=c2tpcDo1MA==');
  });

  test('400 invalid cursor: not retried, Braze’s message kept', async () => {
    const a = answer('400 invalid cursor');
    const server = await replay(a);
    const { client } = await clientFor(server, Date.parse('2024-05-01T10:00:00Z'));
    await assert.rejects(
      (async () => {
        for await (const _ of client.events()) {
          // drain
        }
      })(),
      (e: unknown) =>
        isBrazeHttpError(e) && e.status === 400 && e.brazeMessage === 'Invalid Request',
    );
    assert.equal(server.requests.length, 1);
  });

  test('daily series with date-only times: the request and the buckets as recorded', async () => {
    const a = answer('daily series');
    const server = await replay(a);
    const { client } = await clientFor(server, Date.parse('2022-09-05T12:00:00Z'));
    const { data } = await client.getEventSeries({
      event: 'E',
      length: 2,
      unit: 'day',
      endingAt: '2022-09-03',
    });
    assert.deepEqual(data, [
      { time: '2022-09-01', count: 0 },
      { time: '2022-09-02', count: 12 },
    ]);
    const sent = new URL(server.requests[0]!.url, 'http://x');
    assert.equal(sent.pathname, '/events/data_series');
    assert.deepEqual(Object.fromEntries(sent.searchParams), {
      event: 'E',
      length: '2',
      unit: 'day',
      ending_at: '2022-09-03',
    });
  });
});
