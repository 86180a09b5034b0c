/**
 * The usual end-to-end suite around the built binary (the runner itself is
 * test/helpers/cli.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach } from 'node:test';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { assertNoKeyLeaked, cleanEnv, ensureBuilt, TEST_KEY } from '../helpers/cli.js';

/**
 * The usual end-to-end suite around the built binary: the binary built, an emulator on
 * port 0 (the test key accepted), an environment pointing at it, a scratch folder; the
 * request log cleared before each test, and no output holding the key after the suite.
 *
 * @example
 * const suite = emulatorSuite({ events: 12 });
 * test('…', async () => { const r = await runCli(['list'], { env: suite.env() }); });
 */
export function emulatorSuite(options: Omit<EmulatorOptions, 'port'> = {}) {
  let emulator: Emulator | undefined;
  let env: NodeJS.ProcessEnv = {};
  let dir = '';
  before(async () => {
    await ensureBuilt();
    emulator = await startEmulator({ port: 0, keys: [{ key: TEST_KEY }], ...options });
    env = cleanEnv({ BRAZE_API_KEY: TEST_KEY, BRAZE_REST_ENDPOINT: emulator.url });
    dir = mkdtempSync(join(tmpdir(), 'braze-events-e2e-'));
  });
  beforeEach(() => emulator?.clearRequests());
  after(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
    assertNoKeyLeaked();
  });
  return { emulator: (): Emulator => emulator!, env: () => env, dir: () => dir };
}
