import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAtomicFile } from '../../src/export/atomic-file.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'braze-events-atomic-'));
});
after(() => rm(dir, { recursive: true, force: true }));

describe('openAtomicFile', () => {
  test('the file appears only on commit, complete', async () => {
    const path = join(dir, 'a.csv');
    const f = await openAtomicFile(path);
    f.stream.write('x,y\n');
    assert.deepEqual(await readdir(dir), [f.tempPath.slice(dir.length + 1)]);
    await f.commit();
    assert.equal(await readFile(path, 'utf8'), 'x,y\n');
    assert.deepEqual(await readdir(dir), ['a.csv']);
  });

  test('abort leaves the old file untouched and no temporary file', async () => {
    const path = join(dir, 'b.csv');
    await writeFile(path, 'old\n');
    const f = await openAtomicFile(path);
    f.stream.write('half');
    await f.abort();
    await f.abort();
    assert.equal(await readFile(path, 'utf8'), 'old\n');
    assert.deepEqual((await readdir(dir)).sort(), ['a.csv', 'b.csv']);
  });

  test('a folder that does not exist is an error at open', async () => {
    await assert.rejects(openAtomicFile(join(dir, 'nope', 'c.csv')), /ENOENT/);
  });
});
