/**
 * A connector state records the zone its instants were computed in (offset and hour
 * alignment) and is refused under another zone that moves the stream's bucket edges; its
 * instants are read with the time module's ISO parser and must be bucket edges.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ConnectorStateError,
  countStreamState,
  parseCountStreamState,
} from '../../src/connectors/state.js';

const series = (stored_from: string, synced_through: string) => [
  { event: 'Purchase', app_id: '', segment_id: '', stored_from, synced_through },
];
const IST = 330; // +05:30: local hours start at :30 UTC, UTC hours at :00.

test('the state records hour_buckets, and reads back under the same zone', () => {
  const zone = { utcOffsetMinutes: IST, hourBuckets: 'utc' as const };
  const parsed = parseCountStreamState(
    'event_counts_hourly',
    'hour',
    {
      bucket_utc_offset: '+05:30',
      hour_buckets: 'utc',
      series: series('2026-06-01T00:00:00.000Z', '2026-06-02T13:00:00.000Z'),
    },
    zone,
  );
  const blob = countStreamState(parsed, zone);
  assert.equal(blob.bucket_utc_offset, '+05:30');
  assert.equal(blob.hour_buckets, 'utc');
  assert.equal(blob.series[0]!.synced_through, '2026-06-02T13:00:00.000Z');
  assert.equal(countStreamState(new Map(), { utcOffsetMinutes: 0 }).hour_buckets, 'local');
});

test('a state from another hour alignment is refused where it moves the hour edges', () => {
  const utcState = {
    bucket_utc_offset: '+05:30',
    hour_buckets: 'utc',
    series: series('2026-06-01T00:00:00.000Z', '2026-06-02T13:00:00.000Z'),
  };
  assert.throws(
    () =>
      parseCountStreamState('event_counts_hourly', 'hour', utcState, {
        utcOffsetMinutes: IST,
        hourBuckets: 'local',
      }),
    (e: Error) =>
      e instanceof ConnectorStateError &&
      /written at hour_buckets utc, the config says local/.test(e.message),
  );
  // Day buckets do not depend on the hour alignment; whole-hour offsets align both ways.
  const dayState = {
    bucket_utc_offset: '+05:30',
    hour_buckets: 'utc',
    series: series('2026-05-31T18:30:00.000Z', '2026-06-01T18:30:00.000Z'),
  };
  const day = parseCountStreamState('event_counts_daily', 'day', dayState, {
    utcOffsetMinutes: IST,
    hourBuckets: 'local',
  });
  assert.equal(day.size, 1);
  const whole = parseCountStreamState(
    'event_counts_hourly',
    'hour',
    {
      bucket_utc_offset: '-05:00',
      hour_buckets: 'utc',
      series: series('2026-06-01T05:00:00Z', '2026-06-01T09:00:00Z'),
    },
    { utcOffsetMinutes: -300, hourBuckets: 'local' },
  );
  assert.equal(whole.size, 1);
});

test('a state without hour_buckets is local; its instants must be edges of that zone', () => {
  // Written before hour_buckets was recorded, by a read at hour_buckets utc: its :00 hours
  // are not local +05:30 hours, so it is refused rather than double-counted.
  assert.throws(
    () =>
      parseCountStreamState(
        'event_counts_hourly',
        'hour',
        {
          bucket_utc_offset: '+05:30',
          series: series('2026-06-01T00:00:00.000Z', '2026-06-02T13:00:00.000Z'),
        },
        { utcOffsetMinutes: IST, hourBuckets: 'local' },
      ),
    /stored_from "2026-06-01T00:00:00.000Z" is not the start of a hour bucket at bucket_utc_offset \+05:30, hour_buckets local/,
  );
  assert.throws(
    () =>
      parseCountStreamState(
        'event_counts_daily',
        'day',
        {
          bucket_utc_offset: '+00:00',
          series: series('2026-06-01T00:00:00Z', '2026-06-02T12:00:00Z'),
        },
        { utcOffsetMinutes: 0 },
      ),
    /synced_through "2026-06-02T12:00:00Z" is not the start of a day bucket/,
  );
});

test('instants are ISO 8601 by the time module, not whatever Date accepts', () => {
  for (const bad of ['June 1, 2026', 'Mon, 01 Jun 2026 00:00:00 GMT', 1780272000000, '']) {
    assert.throws(
      () =>
        parseCountStreamState(
          'event_counts_daily',
          'day',
          {
            bucket_utc_offset: '+00:00',
            series: [
              {
                event: 'E',
                app_id: '',
                segment_id: '',
                stored_from: bad,
                synced_through: '2026-06-02T00:00:00Z',
              },
            ],
          },
          { utcOffsetMinutes: 0 },
        ),
      (e: Error) =>
        e instanceof ConnectorStateError &&
        /stored_from must be an ISO 8601 instant/.test(e.message),
      String(bad),
    );
  }
  assert.throws(
    () =>
      parseCountStreamState(
        'event_counts_daily',
        'day',
        { bucket_utc_offset: '+00:00', hour_buckets: 'solar', series: [] },
        { utcOffsetMinutes: 0 },
      ),
    /hour_buckets must be local or utc, got "solar"/,
  );
});
