/**
 * Issue 12, reproduced: at +05:30 with every event's last complete day zeroed, `check`
 * reported 0 findings (28 at UTC): the packed bucket key dropped the minutes of 18:30 UTC.
 * Also the check's fallback without watermarks must cut days at the workspace's offset.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatUtcOffset } from '../../src/api/time.js';
import {
  check,
  expectedFindings,
  findingsOf,
  type Plant,
  startPipeline,
  syncAll,
} from './pipeline.js';

const NOW = Date.parse('2026-11-20T21:10:00Z');
const ALL_SILENT: Plant[] = new Array(28).fill('silent');

describe('check at the workspace offset', () => {
  for (const offset of [0, 330, 345, -570]) {
    test(`28 silenced events give 28 findings at ${formatUtcOffset(offset)}, with and without watermarks`, async () => {
      const p = await startPipeline(offset, NOW, ALL_SILENT);
      try {
        await syncAll(p, offset, NOW);
        const report = await check(p, NOW);
        assert.equal(report.findings.length, 28);
        assert.deepEqual(findingsOf(report), expectedFindings(ALL_SILENT));
        // Without watermarks the clock decides, in the workspace's recorded zone.
        await p.db.exec('DELETE FROM series_watermarks');
        assert.deepEqual(findingsOf(await check(p, NOW)), expectedFindings(ALL_SILENT));
      } finally {
        await p.close();
      }
    });
  }
});
