/**
 * Running the Airbyte source and the Singer tap in-process against the emulator with the sync tests' fixed
 * clock, and comparing what it emitted with the emulator's ground truth.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Unit } from '../../src/api/constants.js';
import { UNIT_MS } from '../../src/api/constants.js';
import { runAirbyte } from '../../src/connectors/airbyte/index.js';
import { airbyteStreams } from '../../src/connectors/airbyte/messages.js';
import { discoveryCatalog, runSingerTap } from '../../src/connectors/singer/index.js';
import type { CountRecord } from '../../src/connectors/streams.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { clock, testClient, truth } from '../sync/harness.js';
import { airbyteMessages, assertConfiguredCatalog, singerMessages } from './protocol.js';

/** A configured catalog of the given streams (incremental where they support it). */
export function configuredCatalog(names: readonly string[], mode?: 'full_refresh') {
  const catalog = {
    streams: airbyteStreams()
      .filter((s) => names.includes(s.name as string))
      .map((stream) => {
        const incremental =
          mode === undefined && (stream.supported_sync_modes as string[]).includes('incremental');
        return {
          stream,
          sync_mode: incremental ? 'incremental' : 'full_refresh',
          destination_sync_mode: incremental ? 'append_dedup' : 'overwrite',
          ...(incremental ? { cursor_field: ['bucket_start'] } : {}),
          primary_key: stream.source_defined_primary_key,
        };
      }),
  };
  assertConfiguredCatalog(catalog);
  return catalog;
}

/** A Singer catalog selecting the given streams (metadata `selected`, as Meltano writes it). */
export function singerCatalog(names: readonly string[]) {
  const catalog = discoveryCatalog();
  for (const s of catalog.streams) {
    const top = (s.metadata as { breadcrumb: string[]; metadata: Record<string, unknown> }[])[0]!;
    top.metadata.selected = names.includes(s.tap_stream_id as string);
  }
  return catalog;
}

/** Writes the JSON files Airbyte would pass; returns their paths. */
export async function airbyteFiles(
  dir: string,
  name: string,
  files: { config?: unknown; catalog?: unknown; state?: unknown },
) {
  const out: { configFile?: string; catalogFile?: string; stateFile?: string } = {};
  for (const [k, v] of Object.entries(files)) {
    if (v === undefined) continue;
    const path = join(dir, `${name}-${k}.json`);
    await writeFile(path, JSON.stringify(v));
    out[`${k}File` as keyof typeof out] = path;
  }
  return out;
}

/**
 * An emulator on port 0 (the fixed clock) and a scratch folder for the runner's files,
 * started before the enclosing suite's tests and removed after them.
 *
 * @example
 * const fx = connectorFixture({ seed: 1, events: 3, keys: [{ key }] });
 * const files = await fx.files({ config, catalog });
 */
export function connectorFixture(options: EmulatorOptions) {
  let emulator: Emulator | undefined;
  let dir = '';
  let n = 0;
  before(async () => {
    emulator = await startEmulator({ port: 0, now: clock, ...options });
    dir = await mkdtemp(join(tmpdir(), 'braze-events-connector-'));
  });
  after(async () => {
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    emulator: (): Emulator => emulator!,
    files: (f: Parameters<typeof airbyteFiles>[2]) => airbyteFiles(dir, `run${n++}`, f),
  };
}

/** Runs a command in-process on the emulator with the fixed clock; returns code and messages. */
export async function runInProcess(
  emulator: Pick<Emulator, 'url'>,
  command: 'spec' | 'check' | 'discover' | 'read',
  files: { configFile?: string; catalogFile?: string; stateFile?: string },
) {
  let stdout = '';
  const code = await runAirbyte({
    command,
    ...files,
    writeLine: (line) => {
      stdout += line;
    },
    describeError: (e) => (e instanceof Error ? e.message : String(e)),
    createClient: (config) =>
      testClient(emulator, {
        apiKey: config.apiKey(),
        bucketUtcOffsetMinutes: config.bucketUtcOffsetMinutes,
      }),
    now: clock,
  });
  return { code, stdout, messages: airbyteMessages(stdout) };
}

/** Runs the Singer tap in-process on the emulator with the fixed clock. */
export async function runSingerInProcess(
  emulator: Pick<Emulator, 'url'>,
  files: { configFile?: string; catalogFile?: string; stateFile?: string },
  discover = false,
) {
  let stdout = '';
  let stderr = '';
  const code = await runSingerTap(
    {
      ...files,
      discover,
      writeLine: (line) => {
        stdout += line;
      },
      writeLog: (line) => {
        stderr += line;
      },
      createClient: (config) =>
        testClient(emulator, {
          apiKey: config.apiKey(),
          bucketUtcOffsetMinutes: config.bucketUtcOffsetMinutes,
        }),
      now: clock,
    },
    (e) => (e instanceof Error ? e.message : String(e)),
  );
  return { code, stdout, stderr, messages: discover ? [] : singerMessages(stdout) };
}

/** The record's primary key, as a destination deduplicating on it would see it. */
export function countKey(r: CountRecord): string {
  return JSON.stringify([r.event, r.app_id, r.segment_id, r.bucket_start]);
}

/**
 * Asserts that the count records (after deduplication on the primary key, the last one
 * winning, as an append_dedup destination does) are exactly the ground truth from `from`.
 */
export function assertRecordsAreGroundTruth(
  emulator: Emulator,
  records: readonly CountRecord[],
  unit: Unit,
  events: readonly string[],
  from: number,
): void {
  const deduped = new Map<string, CountRecord>();
  for (const r of records) {
    assert.equal(r.unit, unit);
    deduped.set(countKey(r), r);
  }
  const byEvent = new Map<string, CountRecord[]>();
  for (const r of deduped.values()) byEvent.set(r.event, [...(byEvent.get(r.event) ?? []), r]);
  assert.deepEqual([...byEvent.keys()].sort(), [...events].sort(), 'one series per event');
  for (const event of events) {
    const got = (byEvent.get(event) ?? []).sort((a, b) =>
      a.bucket_start.localeCompare(b.bucket_start),
    );
    const want = truth(emulator, { event, unit }, from);
    assert.deepEqual(
      got.map((r) => ({ time: r.time, count: r.count })),
      want,
      `${unit} series ${event} differs from the ground truth`,
    );
    for (const r of got) {
      assert.equal(Date.parse(r.bucket_start) % UNIT_MS[unit], 0);
      assert.equal(r.app_id, '');
      assert.equal(r.segment_id, '');
    }
  }
}
