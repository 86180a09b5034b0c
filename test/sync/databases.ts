/**
 * Fresh databases of both dialects for sync tests: a SQLite file in a temp dir and a
 * database in a throwaway PostgreSQL cluster (started once per test file).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.js';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** Hands out fresh database URLs; `close()` removes everything it created. */
export interface DatabaseFactory {
  fresh(dialect: TestDialect): Promise<string>;
  close(): Promise<void>;
}

export function createDatabaseFactory(): DatabaseFactory {
  let dir: string | undefined;
  let pg: Promise<TestPostgres> | undefined;
  let n = 0;
  return {
    async fresh(dialect) {
      n += 1;
      if (dialect === 'sqlite') {
        dir ??= await mkdtemp(join(tmpdir(), 'braze-events-sync-'));
        return join(dir, `db${n}.db`);
      }
      pg ??= startTestPostgres();
      return (await pg).createDatabase(`t${n}`);
    },
    async close() {
      if (pg) await (await pg).stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
