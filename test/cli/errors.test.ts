import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  EXIT_FAILURE,
  EXIT_USAGE,
  exitCodeFor,
  formatError,
  permissionForUrl,
  UsageError,
} from '../../src/cli/errors.js';
import { redact, registerSecret } from '../../src/cli/redact.js';
import {
  BrazeAuthError,
  BrazeHttpError,
  BrazeRateLimitError,
  errorFromResponse,
} from '../../src/core/errors.js';

const noLimit = { limit: null, remaining: null, resetAt: null, retryAfterMs: null };

function http(status: number, url: string, brazeMessage: string | null = null) {
  return errorFromResponse({
    status,
    method: 'GET',
    url,
    brazeMessage,
    requestId: 'req-42',
    rateLimit: noLimit,
    bodyExcerpt: '',
  });
}

describe('error lines', () => {
  test('401 names the endpoint and says what to check', () => {
    const err = http(401, '/events/list', 'Invalid API key: [REDACTED]');
    assert.ok(err instanceof BrazeAuthError);
    const line = formatError(err, { endpoint: 'https://rest.iad-03.braze.com' });
    assert.match(line, /^error: Braze answered 401: Invalid API key/);
    assert.match(line, /request id req-42/);
    assert.match(line, /rejected by https:\/\/rest\.iad-03\.braze\.com/);
    assert.doesNotMatch(line, /\n/);
  });

  test('403 names the missing permission per endpoint', () => {
    assert.equal(permissionForUrl('/events/list?page=0'), 'events.list');
    assert.equal(permissionForUrl('/events?cursor=x'), 'events.get');
    assert.equal(permissionForUrl('/events/data_series?event=a'), 'events.data_series');
    const line = formatError(http(403, '/events/data_series?event=x', 'Access Denied'));
    assert.match(line, /lacks the "events\.data_series" permission/);
  });

  test('429 says when the limit resets; 5xx says how many retries were made', () => {
    const reset = new Date('2026-11-27T11:00:00Z');
    const err = errorFromResponse({
      status: 429,
      method: 'GET',
      url: '/events/list',
      brazeMessage: 'Over rate limit',
      requestId: null,
      rateLimit: { ...noLimit, resetAt: reset },
      bodyExcerpt: '',
    });
    assert.ok(err instanceof BrazeRateLimitError);
    assert.match(
      formatError(err, { retries: 2 }),
      /after 2 retries; it resets at 2026-11-27T11:00:00\.000Z/,
    );
    const e503 = http(503, '/events/list');
    assert.ok(e503 instanceof BrazeHttpError);
    assert.match(formatError(e503, { retries: 3 }), /503.*gave up after 3 retries/);
  });

  test('a message ending in an empty detail loses its dangling colon (a TLS error)', () => {
    const err = new Error(
      "Hostname/IP does not match certificate's altnames: Host: a.example. is not in the cert's list: ",
    );
    err.name = 'BrazeNetworkError';
    assert.equal(
      formatError(err, { retries: 2, endpoint: 'https://a.example' }),
      "error: Hostname/IP does not match certificate's altnames: Host: a.example. is not in the cert's list after 2 retries (is https://a.example reachable?)",
    );
  });

  test('exit codes: usage 2, validation TypeError/RangeError 2, anything else 1', () => {
    assert.equal(exitCodeFor(new UsageError('x')), EXIT_USAGE);
    assert.equal(exitCodeFor(new RangeError('length must be…')), EXIT_USAGE);
    assert.equal(exitCodeFor(http(500, '/events/list')), EXIT_FAILURE);
    assert.equal(exitCodeFor(new Error('disk full')), EXIT_FAILURE);
  });

  test('registered secrets and bearer tokens never reach a line', () => {
    registerSecret('sekret-key-123');
    assert.equal(redact('a sekret-key-123 b'), 'a [REDACTED] b');
    assert.equal(redact('Authorization: Bearer abc.def'), 'Authorization: Bearer [REDACTED]');
    assert.doesNotMatch(formatError(new Error('bad key sekret-key-123')), /sekret/);
    assert.equal(formatError(new UsageError('two\nlines')), 'error: two lines');
  });
});
