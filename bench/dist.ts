/**
 * The benchmarks measure the BUILT package (dist/, what users run), not the TypeScript
 * sources through tsx: tsx-transpiled code measured ~40% slower per request. Types come from
 * src/ so this file type-checks before any build; `npm run bench` builds first.
 */
type Core = typeof import('../src/core/index.js');
type Sync = typeof import('../src/sync/index.js');
type Counts = typeof import('../src/sync/store/counts.js');
type Dashboard = typeof import('../src/dashboard/index.js');
type Migrate = typeof import('../src/sync/db/migrate.js');
type Migrations = typeof import('../src/sync/db/migrations.js');

async function load<T>(path: string): Promise<T> {
  return (await import(new URL(`../dist/${path}`, import.meta.url).href)) as T;
}

export const core = await load<Core>('core/index.js');
export const sync = await load<Sync>('sync/index.js');
export const counts = await load<Counts>('sync/store/counts.js');
export const dashboard = await load<Dashboard>('dashboard/index.js');
export const migrate = await load<Migrate>('sync/db/migrate.js');
export const migrations = await load<Migrations>('sync/db/migrations.js');
