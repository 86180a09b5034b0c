/**
 * Requests of an incremental sync: a first sync backfills, a second one right after must
 * need only one data_series request per series (the minimum possible).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Unit } from '../src/api/constants.js';
import { core, sync } from './dist.js';
import { type Figure, round, startEmulatorProcess } from './lib.js';

export async function benchIncremental(events: number, units: Unit[]): Promise<Figure[]> {
  const emu = await startEmulatorProcess({ events });
  const dir = await mkdtemp(join(tmpdir(), 'braze-bench-incr-'));
  const db = await sync.openDatabase(join(dir, 'incr.db'));
  try {
    await db.migrate();
    const client = core.createBrazeClient({ apiKey: 'emulator-key', endpoint: emu.url });
    const first = await sync.syncWorkspace({ client, db, workspace: 'bench', units });
    await emu.control('DELETE', 'requests');
    const second = await sync.syncWorkspace({ client, db, workspace: 'bench', units });
    const { requests } = await emu.control<{ requests: { route?: string }[] }>('GET', 'requests');
    const dataSeries = requests.filter((r) => r.route === 'dataSeries').length;
    const ratio = dataSeries / second.series;
    return [
      {
        name: 'incremental sync requests ÷ minimum (1 per series)',
        value: round(ratio),
        unit: '×',
        target: '= 1.00',
        pass: ratio === 1 && second.status === 'succeeded',
        detail: {
          series: second.series,
          dataSeriesRequests: dataSeries,
          allRequests: requests.length,
          firstSyncRequests: first.requests,
          firstSyncWindows: first.windows,
          secondStatus: second.status,
        },
      },
    ];
  } finally {
    await db.close();
    await rm(dir, { recursive: true, force: true });
    await emu.close();
  }
}
