/**
 * An Airbyte read and a Singer run, each SIGKILLed after some STATE messages and resumed from the last one, three
 * times, then read to the end: after deduplication on the primary key, the records are
 * exactly the ground truth (no gap, nothing extra).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CountRecord } from '../../src/connectors/streams.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { bucketsAgo, clock } from '../sync/harness.js';
import {
  airbyteFiles,
  assertRecordsAreGroundTruth,
  configuredCatalog,
  singerCatalog,
} from './harness.js';
import { airbyteMessages, type Message, singerMessages } from './protocol.js';

const CHILD = fileURLToPath(new URL('./fixtures/read-child.ts', import.meta.url));
const KEY = 'connector-kill-key-2d9e';

/** Runs the child; with `killAfterStates`, SIGKILLs it once that many STATE lines arrived. */
function read(
  kind: Kind,
  emulator: Emulator,
  files: { configFile?: string; catalogFile?: string; stateFile?: string },
  killAfterStates?: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const args = [
    files.configFile!,
    files.catalogFile!,
    ...(files.stateFile ? [files.stateFile] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, kind, emulator.url, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const states = stdout.split('\n').filter((l) => l.startsWith('{"type":"STATE"')).length;
      if (killAfterStates !== undefined && states >= killAfterStates) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
}

type Kind = 'airbyte' | 'singer';

/** Complete lines only: a kill may cut the last one. */
function completeMessages(kind: Kind, stdout: string): Message[] {
  const complete = stdout.slice(0, stdout.lastIndexOf('\n') + 1);
  return kind === 'airbyte' ? airbyteMessages(complete) : singerMessages(complete);
}

for (const kind of ['airbyte', 'singer'] as const)
  test(`${kind}: SIGKILL after some states, resumed from the last one, ends on the ground truth`, async () => {
    const emulator = await startEmulator({
      seed: 23,
      events: 8,
      port: 0,
      now: clock,
      keys: [{ key: KEY }],
      faults: [{ kind: 'delay', probability: 0.5, delayMs: 5 }],
    });
    const dir = await mkdtemp(join(tmpdir(), 'braze-events-airbyte-kill-'));
    try {
      const config = {
        api_key: KEY,
        endpoint: emulator.url,
        start_date: new Date(bucketsAgo('day', 299)).toISOString().slice(0, 10),
      };
      const catalog =
        kind === 'airbyte'
          ? configuredCatalog(['event_counts_daily'])
          : singerCatalog(['event_counts_daily']);
      // What a deduplicating destination keeps: records up to each run's last STATE.
      const committed: CountRecord[] = [];
      let state: unknown;
      let kills = 0;
      for (let run = 0; run < 4; run += 1) {
        const files = await airbyteFiles(dir, `run${run}`, { config, catalog, state });
        const last = run === 3;
        emulator.clearRequests();
        const out = await read(kind, emulator, files, last ? undefined : 3 + run * 2);
        const messages = completeMessages(kind, out.stdout);
        if (last) {
          assert.equal(out.code, 0, out.stdout.slice(-400));
          assert.ok(messages.every((m) => m.type !== 'TRACE' || m.trace.type === 'STREAM_STATUS'));
          // It resumed: a read from scratch needs 3 windows for each of the 8 series.
          const sent = emulator.requests().filter((r) => r.path === '/events/data_series');
          assert.ok(sent.length < 24, `the resumed read sent ${sent.length} data_series requests`);
        } else {
          assert.equal(out.signal, 'SIGKILL', `run ${run} finished before the kill`);
          kills += 1;
        }
        const lastState = messages.findLastIndex((m) => m.type === 'STATE');
        assert.ok(lastState >= 0, `run ${run} emitted no STATE`);
        for (const m of messages.slice(0, last ? messages.length : lastState + 1)) {
          if (m.type === 'RECORD') committed.push((m.record.data ?? m.record) as CountRecord);
        }
        // Airbyte passes the last state of each stream; a Singer runner the last STATE's value.
        state = kind === 'airbyte' ? [messages[lastState]!.state] : messages[lastState]!.value;
      }
      assert.equal(kills, 3);
      assertRecordsAreGroundTruth(
        emulator,
        committed,
        'day',
        emulator.eventNames(),
        bucketsAgo('day', 299),
      );
    } finally {
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
