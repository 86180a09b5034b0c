import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BrazeOptionRangeError, BrazeOptionTypeError } from '../../src/api/option-errors.js';
import {
  connectorErrorContext,
  EXIT_FAILURE,
  EXIT_USAGE,
  exitCodeFor,
  formatError,
  permissionForUrl,
  UsageError,
} from '../../src/cli/errors.js';
import { redact, registerSecret } from '../../src/cli/redact.js';
import { resolveEndpoint } from '../../src/core/endpoint.js';
import {
  BrazeAuthError,
  BrazeHttpError,
  BrazeNetworkError,
  BrazeRateLimitError,
  BrazeTimeoutError,
  errorFromResponse,
} from '../../src/core/errors.js';
import {
  DatabaseDriverMissingError,
  SyncFailedError,
  SyncHourBucketsMismatchError,
  SyncLockedError,
  SyncOffsetMismatchError,
} from '../../src/sync/errors.js';

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
    // A real BrazeNetworkError: the CLI recognises it by its code, not its name.
    const err = new BrazeNetworkError({
      method: 'GET',
      url: '/events/list',
      detail:
        "Hostname/IP does not match certificate's altnames: Host: a.example. is not in the cert's list: ",
    });
    assert.equal(
      formatError(err, { retries: 2, endpoint: 'https://a.example' }),
      "error: Braze GET /events/list failed: Hostname/IP does not match certificate's altnames: Host: a.example. is not in the cert's list after 2 retries (is https://a.example reachable?)",
    );
  });

  test('the advice names the settings the key and the endpoint came from', () => {
    const ctx = {
      endpoint: 'https://rest.fra-02.braze.eu',
      endpointSetting: '"endpoint" of profile "eu" in /etc/be.json',
      keySetting: '"apiKeyFile" of profile "eu" in /etc/be.json',
    };
    assert.match(
      formatError(http(401, '/events/list'), ctx),
      /rejected by https:\/\/rest\.fra-02\.braze\.eu: check the key in "apiKeyFile" of profile "eu" in \/etc\/be\.json, and that "endpoint" of profile "eu" in \/etc\/be\.json is the instance/,
    );
    assert.match(
      formatError(http(403, '/events/list'), ctx),
      /the API key in "apiKeyFile" of profile "eu" in \/etc\/be\.json lacks the "events\.list" permission/,
    );
    assert.match(
      formatError(http(403, '/other'), ctx),
      /the API key in "apiKeyFile" of profile "eu" in \/etc\/be\.json is not allowed/,
    );
    assert.match(
      formatError(http(404, '/events/list'), ctx),
      /check "endpoint" of profile "eu" in \/etc\/be\.json \(https:\/\/rest\.fra-02\.braze\.eu\)$/,
    );
    const refused = new BrazeNetworkError({
      method: 'GET',
      url: '/events/list',
      detail: 'getaddrinfo ENOTFOUND rest.fra-02.braze.eu',
    });
    assert.match(
      formatError(refused, ctx),
      /\(is https:\/\/rest\.fra-02\.braze\.eu reachable\? check "endpoint" of profile "eu" in \/etc\/be\.json\)$/,
    );
    // Every line names the settings only, never a flag the user did not use.
    for (const status of [401, 403, 404]) {
      assert.doesNotMatch(formatError(http(status, '/events/list'), ctx), /--|BRAZE_/);
    }
  });

  test('the connectors: fields of their --config file, and no flag advice', () => {
    const ctx = connectorErrorContext('/data/config.json');
    assert.match(
      formatError(http(401, '/events/list'), ctx),
      /check the key in "api_key" of \/data\/config\.json, and that "endpoint" of \/data\/config\.json is the instance/,
    );
    const e503 = formatError(http(503, '/events/list'), { ...ctx, retries: 3 });
    assert.match(e503, /gave up after 3 retries: Braze is having trouble, try again later$/);
    assert.doesNotMatch(e503, /--max-retries/);
    assert.doesNotMatch(formatError(http(401, '/events/list'), ctx), /--|BRAZE_/);
    // No --timeout either: the connectors have no such flag.
    const slow = new BrazeTimeoutError({ method: 'GET', url: '/events/list', timeoutMs: 30_000 });
    assert.match(formatError(slow, ctx), /timed out after 30000 ms \(check the network\)$/);
    assert.match(formatError(slow), /\(raise --timeout, or check the network\)$/);
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

  test("option errors name the flag, from the error's option and remedy, not its words", () => {
    assert.equal(
      formatError(
        new BrazeOptionRangeError(
          'maxRetries',
          -1,
          'maxRetries must be a non-negative integer, got -1',
        ),
      ),
      'error: --max-retries must be a non-negative integer, got -1',
    );
    assert.equal(
      formatError(
        new BrazeOptionTypeError('timeoutMs', 'x', 'timeoutMs must be a positive integer, got "x"'),
      ),
      'error: --timeout must be a positive integer, got "x"',
    );
    // Only the error's own option is renamed: the same word from another error stays.
    assert.equal(
      formatError(new Error('maxRetries must be a non-negative integer, got -1')),
      'error: maxRetries must be a non-negative integer, got -1',
    );
    let insecure: unknown;
    try {
      resolveEndpoint('http://braze.example.com');
    } catch (e) {
      insecure = e;
    }
    assert.equal(
      formatError(insecure),
      'error: endpoint "http://braze.example.com" uses http:// to a non-loopback host, which would send the API key unencrypted; use https:// or pass --allow-insecure-http',
    );
    assert.match(
      formatError(new SyncOffsetMismatchError('w', 330, 0)),
      /nothing was done: sync with --bucket-utc-offset \+05:30, or into another workspace/,
    );
    assert.match(
      formatError(new SyncHourBucketsMismatchError('w', 330, 'local', 'utc')),
      /nothing was done: sync with --hour-buckets local, or into another workspace/,
    );
  });

  test('exit codes from the error code: option, zone mismatches and a missing driver are usage', () => {
    for (const usage of [
      new BrazeOptionTypeError('x', 1, 'x'),
      new BrazeOptionRangeError('x', 1, 'x'),
      new SyncOffsetMismatchError('w', 330, 0),
      new SyncHourBucketsMismatchError('w', 330, 'local', 'utc'),
      new DatabaseDriverMissingError('pg', 'PostgreSQL', undefined),
    ]) {
      assert.equal(exitCodeFor(usage), EXIT_USAGE, usage.name);
    }
    assert.equal(exitCodeFor(new SyncLockedError('w', {})), EXIT_FAILURE);
    assert.equal(exitCodeFor(new SyncFailedError('m', {} as never, undefined)), EXIT_FAILURE);
  });
});
