/**
 * The CLI's registry of secrets, scrubbed from everything it prints. `context.ts` registers
 * the API key as soon as it is read; every stderr/stdout line the CLI writes from error
 * text or debug output goes through `redact`. The scrubbing itself (the key's URL- and
 * JSON-encoded forms, bearer tokens) is core's `createRedactor`, rebuilt on each new secret.
 */
import { INSTANCES } from '../api/instances.js';
import { createRedactor, type Redactor } from '../core/redact.js';

const secrets = new Set<string>();
let redactor: Redactor = createRedactor([]);

/** Marks a value as secret: it will be replaced by `[REDACTED]` in everything printed. */
export function registerSecret(value: string): void {
  // Very short values would redact innocent text; real keys are UUID-length.
  if (value.length < 4 || secrets.has(value)) return;
  // A Braze instance id is public text, printed in every endpoint error's list of valid
  // ids: a "key" equal to one is no key (the settings were swapped, which context.ts says),
  // and redacting it would only mangle that list.
  if (Object.hasOwn(INSTANCES, value.toUpperCase())) return;
  secrets.add(value);
  redactor = createRedactor([...secrets]);
}

/**
 * Replaces every registered secret (and any `Bearer …` token) in `text`.
 *
 * @example
 * registerSecret('k-123'); redact('key k-123') // 'key [REDACTED]'
 */
export function redact(text: string): string {
  return redactor(text);
}
