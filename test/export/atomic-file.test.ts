import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
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

  test('a named pipe is written in place, not replaced (as /dev/null would be)', async () => {
    const pipeDir = await mkdtemp(join(tmpdir(), 'braze-events-fifo-'));
    const path = join(pipeDir, 'out.fifo');
    execFileSync('mkfifo', [path]);
    // A non-blocking reader first, so opening for writing does not wait, and a wrong
    // implementation fails (reads nothing) rather than hangs.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const f = await openAtomicFile(path);
      assert.equal(f.atomic, false);
      f.stream.write('x,y\n');
      await f.commit();
      const buffer = Buffer.alloc(64);
      const n = readSync(fd, buffer);
      assert.equal(buffer.subarray(0, n).toString('utf8'), 'x,y\n');
      assert.ok((await stat(path)).isFIFO(), 'the pipe is still a pipe');
      assert.deepEqual(await readdir(pipeDir), ['out.fifo']);
    } finally {
      closeSync(fd);
      await rm(pipeDir, { recursive: true, force: true });
    }
  });

  test('a symbolic link to a file is followed: the file is replaced, the link kept', async () => {
    const linkDir = await mkdtemp(join(tmpdir(), 'braze-events-link-'));
    try {
      const real = join(linkDir, 'real.csv');
      const link = join(linkDir, 'link.csv');
      await writeFile(real, 'old\n');
      await symlink(real, link);
      const f = await openAtomicFile(link);
      assert.equal(f.atomic, true);
      f.stream.write('new\n');
      await f.commit();
      assert.ok((await lstat(link)).isSymbolicLink(), 'the link is still a link');
      assert.equal(await readFile(real, 'utf8'), 'new\n');
      assert.deepEqual((await readdir(linkDir)).sort(), ['link.csv', 'real.csv']);
    } finally {
      await rm(linkDir, { recursive: true, force: true });
    }
  });
});
