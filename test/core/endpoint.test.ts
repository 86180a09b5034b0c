import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resolveEndpoint } from '../../src/core/endpoint.js';

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
