/**
 * Braze's documentation shows one `curl` per endpoint. Each must work against the emulator
 * exactly as printed there, host aside (and, for data_series, with the doc's
 * `{{app_identifier}}`/`{{segment_identifier}}` placeholders filled in, as a reader would).
 * Real curl, real HTTP: this is how people try an API first.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { NOW } from './helpers.js';

const run = promisify(execFile);
const DOC_KEY = 'YOUR-REST-API-KEY';
let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({ port: 0, seed: 7, now: () => NOW, keys: [{ key: DOC_KEY }] });
});
after(() => emulator.close());

/** Runs a doc example after swapping the doc's host for the emulator's. */
async function curlFromDocs(example: string): Promise<{ status: number; body: unknown }> {
  const args = [...example.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1);
  const swapped = args.map((a) =>
    a.replace(/^https:\/\/rest\.[a-z0-9-]+\.braze\.(com|eu)/, emulator.url),
  );
  const { stdout } = await run('curl', [...swapped, '--silent', '--write-out', '\n%{http_code}']);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: JSON.parse(stdout.slice(0, cut)) };
}

describe('the curl examples of Braze docs', () => {
  test('GET /events/list', async () => {
    const { status, body } = await curlFromDocs(
      `curl --location --request GET 'https://rest.iad-01.braze.com/events/list?page=1' --header 'Authorization: Bearer ${DOC_KEY}'`,
    );
    assert.equal(status, 200);
    assert.deepEqual(body, { events: emulator.eventNames().slice(250, 500), message: 'success' });
  });

  test('GET /events with the docs cursor', async () => {
    const { status, body } = await curlFromDocs(
      `curl --location --request GET 'https://rest.iad-03.braze.com/events?cursor=c2tpcDow' --header 'Authorization: Bearer ${DOC_KEY}'`,
    );
    assert.equal(status, 200);
    const events = (body as { events: { name: string }[] }).events;
    assert.equal(events.length, 50);
    assert.deepEqual(
      events.map((e) => e.name),
      emulator.eventNames().slice(0, 50),
    );
  });

  test('GET /events/data_series', async () => {
    const app = emulator.apps()[0]!.id;
    const segment = emulator.segments()[0]!.id;
    const { status, body } = await curlFromDocs(
      `curl --location -g --request GET 'https://rest.iad-01.braze.com/events/data_series?event=event_name&length=24&unit=hour&ending_at=2014-12-10T23:59:59-05:00&app_id=${app}&segment_id=${segment}' --header 'Authorization: Bearer ${DOC_KEY}'`,
    );
    assert.equal(status, 200);
    const data = (body as { data: { time: string; count: number }[] }).data;
    // 24 hourly buckets before 2014-12-11T04:59:59Z: 05:00Z on the 10th … 04:00Z on the 11th.
    assert.equal(data.length, 24);
    assert.equal(Date.parse(data[0]!.time), Date.UTC(2014, 11, 10, 5));
    assert.equal(Date.parse(data[23]!.time), Date.UTC(2014, 11, 11, 4));
    // An event the workspace has never seen: zeros, as Braze answers.
    assert.ok(data.every((p) => p.count === 0));
  });
});
