import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkDatabase, formatCheckTable } from '../../src/check/index.js';
import type { Database } from '../../src/sync/db/types.js';
import { LAST_COMPLETE_DAY, SEED_NOW, SEEDED_ANOMALIES, seedDatabase } from '../dashboard/seed.js';

describe('checkDatabase on a seeded SQLite database', () => {
  let dir: string;
  let db: Database;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'braze-check-'));
    db = await seedDatabase(join(dir, 'check.db'), { extraEvents: 30 });
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('finds exactly the seeded drop, spike, silent and new events on the last complete day', async () => {
    const report = await checkDatabase(db, { now: () => SEED_NOW });
    assert.equal(report.checkedSeries, 34);
    assert.deepEqual(
      Object.fromEntries(report.findings.map((f) => [f.event, f.kind])),
      SEEDED_ANOMALIES,
    );
    for (const f of report.findings) {
      // The current, still-growing day (44 % of a day at SEED_NOW) is never judged: had it
      // been, every one of the 30 plain events would look like a drop.
      assert.equal(f.bucketStart, LAST_COMPLETE_DAY);
      assert.equal(f.workspace, 'demo');
    }
    assert.deepEqual(
      report.findings.map((f) => f.kind),
      ['silent', 'drop', 'spike', 'new'],
      'most severe first',
    );
  });

  test('thresholds and --min-volume narrow the findings', async () => {
    const strict = await checkDatabase(db, { now: () => SEED_NOW, spike: 20, minVolume: 500 });
    assert.deepEqual(
      strict.findings.map((f) => f.event).sort(),
      ['Legacy Ping'].sort(),
      'spike ×8 < 20; the drop (baseline ~200) and the new event (400) are under 500',
    );
  });

  test('hourly series are checked on their own last complete hour', async () => {
    const report = await checkDatabase(db, { unit: 'hour', now: () => SEED_NOW });
    assert.equal(report.unit, 'hour');
    assert.equal(report.checkedSeries, 34);
    assert.deepEqual(report.findings, []);
  });

  test('an unknown workspace is a RangeError naming the ones the database holds', async () => {
    await assert.rejects(
      checkDatabase(db, { workspace: 'nope', now: () => SEED_NOW }),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message === 'workspace "nope": not in the database (workspaces: "demo")',
    );
  });

  test('without watermarks the clock decides which bucket is complete', async () => {
    const other = await seedDatabase(join(dir, 'no-marks.db'), { extraEvents: 5 });
    try {
      await other.exec('DELETE FROM series_watermarks');
      const report = await checkDatabase(other, { now: () => SEED_NOW });
      assert.deepEqual(
        Object.fromEntries(report.findings.map((f) => [f.event, f.kind])),
        SEEDED_ANOMALIES,
      );
    } finally {
      await other.close();
    }
  });

  test('every workspace of a shared database is checked, and named in the table', async () => {
    const path = join(dir, 'two.db');
    const one = await seedDatabase(path, { workspace: 'prod', extraEvents: 2 });
    const two = await seedDatabase(path, { workspace: 'staging', extraEvents: 2 });
    try {
      const report = await checkDatabase(one, { now: () => SEED_NOW });
      assert.deepEqual(report.workspaces, ['prod', 'staging']);
      assert.equal(report.findings.length, 8);
      const table = formatCheckTable(report);
      assert.match(table, /^WORKSPACE\s+EVENT\s+KIND/);
      assert.match(table, /^staging\s+Legacy Ping\s+silent\s/m);
    } finally {
      await two.close();
      await one.close();
    }
  });

  test('invalid options are rejected before any query', async () => {
    await assert.rejects(checkDatabase(db, { dropFraction: 2 }), RangeError);
    await assert.rejects(checkDatabase(db, { unit: 'week' as never }), /unit/);
  });
});
