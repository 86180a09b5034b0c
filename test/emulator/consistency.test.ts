import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createVirtualClock } from '../helpers/clock.js';
import { get, NOW, seriesPath } from './helpers.js';

const HOUR = 3_600_000;
const sum = (points: { count: number }[]) => points.reduce((s, p) => s + p.count, 0);
const counts = (points: { count: number }[]) => points.map((p) => p.count);

/** The event with the most events on 2026-11-25: large counts make ratios clear. */
function busiest(emu: Emulator): string {
  let best = '';
  let max = -1;
  for (const event of emu.eventNames()) {
    const c = emu.groundTruth({ event, length: 1, endingAt: '2026-11-26' })[0]!.count;
    if (c > max) [best, max] = [event, c];
  }
  return best;
}

describe('synthetic data: consistency', () => {
  let emu: Emulator;
  let sample: string[];
  before(async () => {
    emu = await startEmulator({ seed: 5, now: () => NOW });
    const names = emu.eventNames();
    sample = names.filter((_, i) => i % 20 === 0);
  });
  after(() => emu.close());

  test('apps sum to the total; every segment stays at or below it (day and hour)', () => {
    for (const event of sample) {
      for (const unit of ['day', 'hour'] as const) {
        const q = { event, unit, length: 100 };
        const total = counts(emu.groundTruth(q));
        const perApp = emu.apps().map((a) => counts(emu.groundTruth({ ...q, appId: a.id })));
        assert.deepEqual(
          total.map((_, i) => perApp.reduce((s, c) => s + c[i]!, 0)),
          total,
          `${event} ${unit}`,
        );
        for (const s of emu.segments()) {
          const seg = counts(emu.groundTruth({ ...q, segmentId: s.id }));
          for (const [i, c] of seg.entries())
            assert.ok(c <= total[i]!, `${event} ${unit} ${s.name}`);
          for (const a of emu.apps()) {
            const both = counts(emu.groundTruth({ ...q, segmentId: s.id, appId: a.id }));
            for (const [i, c] of both.entries())
              assert.ok(c <= seg[i]!, `${event} ${s.name} ${a.name}`);
          }
        }
      }
    }
  });

  test('hourly counts sum to the daily count, the current partial day included', () => {
    for (const event of sample) {
      const days = emu.groundTruth({ event, length: 5 });
      // 4 full days + 13.5 hours of today = 110 hours; hour buckets end at the current hour.
      const hours = emu.groundTruth({ event, unit: 'hour', length: 100, endingAt: NOW });
      const today = emu.groundTruth({ event, unit: 'hour', length: 14, endingAt: NOW });
      assert.equal(sum(today), days[4]!.count, event);
      const yesterday = hours.filter((p) => p.time.startsWith('2026-11-25'));
      assert.equal(yesterday.length, 24);
      assert.equal(sum(yesterday), days[3]!.count, event);
    }
  });

  test('the data has weekly seasonality, zero days, stopped events and seeded anomalies', () => {
    const anomalies = emu.anomalies();
    const kinds = new Set(anomalies.map((a) => a.kind));
    assert.deepEqual([...kinds].sort(), ['drop', 'spike', 'started', 'stopped']);
    for (const a of anomalies.filter((x) => x.kind === 'drop' || x.kind === 'spike').slice(0, 10)) {
      // The anomaly day against the same weekday one and two weeks before.
      const end = Date.parse(`${a.start}T00:00:00Z`) + 86_400_000;
      const series = counts(emu.groundTruth({ event: a.event, length: 15, endingAt: end }));
      const base = (series[0]! + series[7]!) / 2;
      const ratio = series[14]! / base;
      if (a.kind === 'drop') assert.ok(ratio < 0.5, `${a.event} drop ratio ${ratio}`);
      else assert.ok(ratio > 2, `${a.event} spike ratio ${ratio}`);
    }
    for (const a of anomalies.filter((x) => x.kind === 'stopped')) {
      const after = emu.groundTruth({
        event: a.event,
        length: 3,
        endingAt: Date.parse(a.start) + 3 * 86_400_000,
      });
      assert.deepEqual(counts(after), [0, 0, 0], a.event);
    }
    const zeroDays = sample.some((event) =>
      counts(emu.groundTruth({ event, length: 100 })).includes(0),
    );
    assert.ok(zeroDays, 'some zero days');
  });

  test('the current bucket grows as time passes; future buckets are empty', () => {
    const event = busiest(emu);
    const q = { event, unit: 'hour' as const, length: 3, endingAt: NOW + HOUR };
    const seen: number[] = [];
    for (const minute of [0, 15, 30, 45, 59]) {
      emu.setClock(() => Date.UTC(2026, 10, 26, 13, minute));
      const [, current, future] = emu.groundTruth(q);
      assert.equal(future!.count, 0);
      seen.push(current!.count);
    }
    emu.setClock(() => Date.UTC(2026, 10, 26, 14, 0));
    const [, full] = emu.groundTruth(q);
    seen.push(full!.count);
    emu.setClock(() => NOW);
    assert.equal(seen[0], 0);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, String(seen));
    assert.ok(seen.at(-1)! > 0, `full hour ${seen.at(-1)}`);
  });
});

describe('restatement', () => {
  test('restate() multiplies the last days, older days untouched, consistency kept', async () => {
    const emu = await startEmulator({ seed: 5, now: () => NOW });
    try {
      const event = busiest(emu);
      const before = counts(emu.groundTruth({ event, length: 10 }));
      emu.restate({ days: 3, factor: 2 });
      const afterHttp = await get(emu.url, seriesPath({ event, length: 10 }));
      const after = counts(afterHttp.json.data);
      assert.deepEqual(after.slice(0, 7), before.slice(0, 7));
      for (let i = 7; i < 10; i++)
        assert.ok(Math.abs(after[i]! - 2 * before[i]!) <= 72, `${after[i]} ~ 2×${before[i]}`);
      const apps = emu
        .apps()
        .map((a) => counts(emu.groundTruth({ event, length: 10, appId: a.id })));
      assert.deepEqual(
        after.map((_, i) => apps.reduce((s, c) => s + c[i]!, 0)),
        after,
      );
      // One event only.
      emu.restate({ days: 1, factor: 0, event });
      assert.equal(counts(emu.groundTruth({ event, length: 1 }))[0], 0);
      const other = emu
        .eventNames()
        .find((n) => n !== event && counts(emu.groundTruth({ event: n, length: 1 }))[0]! > 0);
      assert.ok(other, 'another event is untouched');
    } finally {
      await emu.close();
    }
  });

  test('provisional: the last days lag their final value until they age out', async () => {
    const clock = createVirtualClock(NOW);
    const lagging = await startEmulator({
      seed: 5,
      now: clock.now,
      provisional: { days: 2, factor: 0.5 },
    });
    const final = await startEmulator({ seed: 5, now: clock.now });
    try {
      const event = busiest(final);
      const q = { event, length: 5, endingAt: '2026-11-26' };
      const lag = counts(lagging.groundTruth(q));
      const truth = counts(final.groundTruth(q));
      assert.deepEqual(lag.slice(0, 4), truth.slice(0, 4));
      assert.ok(lag[4]! < truth[4]!, `${lag[4]} < ${truth[4]}`);
      clock.advance(2 * 86_400_000);
      assert.deepEqual(counts(lagging.groundTruth(q)), truth, 'restated to the final value later');
    } finally {
      await lagging.close();
      await final.close();
    }
  });
});

describe('determinism', () => {
  test('two emulators with the same seed answer byte-identically; another seed differs', async () => {
    const a = await startEmulator({ seed: 7 });
    const b = await startEmulator({ seed: 7 });
    const c = await startEmulator({ seed: 8 });
    try {
      const paths = [
        '/events/list',
        '/events/list?page=2',
        '/events',
        seriesPath({ event: 'Purchase Completed', length: 100, ending_at: '2026-06-01' }),
        seriesPath({
          event: a.eventNames()[300]!,
          length: 100,
          unit: 'hour',
          ending_at: '2026-06-01T05:00:00Z',
        }),
      ];
      for (const path of paths) {
        const [ra, rb, rc] = await Promise.all([
          get(a.url, path),
          get(b.url, path),
          get(c.url, path),
        ]);
        assert.equal(ra.text, rb.text, path);
        assert.notEqual(ra.text, rc.text, path);
      }
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test('never a 500 for hostile query strings', async () => {
    const emu = await startEmulator({ seed: 1, now: () => NOW });
    try {
      const values = [
        '',
        '%',
        '%zz',
        '\u0000',
        'a'.repeat(5000),
        '1e309',
        'NaN',
        '٣',
        '9'.repeat(30),
        '[]',
        '{"a":1}',
      ];
      for (const v of values) {
        const e = encodeURIComponent(v);
        for (const path of [
          `/events/list?page=${e}`,
          `/events?cursor=${e}`,
          `/events/data_series?event=${e}&length=${e}`,
          `/events/data_series?event=x&length=3&unit=${e}&ending_at=${e}`,
          `/events/data_series?event=x&length=3&ending_at=${e}&app_id=${e}&segment_id=${e}`,
        ]) {
          const r = await get(emu.url, path);
          assert.ok(r.status === 200 || r.status === 400, `${r.status} for ${path.slice(0, 80)}`);
        }
      }
      const raw = await fetch(`${emu.url}/events/data_series?event=%E0%A4%A&length=%`, {
        headers: { authorization: 'Bearer emulator-key' },
      });
      assert.ok(raw.status === 200 || raw.status === 400, `raw ${raw.status}`);
    } finally {
      await emu.close();
    }
  });
});
