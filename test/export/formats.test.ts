import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createRowFormatter, exportColumns } from '../../src/export/formats.js';
import type { ExportFormat, ExportRow } from '../../src/export/types.js';
import { parseCsv } from './csv-parse.js';

function render(format: ExportFormat, rows: ExportRow[], filters = {}): string {
  const f = createRowFormatter(format, exportColumns(filters));
  return f.header() + rows.map((r) => f.row(r)).join('') + f.footer();
}

const tricky: ExportRow[] = [
  { event: 'Purchase, "Big"', unit: 'day', time: '2026-11-01', count: 3 },
  { event: 'multi\nline', unit: 'day', time: '2026-11-02', count: 0 },
  { event: 'ünïcødé 🎉 & % /', unit: 'hour', time: '2026-11-02T03:00:00+00:00', count: 12 },
];

describe('export formats', () => {
  test('CSV has a header and survives quotes, commas and newlines', () => {
    const rows = parseCsv(render('csv', tricky));
    assert.deepEqual(rows[0], ['event', 'unit', 'time', 'count']);
    assert.deepEqual(
      rows.slice(1),
      tricky.map((r) => [r.event, r.unit, r.time, String(r.count)]),
    );
  });

  test('rows() gives the same text as row() over each row, in every format', () => {
    for (const format of ['csv', 'ndjson', 'json'] as const) {
      for (const filters of [{}, { appId: 'app' }]) {
        const batches = [tricky.slice(0, 2), [], tricky.slice(2)];
        const one = createRowFormatter(format, exportColumns(filters));
        const many = createRowFormatter(format, exportColumns(filters));
        const rowByRow =
          one.header() +
          batches
            .flat()
            .map((r) => one.row(r))
            .join('') +
          one.footer();
        const batched = many.header() + batches.map((b) => many.rows(b)).join('') + many.footer();
        assert.equal(batched, rowByRow, `${format} ${JSON.stringify(filters)}`);
      }
    }
  });

  test('app_id and segment_id columns appear only when filtered', () => {
    assert.deepEqual(exportColumns({}), ['event', 'unit', 'time', 'count']);
    assert.deepEqual(exportColumns({ appId: 'a', segmentId: 's' }), [
      'event',
      'unit',
      'time',
      'count',
      'app_id',
      'segment_id',
    ]);
    const row: ExportRow = { ...tricky[0]!, app_id: 'app-1', segment_id: 'seg,1' };
    const parsed = parseCsv(render('csv', [row], { appId: 'app-1', segmentId: 'seg,1' }));
    assert.deepEqual(parsed[1], [row.event, 'day', '2026-11-01', '3', 'app-1', 'seg,1']);
  });

  test('JSON is a valid array, empty or not', () => {
    assert.deepEqual(JSON.parse(render('json', [])), []);
    assert.deepEqual(JSON.parse(render('json', tricky)), tricky);
  });

  test('NDJSON is one object per line', () => {
    const lines = render('ndjson', tricky).split('\n');
    assert.equal(lines.pop(), '');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)),
      tricky,
    );
    assert.equal(render('ndjson', []), '');
  });

  test('an unknown format is a RangeError naming it', () => {
    assert.throws(
      () => createRowFormatter('xml' as ExportFormat, exportColumns({})),
      (e: unknown) => e instanceof RangeError && /format.*xml/.test(e.message),
    );
  });

  test('property: any event name round-trips through every format', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            event: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
            count: fc.nat(),
          }),
          { maxLength: 20 },
        ),
        (items) => {
          const rows: ExportRow[] = items.map((x) => ({
            event: x.event,
            unit: 'day',
            time: '2026-01-01',
            count: x.count,
          }));
          const csv = parseCsv(render('csv', rows)).slice(1);
          assert.deepEqual(
            csv.map((r) => r[0]),
            rows.map((r) => r.event),
          );
          assert.deepEqual(JSON.parse(render('json', rows)), rows);
          const nd = render('ndjson', rows)
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l));
          assert.deepEqual(nd, rows);
        },
      ),
    );
  });
});
