/**
 * A connector state records the zone its instants were computed in (offset and hour
 * alignment) and is refused under another zone that moves the stream's bucket edges; its
 * instants are read with the time module's ISO parser and must be bucket edges.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BucketZone } from '../../src/api/time.js';
import {
  ConnectorStateError,
  countStreamState,
  parseCountStreamState,
} from '../../src/connectors/state.js';

const IST = 330; // +05:30: local hours start at :30 UTC, UTC hours at :00.
const LOCAL_IST: BucketZone = { utcOffsetMinutes: IST, hourBuckets: 'local' };

function blob(offset: string, hourBuckets: string | undefined, from: unknown, through: unknown) {
  return {
    bucket_utc_offset: offset,
    ...(hourBuckets !== undefined ? { hour_buckets: hourBuckets } : {}),
    series: [
      { event: 'Purchase', app_id: '', segment_id: '', stored_from: from, synced_through: through },
    ],
  };
}
const hourly = (state: object, zone: BucketZone) =>
  parseCountStreamState('event_counts_hourly', 'hour', state, zone);
const daily = (state: object, zone: BucketZone = { utcOffsetMinutes: 0 }) =>
  parseCountStreamState('event_counts_daily', 'day', state, zone);

test('the state records hour_buckets, and reads back under the same zone', () => {
  const zone: BucketZone = { utcOffsetMinutes: IST, hourBuckets: 'utc' };
  const parsed = hourly(
    blob('+05:30', 'utc', '2026-06-01T00:00:00.000Z', '2026-06-02T13:00:00.000Z'),
    zone,
  );
  const out = countStreamState(parsed, zone);
  assert.equal(out.bucket_utc_offset, '+05:30');
  assert.equal(out.hour_buckets, 'utc');
  assert.equal(out.series[0]!.synced_through, '2026-06-02T13:00:00.000Z');
  assert.equal(countStreamState(new Map(), { utcOffsetMinutes: 0 }).hour_buckets, 'local');
});

test('a state from another hour alignment is refused where it moves the hour edges', () => {
  const utcState = blob('+05:30', 'utc', '2026-06-01T00:00:00.000Z', '2026-06-02T13:00:00.000Z');
  assert.throws(
    () => hourly(utcState, LOCAL_IST),
    (e: Error) =>
      e instanceof ConnectorStateError &&
      /written at hour_buckets utc, the config says local/.test(e.message),
  );
  // Day buckets do not depend on the hour alignment; whole-hour offsets align both ways.
  const days = blob('+05:30', 'utc', '2026-05-31T18:30:00.000Z', '2026-06-01T18:30:00.000Z');
  assert.equal(daily(days, LOCAL_IST).size, 1);
  const whole = blob('-05:00', 'utc', '2026-06-01T05:00:00Z', '2026-06-01T09:00:00Z');
  assert.equal(hourly(whole, { utcOffsetMinutes: -300, hourBuckets: 'local' }).size, 1);
});

test('a state without hour_buckets is local; its instants must be edges of that zone', () => {
  // Written before hour_buckets was recorded, by a read at hour_buckets utc: its :00 hours
  // are not local +05:30 hours, so it is refused rather than double-counted.
  const old = blob('+05:30', undefined, '2026-06-01T00:00:00.000Z', '2026-06-02T13:00:00.000Z');
  assert.throws(
    () => hourly(old, LOCAL_IST),
    /stored_from "2026-06-01T00:00:00.000Z" is not the start of a hour bucket at bucket_utc_offset \+05:30, hour_buckets local/,
  );
  assert.throws(
    () => daily(blob('+00:00', undefined, '2026-06-01T00:00:00Z', '2026-06-02T12:00:00Z')),
    /synced_through "2026-06-02T12:00:00Z" is not the start of a day bucket/,
  );
});

test('instants are ISO 8601 by the time module, not whatever Date accepts', () => {
  for (const bad of ['June 1, 2026', 'Mon, 01 Jun 2026 00:00:00 GMT', 1780272000000, '']) {
    assert.throws(
      () => daily(blob('+00:00', undefined, bad, '2026-06-02T00:00:00Z')),
      (e: Error) =>
        e instanceof ConnectorStateError &&
        /stored_from must be an ISO 8601 instant/.test(e.message),
      String(bad),
    );
  }
  assert.throws(
    () => daily({ bucket_utc_offset: '+00:00', hour_buckets: 'solar', series: [] }),
    /hour_buckets must be local or utc, got "solar"/,
  );
});
