/**
 * The library's public surface is deliberate: the main entry's runtime names are pinned (a
 * new export is a decision that changes this list), no package entry re-exports a module
 * wholesale, and every error carries its stable `code`.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { validateUtcOffsetMinutes } from '../../src/api/time.js';
import { resolveDetectOptions } from '../../src/check/options.js';
import { emptyRateLimit } from '../../src/core/rate-limit.js';
import { EventSelectionError } from '../../src/core/selection.js';
import { validateInstant, validateUnit } from '../../src/core/validate.js';
import { validateAccessToken } from '../../src/dashboard/access.js';
import { startDashboard } from '../../src/dashboard/server.js';
import { parseKeySpec } from '../../src/emulator/auth.js';
import { createDatasetWorkspace } from '../../src/emulator/dataset.js';
import { parseFaultSpec, validateFault } from '../../src/emulator/faults.js';
import { resolveOptions } from '../../src/emulator/options.js';
import { ExportIncompleteError } from '../../src/export/errors.js';
import { createRowFormatter, validateExportFormat } from '../../src/export/formats.js';
import { validateExportOptions } from '../../src/export/rows.js';
import * as main from '../../src/index.js';
import {
  DatabaseDriverMissingError,
  DatabaseUnavailableError,
  isSyncError,
  SyncError,
  SyncFailedError,
  SyncHourBucketsMismatchError,
  SyncLockedError,
  SyncOffsetMismatchError,
} from '../../src/sync/errors.js';
import { validateSyncOptions } from '../../src/sync/options.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the main entry', () => {
  test('exports exactly these runtime names (at most 30)', () => {
    const names = Object.keys(main).sort();
    assert.deepEqual(names, [
      'BrazeAuthError',
      'BrazeError',
      'BrazeHttpError',
      'BrazeNetworkError',
      'BrazeOptionRangeError',
      'BrazeOptionTypeError',
      'BrazeRateLimitError',
      'BrazeResponseShapeError',
      'BrazeTimeoutError',
      'DEFAULT_BUCKET_UTC_OFFSET_MINUTES',
      'DEFAULT_HOUR_BUCKETS',
      'DEFAULT_MAX_CONCURRENCY',
      'DEFAULT_MAX_LISTING_PAGES',
      'DEFAULT_MAX_RETRIES',
      'DEFAULT_MAX_RETRY_WAIT_MS',
      'DEFAULT_MAX_SHARE_OF_LIMIT',
      'DEFAULT_RATE_LIMIT_RESERVE',
      'DEFAULT_SERIES_COMPLETENESS',
      'DEFAULT_TIMEOUT_MS',
      'INSTANCES',
      'createBrazeClient',
      'isBrazeAuthError',
      'isBrazeError',
      'isBrazeHttpError',
      'isBrazeNetworkError',
      'isBrazeOptionError',
      'isBrazeRateLimitError',
      'isBrazeResponseShapeError',
      'isBrazeTimeoutError',
      'isEventScopedError',
    ]);
    assert.ok(names.length <= 30);
  });

  test('every DEFAULT_* it exports is named in the README', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const library = readme.slice(readme.indexOf('## The library'), readme.indexOf('## The CLI'));
    // The README names some defaults directly and the rest through their option.
    const OPTION_OF: Record<string, string> = {
      DEFAULT_BUCKET_UTC_OFFSET_MINUTES: 'bucketUtcOffsetMinutes',
      DEFAULT_HOUR_BUCKETS: 'hourBuckets',
      DEFAULT_MAX_CONCURRENCY: 'maxConcurrency',
      DEFAULT_MAX_LISTING_PAGES: 'DEFAULT_MAX_LISTING_PAGES',
      DEFAULT_MAX_RETRIES: 'maxRetries',
      DEFAULT_MAX_RETRY_WAIT_MS: 'maxRetryWaitMs',
      DEFAULT_MAX_SHARE_OF_LIMIT: 'maxShareOfLimit',
      DEFAULT_RATE_LIMIT_RESERVE: 'rateLimitReserve',
      DEFAULT_SERIES_COMPLETENESS: 'seriesCompleteness',
      DEFAULT_TIMEOUT_MS: 'timeoutMs',
    };
    const defaults = Object.keys(main).filter((n) => n.startsWith('DEFAULT_'));
    assert.deepEqual(defaults.sort(), Object.keys(OPTION_OF).sort());
    for (const name of defaults) {
      assert.ok(library.includes(`\`${OPTION_OF[name]}\``), `${name}'s option in the README`);
    }
  });

  test('no package entry re-exports a module wholesale (export *)', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, string | { default: string }>;
    };
    const entries = Object.values(pkg.exports)
      .filter((e): e is { default: string } => typeof e === 'object')
      .map((e) => e.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
    assert.equal(entries.length, 6);
    for (const entry of entries) {
      const text = await readFile(join(ROOT, entry), 'utf8');
      assert.doesNotMatch(text, /export (type )?\*/, entry);
    }
  });
});

describe('error codes', () => {
  const info = { method: 'GET', url: '/events/list' };
  const init = {
    ...info,
    status: 500,
    brazeMessage: null,
    requestId: null,
    rateLimit: emptyRateLimit(),
    bodyExcerpt: '',
    message: 'm',
  };
  const summary = {} as never;

  test('each class has its own stable code, shown by toJSON, never an own field', () => {
    const cases: [Error & { code: string }, string][] = [
      [new main.BrazeError('x'), 'braze_error'],
      [new main.BrazeHttpError(init), 'braze_http_error'],
      [new main.BrazeAuthError({ ...init, status: 401 }), 'auth'],
      [new main.BrazeRateLimitError({ ...init, status: 429, resetAt: null }), 'rate_limited'],
      [new main.BrazeTimeoutError({ ...info, timeoutMs: 5 }), 'timeout'],
      [new main.BrazeNetworkError({ ...info, detail: 'ECONNRESET' }), 'network'],
      [
        new main.BrazeResponseShapeError({ ...info, status: 200, problem: 'p', bodyExcerpt: '' }),
        'response_shape',
      ],
      [new main.BrazeOptionTypeError('timeoutMs', '5', 'm'), 'option'],
      [new main.BrazeOptionRangeError('timeoutMs', -1, 'm'), 'option'],
      [
        new ExportIncompleteError({ events: 1, rows: 0, failures: [] } as never),
        'export_incomplete',
      ],
      [new SyncError('x'), 'sync_error'],
      [new SyncLockedError('w', {}), 'sync_locked'],
      [new SyncFailedError('m', summary, undefined), 'sync_failed'],
      [new SyncOffsetMismatchError('w', 330, 0), 'sync_offset_mismatch'],
      [new SyncHourBucketsMismatchError('w', 330, 'local', 'utc'), 'sync_hour_buckets_mismatch'],
      [new DatabaseDriverMissingError('pg', 'PostgreSQL', undefined), 'database_driver_missing'],
      [new DatabaseUnavailableError('postgres://db/x', 5_000, undefined), 'DATABASE_UNAVAILABLE'],
    ];
    const codes = new Set<string>();
    for (const [error, code] of cases) {
      assert.equal(error.code, code, error.name);
      assert.ok(!Object.hasOwn(error, 'code'), `${error.name}: code on the prototype`);
      codes.add(code);
    }
    assert.equal(codes.size, cases.length - 1, 'one code per class (both option errors share one)');
    assert.equal(
      JSON.parse(JSON.stringify(new main.BrazeTimeoutError({ ...info, timeoutMs: 5 }))).code,
      'timeout',
    );
  });

  test('sync errors have their own root, not BrazeError', () => {
    for (const error of [
      new SyncLockedError('w', { pid: 1 }),
      new SyncFailedError('m', summary, new main.BrazeNetworkError({ ...info, detail: 'x' })),
      new SyncOffsetMismatchError('w', 330, 0),
      new SyncHourBucketsMismatchError('w', 330, 'local', 'utc'),
      new DatabaseDriverMissingError('pg', 'PostgreSQL', undefined),
      new DatabaseUnavailableError('postgres://db/x', 5_000, new Error('ECONNREFUSED')),
    ]) {
      assert.ok(error instanceof SyncError && isSyncError(error), error.name);
      assert.equal(main.isBrazeError(error), false, error.name);
    }
    assert.equal(isSyncError(new main.BrazeError('x')), false);
  });
});

describe('option errors: a TypeError/RangeError with option and value', () => {
  const refused = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    assert.fail('not refused');
  };

  test('from the client, the validators and each layer, recognised by isBrazeOptionError', () => {
    const cases: [() => unknown, typeof TypeError | typeof RangeError, string, unknown][] = [
      [
        () => main.createBrazeClient({ apiKey: 'k', endpoint: 'US-03', timeoutMs: 0 }),
        RangeError,
        'timeoutMs',
        0,
      ],
      [
        () => main.createBrazeClient({ apiKey: 'k', endpoint: 'US-03', maxRetries: '3' as never }),
        TypeError,
        'maxRetries',
        '3',
      ],
      [
        () => main.createBrazeClient({ apiKey: 'k', endpoint: 'US-03', hourBuckets: 'x' as never }),
        RangeError,
        'hourBuckets',
        'x',
      ],
      [() => validateInstant('since', 'yesterday'), RangeError, 'since', 'yesterday'],
      [() => validateUnit('unit', 7, 'day'), TypeError, 'unit', 7],
      [
        () => validateUtcOffsetMinutes('bucketUtcOffsetMinutes', 7),
        RangeError,
        'bucketUtcOffsetMinutes',
        7,
      ],
      [
        () => validateSyncOptions({ workspace: 'w', concurrency: 0 } as never, ['day'], 0),
        RangeError,
        'concurrency',
        0,
      ],
      [() => validateExportOptions({ length: 0 }), RangeError, 'length', 0],
      [() => resolveDetectOptions({ spike: 1 } as never), RangeError, 'spike', 1],
    ];
    // The emulator's options and spec parsers, the export's format, the dashboard's token.
    cases.push(
      [() => resolveOptions({ anchor: 'soon' }), RangeError, 'anchor', 'soon'],
      [() => resolveOptions({ hourMs: 0 }), RangeError, 'hourMs', 0],
      [() => resolveOptions({ linkStyle: 'x' as never }), RangeError, 'linkStyle', 'x'],
      // The same choice check as the client's (api/option-errors.ts validateChoice).
      [() => resolveOptions({ hourFormat: 7 as never }), TypeError, 'hourFormat', 7],
      [() => resolveOptions({ keys: [{ key: '' }] }), TypeError, 'keys', { key: '' }],
      [
        () => resolveOptions({ provisional: { days: 3, factor: 0 } }),
        RangeError,
        'provisional.factor',
        0,
      ],
      [
        () => resolveOptions({ rateLimits: { listing: 1.5 } }),
        RangeError,
        'rateLimits.listing',
        1.5,
      ],
      [() => parseFaultSpec('teapot'), RangeError, 'fault', 'teapot'],
      [() => parseKeySpec('k:events.nope'), RangeError, 'key', 'events.nope'],
      [
        () => createDatasetWorkspace({ events: [{ name: 'A' }, { name: 'A' }] }),
        RangeError,
        'data',
        'A',
      ],
      [() => createDatasetWorkspace({ events: 'x' } as never), TypeError, 'data', { events: 'x' }],
      [() => validateExportFormat('xml'), RangeError, 'format', 'xml'],
      // Through the one choice check: a non-string is a TypeError there.
      [() => validateExportFormat(3), TypeError, 'format', 3],
      [() => validateFault({ kind: 7 } as never), TypeError, 'fault', 7],
      [() => createRowFormatter('xml' as never, ['event']), RangeError, 'format', 'xml'],
      [() => validateAccessToken('short'), RangeError, 'accessToken', undefined],
    );
    cases.push([
      () => {
        throw new EventSelectionError('match', ['Zzz*'], 12);
      },
      RangeError,
      'match',
      ['Zzz*'],
    ]);
    for (const [fn, cls, option, value] of cases) {
      const error = refused(fn);
      assert.ok(error instanceof cls, `${option}: a ${cls.name}, got ${String(error)}`);
      if (!(error instanceof EventSelectionError)) {
        assert.equal((error as Error).name, cls.name, 'the built-in name is kept');
      }
      assert.ok(main.isBrazeOptionError(error), `${option}: isBrazeOptionError`);
      assert.equal(error.code, 'option');
      assert.equal(error.option, option);
      assert.deepEqual(error.value, value);
    }
  });

  test("the dashboard's host without a token: an option error, before anything is opened", async () => {
    const error = await startDashboard({
      db: 'sqlite:/nonexistent/never-opened.db',
      host: '0.0.0.0',
    }).then(
      () => assert.fail('not refused'),
      (e: unknown) => e,
    );
    assert.ok(main.isBrazeOptionError(error) && error instanceof RangeError, String(error));
    assert.equal(error.option, 'host');
    assert.equal(error.value, '0.0.0.0');
    assert.match(error.message, /^host 0\.0\.0\.0 is not loopback/);
  });

  test('a bad API key names the option and keeps no value', () => {
    const error = refused(() =>
      main.createBrazeClient({ apiKey: '"secret-key"', endpoint: 'US-03' }),
    );
    assert.ok(main.isBrazeOptionError(error));
    assert.equal(error.option, 'apiKey');
    assert.equal(error.value, undefined);
    assert.ok(!JSON.stringify({ ...error, m: error.message }).includes('secret-key'));
  });
});
