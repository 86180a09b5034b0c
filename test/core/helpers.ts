/** Shared bits of the core tests. */
import type { Logger } from '../../src/core/types.js';

/** A recognisable key: every test greps its outputs for it. */
export const TEST_KEY = 'test-key-3c5e7a91-SECRET';

/** A logger that keeps every line (message and fields) as text. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}
