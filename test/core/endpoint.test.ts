import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveEndpoint, resolveEndpointNotices } from '../../src/core/endpoint.js';

describe('resolveEndpoint', () => {
  test('instance ids, any case', () => {
    assert.equal(resolveEndpoint('US-03'), 'https://rest.iad-03.braze.com');
    assert.equal(resolveEndpoint('eu-01'), 'https://rest.fra-01.braze.eu');
    assert.equal(resolveEndpoint(' us-10 '), 'https://rest.us-10.braze.com');
  });

  test('unknown ids list the valid ones', () => {
    assert.throws(
      () => resolveEndpoint('US-09'),
      (e: Error) => {
        assert.ok(e instanceof RangeError);
        assert.match(e.message, /"US-09"/);
        assert.match(e.message, /US-01.*US-10.*EU-01.*KR-01/);
        return true;
      },
    );
    assert.throws(() => resolveEndpoint(undefined), TypeError);
  });

  test('URLs: trailing slash removed, path kept', () => {
    assert.equal(
      resolveEndpoint('https://rest.iad-01.braze.com/'),
      'https://rest.iad-01.braze.com',
    );
    assert.equal(resolveEndpoint('https://proxy.example/braze/'), 'https://proxy.example/braze');
  });

  test('http:// only to loopback unless allowInsecureHttp', () => {
    assert.equal(resolveEndpoint('http://127.0.0.1:4010'), 'http://127.0.0.1:4010');
    assert.equal(resolveEndpoint('http://localhost:4010/'), 'http://localhost:4010');
    assert.equal(resolveEndpoint('http://[::1]:4010'), 'http://[::1]:4010');
    assert.throws(() => resolveEndpoint('http://braze.example.com'), /allowInsecureHttp/);
    assert.equal(
      resolveEndpoint('http://braze.example.com', { allowInsecureHttp: true }),
      'http://braze.example.com',
    );
  });

  test('refuses credentials (without printing them), queries and other schemes', () => {
    assert.throws(
      () => resolveEndpoint('https://user:hunter2@rest.iad-01.braze.com'),
      (e: Error) => !e.message.includes('hunter2'),
    );
    assert.throws(() => resolveEndpoint('https://rest.iad-01.braze.com/?x=1'), RangeError);
    assert.throws(() => resolveEndpoint('ftp://rest.iad-01.braze.com'), RangeError);
    assert.throws(() => resolveEndpoint('https://'), TypeError);
  });
});

describe('endpoints as people paste them (issue 15, item 6)', () => {
  const at = (value: string) => resolveEndpointNotices(value);

  test('a host without a scheme gets https://, with a notice', () => {
    const r = at('rest.fra-02.braze.eu');
    assert.equal(r.baseUrl, 'https://rest.fra-02.braze.eu');
    assert.equal(r.notices.length, 1);
    assert.match(r.notices[0]!, /no scheme: using https:\/\/rest\.fra-02\.braze\.eu/);
    assert.equal(resolveEndpoint('rest.iad-03.braze.com/'), 'https://rest.iad-03.braze.com');
  });

  test("an SDK or dashboard host of a known instance becomes that instance's REST URL, with a notice", () => {
    for (const [pasted, rest, id] of [
      ['https://sdk.iad-03.braze.com', 'https://rest.iad-03.braze.com', 'US-03'],
      ['sdk.fra-01.braze.eu', 'https://rest.fra-01.braze.eu', 'EU-01'],
      ['https://dashboard-03.braze.com', 'https://rest.iad-03.braze.com', 'US-03'],
      [
        'https://dashboard-03.braze.com/dashboard/home?x=1',
        'https://rest.iad-03.braze.com',
        'US-03',
      ],
      ['https://dashboard-02.braze.eu/', 'https://rest.fra-02.braze.eu', 'EU-02'],
    ] as const) {
      const r = at(pasted);
      assert.equal(r.baseUrl, rest, pasted);
      assert.ok(
        r.notices.some((n) => n.includes(`using ${id}'s REST endpoint ${rest}`)),
        `${pasted}: ${r.notices.join(' | ')}`,
      );
    }
  });

  test('an SDK or dashboard host of no known instance is refused, naming what to use', () => {
    assert.throws(
      () => resolveEndpoint('https://sdk.iad-99.braze.com'),
      /SDK endpoint, not the REST API.*pass the REST endpoint/,
    );
  });

  test('a Braze REST URL with a path is refused before any request, naming the base', () => {
    assert.throws(
      () => resolveEndpoint('https://rest.iad-03.braze.com/events/list'),
      (e: Error) => {
        assert.ok(e instanceof RangeError);
        assert.match(
          e.message,
          /has a path \("\/events\/list"\): use the base https:\/\/rest\.iad-03\.braze\.com/,
        );
        return true;
      },
    );
  });

  test('an https host that is neither a Braze REST host nor loopback gets a warning that the key goes there', () => {
    const r = at('https://proxy.example/braze/');
    assert.equal(r.baseUrl, 'https://proxy.example/braze');
    assert.deepEqual(r.notices, [
      'endpoint https://proxy.example/braze is not a Braze REST host: the API key will be sent there',
    ]);
    assert.deepEqual(at('https://rest.iad-01.braze.com').notices, []);
    assert.deepEqual(at('https://rest.new-01.braze.com').notices, []);
    assert.deepEqual(at('http://127.0.0.1:4010').notices, []);
    assert.deepEqual(at('US-03').notices, []);
  });

  test('the client emits the notices through onNotice', async () => {
    const { createBrazeClient } = await import('../../src/core/index.js');
    const notices: string[] = [];
    const client = createBrazeClient({
      apiKey: 'k-123456',
      endpoint: 'https://dashboard-03.braze.com',
      onNotice: (n) => notices.push(`${n.kind}: ${n.message}`),
    });
    assert.equal(client.endpoint, 'https://rest.iad-03.braze.com');
    assert.match(notices[0]!, /^endpoint: .*dashboard.*US-03's REST endpoint/);
  });
});
