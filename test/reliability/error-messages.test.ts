/**
 * Error messages of every parser, deterministically: a bad value is quoted in bounded
 * form (a 20,000-character flag is not echoed whole), and the library's messages stay on
 * one line when the value holds a line break (they go straight into users' logs).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBucketTime } from '../../src/api/time.js';
import { parseConfig } from '../../src/cli/config.js';
import { intParser } from '../../src/cli/parse.js';
import { parseDateFlag } from '../../src/cli/range.js';
import { createBrazeClient } from '../../src/core/client.js';
import { resolveEndpoint } from '../../src/core/endpoint.js';
import { resolveRange as dashboardRange } from '../../src/dashboard/index.js';
import { parseFaultSpec } from '../../src/emulator/index.js';
import { parseDatabaseUrl } from '../../src/sync/index.js';
import { attempt } from './property-helpers.js';

describe('error messages', () => {
  test('quote a bad value in bounded form (a 20,000-character flag is not echoed whole)', () => {
    const huge = ';a='.repeat(7000);
    const cases: Array<[string, () => unknown]> = [
      ['core resolveEndpoint', () => resolveEndpoint(huge)],
      ['core getEventSeries validation (describe)', () => parseBucketTime(huge, 'day')],
      ['cli parseDateFlag', () => parseDateFlag('--since', huge, new Date())],
      ['cli intParser', () => intParser('--n', 1, 100)(huge)],
      ['cli parseConfig', () => parseConfig({ profiles: { [huge]: 1 } }, '/tmp/c.json')],
      ['sync parseDatabaseUrl', () => parseDatabaseUrl(`postgres://[${huge}`)],
      ['dashboard resolveRange', () => dashboardRange({ days: huge }, 'day', Date.UTC(2026, 0, 1))],
      ['emulator parseFaultSpec', () => parseFaultSpec(huge)],
    ];
    const unbounded: string[] = [];
    for (const [name, fn] of cases) {
      const r = attempt(fn);
      assert.ok(r.error !== undefined, `${name} refuses it`);
      const length = (r.error as Error).message.length;
      if (length > 1000) unbounded.push(`${name} (${length} chars)`);
    }
    assert.deepEqual(unbounded, [], `messages echoing the whole input: ${unbounded.join(', ')}`);
  });

  // The CLI folds every error into one line and the dashboard answers JSON, so this
  // concerns the library's own messages, which go straight into users' logs.
  test('of the library stay on one line when the bad value holds a line break', () => {
    const value = '2026-01-01\nforged: line';
    const cases: Array<[string, () => unknown]> = [
      ['core resolveEndpoint', () => resolveEndpoint(value)],
      ['core parseBucketTime', () => parseBucketTime(value, 'day')],
      [
        'core createBrazeClient',
        () => createBrazeClient({ apiKey: 'k', endpoint: 'US-01', userAgent: value }),
      ],
      ['sync parseDatabaseUrl', () => parseDatabaseUrl(`mysql://${value}`)],
      ['emulator parseFaultSpec', () => parseFaultSpec(value)],
    ];
    const multiline: string[] = [];
    for (const [name, fn] of cases) {
      const r = attempt(fn);
      assert.ok(r.error !== undefined, `${name} refuses it`);
      if ((r.error as Error).message.includes('\n')) multiline.push(name);
    }
    assert.deepEqual(
      multiline,
      [],
      `messages split by the input's line break: ${multiline.join(', ')}`,
    );
  });
});
