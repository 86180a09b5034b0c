import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compactNumber, downsample, lineChart, sparkline } from '../../src/cli/charts.js';

describe('charts', () => {
  test('sparkline maps min..max onto 8 levels', () => {
    assert.equal(sparkline([1, 5, 3]), '▁█▅');
    assert.equal(sparkline([0, 0]), '▁▁');
    assert.equal(sparkline([]), '');
  });

  test('downsample keeps at most width points and the mean', () => {
    const d = downsample([1, 1, 3, 3], 2);
    assert.deepEqual(d, [1, 3]);
    assert.equal(downsample([...Array(1000).keys()], 60).length, 60);
  });

  test('compact numbers', () => {
    assert.equal(compactNumber(999), '999');
    assert.equal(compactNumber(1234), '1.2k');
    assert.equal(compactNumber(56_000), '56k');
    assert.equal(compactNumber(5_600_000), '5.6M');
  });

  test('line chart: plain text, height rows, no ANSI codes', async () => {
    const chart = await lineChart([1, 4, 2, 8, 5], { height: 4 });
    assert.equal(chart.trimEnd().split('\n').length, 5);
    assert.doesNotMatch(chart, /\u001b\[/);
    assert.ok((await lineChart([3, 3, 3])).length > 0);
  });
});
