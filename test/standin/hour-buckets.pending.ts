/**
 * PENDING (fails today): issue 12 item 3, hour buckets under an offset that is not whole
 * hours. docs/BRAZE_API.md (as merged from main at 92957d5): "With the wrong setting the
 * client's strict completeness check refuses the answers (hour starts 30 minutes off), so a
 * mismatch shows instead of storing shifted hours." The stand-in starts hour buckets on one
 * alignment at +05:30 and the product is told the other; matched settings are in
 * product.test.ts and pass.
 * Rename to hour-buckets.test.ts once a mismatch is refused whatever the clock says (or,
 * if the product decides otherwise, change the doc line above and this file together).
 *
 * Run on 2026-11-29 at 23:51 UTC against branch `standin` after merging main at 92957d5,
 * `node --import tsx --test test/standin/hour-buckets.pending.ts`: 5 of 6 fail. Every export
 * exits 0 and prints the stand-in's hours as they came (`exit 0, stdout:
 * event,unit,time,count …`); with Braze on local hours and `--hour-buckets utc`, sync stores
 * them (`stored 200 hours, e.g. {… "time":"2026-11-29T23:30:00Z" …}`, exit 0). Only sync with
 * Braze on UTC hours and `--hour-buckets local` refused (`… returned an unexpected body
 * (expected 100 distinct buckets from 2026-11-25T20:30:00.000Z, got 99 (99 distinct))`,
 * exit 1), and whether it does depends on the minute of the hour at which it runs.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuilt } from '../cli/helpers.js';
import { cli, standin, storedRows, tempDir } from './harness.js';
import { defaultEventNames } from './server.js';

before(ensureBuilt, { timeout: 300_000 });

for (const [braze, told] of [
  ['local', 'utc'],
  ['utc', 'local'],
] as const) {
  describe(`product vs stand-in: hour buckets on ${braze} hours at +05:30, product told --hour-buckets ${told}`, () => {
    for (const endingAt of ['2026-11-29T10:10:00Z', '2026-11-29T10:50:00Z']) {
      it(`export --unit hour --ending-at ${endingAt} refuses the answer`, async () => {
        const s = await standin({ dayOffsetMinutes: 330, hourBuckets: braze });
        const r = await cli(
          s,
          `export --event E --unit hour --length 100 --ending-at ${endingAt} --bucket-utc-offset +05:30 --hour-buckets ${told}`,
        );
        assert.equal(r.code, 1, `exit ${r.code}, stdout: ${r.stdout.slice(0, 200)}`);
        assert.equal(r.stdout, '');
      });
    }

    it('sync refuses the answers and stores no hour', async () => {
      const s = await standin({
        dayOffsetMinutes: 330,
        hourBuckets: braze,
        events: defaultEventNames(2),
      });
      const dir = tempDir();
      const db = join(dir, 's.db');
      const r = await cli(
        s,
        `sync --db ${db} --unit hour --bucket-utc-offset +05:30 --hour-buckets ${told}`,
        {
          cwd: dir,
        },
      );
      const stored = storedRows(db);
      assert.equal(
        stored.length,
        0,
        `stored ${stored.length} hours, e.g. ${JSON.stringify(stored.at(-1))}`,
      );
      assert.equal(r.code, 1, r.stderr);
    });
  });
}
