import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDatabaseUrl, redactDatabaseUrl } from '../../src/sync/index.js';

test('redactDatabaseUrl hides a password holding unencoded @, / or ?', () => {
  assert.equal(redactDatabaseUrl('postgres://braze:p@ss@db/x'), 'postgres://braze:***@db/x');
  assert.equal(redactDatabaseUrl('postgres://u:p@a/ss@h/db'), 'postgres://u:***@h/db');
  assert.equal(redactDatabaseUrl('postgres://u:pa/ss@h/db'), 'postgres://u:***@h/db');
  assert.equal(redactDatabaseUrl('postgres://u@h:5432/db?x=a@b'), 'postgres://u@h:5432/db?x=a@b');
  assert.throws(
    () => parseDatabaseUrl('postgres://u:pa/ss@h/db'),
    (e: unknown) => e instanceof TypeError && !e.message.includes('pa/ss'),
  );
});
