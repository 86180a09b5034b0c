import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import {
  BrazeAuthError,
  BrazeError,
  BrazeHttpError,
  type BrazeRateLimitError,
  errorFromResponse,
  isBrazeAuthError,
  isBrazeError,
  isBrazeHttpError,
  isBrazeRateLimitError,
} from '../../src/core/errors.js';
import { emptyRateLimit } from '../../src/core/rate-limit.js';
import { createRedactor, REDACTED } from '../../src/core/redact.js';

const base = {
  method: 'GET',
  url: '/events/list?page=0',
  brazeMessage: null,
  requestId: 'req-1',
  rateLimit: emptyRateLimit(),
  bodyExcerpt: '',
};

describe('errorFromResponse', () => {
  test('maps statuses to classes', () => {
    const e401 = errorFromResponse({ ...base, status: 401 });
    assert.ok(
      e401 instanceof BrazeAuthError &&
        e401 instanceof BrazeHttpError &&
        e401 instanceof BrazeError,
    );
    assert.ok(isBrazeAuthError(errorFromResponse({ ...base, status: 403 })));
    const e429 = errorFromResponse({
      ...base,
      status: 429,
      rateLimit: { ...emptyRateLimit(), retryAfterMs: 2000 },
      receivedAt: 1_000_000,
    });
    assert.ok(isBrazeRateLimitError(e429));
    assert.deepEqual((e429 as BrazeRateLimitError).resetAt, new Date(1_002_000));
    const e503 = errorFromResponse({ ...base, status: 503 });
    assert.ok(isBrazeHttpError(e503) && !isBrazeAuthError(e503) && !isBrazeRateLimitError(e503));
    assert.ok(isBrazeError(e503));
    assert.equal(isBrazeError(new Error('x')), false);
  });

  test('message names method, URL, status, Braze message and request id', () => {
    const e = errorFromResponse({ ...base, status: 400, brazeMessage: 'Invalid Request' });
    assert.equal(
      e.message,
      'Braze GET /events/list?page=0 failed: 400 Bad Request — Invalid Request (request id req-1)',
    );
    assert.equal(e.name, 'BrazeHttpError');
    assert.match(String(e.stack), /^BrazeHttpError: Braze GET/);
  });

  test('HTML error pages keep their status and show an excerpt', () => {
    const e = errorFromResponse({
      ...base,
      status: 502,
      requestId: null,
      bodyExcerpt: '<html> <h1>502 Bad Gateway</h1>',
    });
    assert.equal(e.status, 502);
    assert.match(e.message, /502 Bad Gateway — <html>/);
  });

  test('JSON.stringify gives plain fields', () => {
    const json = JSON.parse(JSON.stringify(errorFromResponse({ ...base, status: 401 })));
    assert.equal(json.name, 'BrazeAuthError');
    assert.equal(json.status, 401);
    assert.match(json.message, /401 Unauthorized/);
  });
});

describe('redaction', () => {
  test('removes the key, its encoded forms and bearer tokens', () => {
    const key = 'abc+def/ghi"jkl';
    const redact = createRedactor([key]);
    const text = `Invalid API key: ${key} ${encodeURIComponent(key)} ${JSON.stringify(key)} Bearer other-token`;
    const out = redact(text);
    assert.ok(!out.includes(key));
    assert.ok(!out.includes(encodeURIComponent(key)));
    assert.ok(!out.includes('other-token'));
    assert.ok(out.includes(REDACTED));
  });

  test('an error built from redacted text holds no key in any rendering', () => {
    const key = 'test-key-4f1e9a';
    const redact = createRedactor([key]);
    const e = errorFromResponse({
      ...base,
      status: 401,
      brazeMessage: redact(`Invalid API key: ${key}`),
      bodyExcerpt: redact(`{"message":"Invalid API key: ${key}"}`),
    });
    for (const rendered of [
      e.message,
      String(e.stack),
      JSON.stringify(e),
      inspect(e, { depth: 5 }),
    ]) {
      assert.ok(!rendered.includes(key), rendered);
    }
  });
});
