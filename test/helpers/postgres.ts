/**
 * A throwaway PostgreSQL cluster for tests: initdb in a temp dir owned by `postgres`,
 * started with pg_ctl on a free 127.0.0.1 port with trust auth and fsync off, stopped and
 * deleted by `stop()`. Runs the server binaries as the `postgres` user when the suite runs
 * as root (the server refuses to run as root).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  /** A URL to a fresh, empty database of this cluster. */
  createDatabase(name: string): Promise<string>;
  /**
   * Stops the server as a maintenance restart does (`-m fast`: every session is
   * terminated, open transactions are rolled back, committed ones kept) and, after
   * `downMs`, starts it again on the same port with the same data. Not `-m immediate`:
   * with this cluster's `synchronous_commit=off` a crash may lose commits already
   * acknowledged, which is that setting's documented trade-off, not the client's doing.
   */
  restart(downMs?: number): Promise<void>;
  /** Stops the server (`-m fast`) and leaves it down (until `restart(0)`). */
  halt(): Promise<void>;
  stop(): Promise<void>;
}

function findBinDir(): string {
  const candidates = ['/usr/local/bin'];
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort().reverse()) {
      candidates.push(`/usr/lib/postgresql/${v}/bin`);
    }
  }
  for (const dir of candidates) {
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new Error(
    'PostgreSQL binaries (initdb, pg_ctl) not found; run scripts/install-system-deps.sh',
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function pgIds(): Promise<{ uid: number; gid: number }> {
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/**
 * Starts a cluster. Call `stop()` in an `after()` hook.
 *
 * @example
 * const pg = await startTestPostgres();
 * after(() => pg.stop());
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = findBinDir();
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'braze-events-pg-'));
  if (asRoot) {
    const { uid, gid } = await pgIds();
    await chown(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const exec = (file: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, file), ...args], { cwd: dir })
      : run(join(bin, file), args, { cwd: dir });

  await exec('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const serverOptions = (port: number) =>
    [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dir}'`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=60',
    ].join(' ');
  const startServer = (port: number) =>
    exec('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-o',
      serverOptions(port),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  const stopServer = (mode: 'fast' | 'immediate') =>
    exec('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  let port = 0;
  for (let attempt = 0; ; attempt += 1) {
    port = await freePort();
    try {
      await startServer(port);
      break;
    } catch (error) {
      // Another process may have taken the port between probe and start.
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const base = `postgres://postgres@127.0.0.1:${port}`;
  let stopped = false;
  let running = true;
  return {
    url: `${base}/postgres`,
    async createDatabase(name: string) {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: `${base}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return `${base}/${encodeURIComponent(name)}`;
    },
    async restart(downMs = 0) {
      if (running) await stopServer('fast');
      running = false;
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await startServer(port);
      running = true;
    },
    async halt() {
      if (running) await stopServer('fast');
      running = false;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        if (running) await stopServer('immediate');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
