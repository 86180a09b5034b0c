/**
 * The one place secrets are scrubbed before anything is printed. `context.ts` registers
 * the API key as soon as it is read; every stderr/stdout line the CLI writes from error
 * text or debug output goes through `redact`.
 */
const secrets = new Set<string>();

/** Marks a value as secret: it will be replaced by `[REDACTED]` in everything printed. */
export function registerSecret(value: string): void {
  // Very short values would redact innocent text; real keys are UUID-length.
  if (value.length >= 4) secrets.add(value);
}

/**
 * Replaces every registered secret (and any `Bearer …` token) in `text`.
 *
 * @example
 * registerSecret('k-123'); redact('key k-123') // 'key [REDACTED]'
 */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) {
    if (out.includes(s)) out = out.split(s).join('[REDACTED]');
    // The key may show up URL-encoded (e.g. echoed in a URL) too.
    const enc = encodeURIComponent(s);
    if (enc !== s && out.includes(enc)) out = out.split(enc).join('[REDACTED]');
  }
  return out.replace(/(Bearer\s+)[^\s"',;]+/gi, '$1[REDACTED]');
}
