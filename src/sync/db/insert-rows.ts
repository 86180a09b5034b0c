/**
 * Multi-row INSERT in batches, the way every store writes many rows: one statement per
 * batch rather than one per row (a round trip each, on PostgreSQL), and few enough
 * parameters per statement for SQLite (at most 32,766).
 */
import type { Queryable, SqlValue } from './types.js';

/** Rows per statement by default: 200 rows of up to 9 values stay far below SQLite's limit. */
export const INSERT_BATCH_ROWS = 200;

/**
 * Runs `${insert} VALUES (?, …), (?, …) ${after}` over `rows`, `batchRows` rows per
 * statement, in order. `insert` is the statement up to `VALUES` (table and columns), `after`
 * what follows the values (an `ON CONFLICT` clause, or nothing); every row has one value per
 * column. Runs in the caller's transaction when `tx` is one.
 *
 * @example
 * await insertRows(tx, 'INSERT INTO events (workspace, name, first_seen_at, last_seen_at)',
 *   names.map((n) => ['prod', n, seen, seen]), 'ON CONFLICT (workspace, name) DO NOTHING');
 */
export async function insertRows(
  tx: Queryable,
  insert: string,
  rows: readonly (readonly SqlValue[])[],
  after = '',
  batchRows = INSERT_BATCH_ROWS,
): Promise<void> {
  for (let i = 0; i < rows.length; i += batchRows) {
    const batch = rows.slice(i, i + batchRows);
    const placeholders = `(${batch[0]!.map(() => '?').join(', ')})`;
    // Not flat(): a value may itself be an array (a PostgreSQL array parameter).
    const params: SqlValue[] = [];
    for (const row of batch) params.push(...row);
    await tx.exec(
      `${insert}\n VALUES ${batch.map(() => placeholders).join(', ')}\n ${after}`,
      params,
    );
  }
}
