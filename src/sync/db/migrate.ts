/**
 * Applies pending migrations in one transaction, so a crash leaves either the old or the
 * new schema. Concurrent migrators are serialized (SQLite: BEGIN IMMEDIATE; PostgreSQL:
 * a transaction-scoped advisory lock).
 */
import { MIGRATIONS, type Migration, SCHEMA_MIGRATIONS_DDL } from './migrations.js';
import type { Database } from './types.js';

/** Arbitrary constant key of the advisory lock that serializes migrations on PostgreSQL. */
const MIGRATION_LOCK_KEY = 0x62726d67; // "brmg"

/**
 * Brings `db` to the newest schema; returns the versions it applied (empty when current).
 *
 * @throws Error when the database was migrated by a newer braze-events.
 */
export async function runMigrations(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') {
      await tx.query('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    }
    await tx.exec(SCHEMA_MIGRATIONS_DDL[tx.dialect]);
    const rows = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => Number(r.version)));
    const newest = migrations[migrations.length - 1]?.version ?? 0;
    const ahead = [...done].filter((v) => v > newest);
    if (ahead.length > 0) {
      throw new Error(
        `Database schema version ${Math.max(...ahead)} is newer than this braze-events supports (${newest}); upgrade braze-events`,
      );
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql[tx.dialect]);
      await tx.exec('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [
        m.version,
        new Date().toISOString(),
      ]);
      applied.push(m.version);
    }
    return applied;
  });
}
