/**
 * Key redaction. Every string that leaves the library (error messages, excerpts, log
 * lines) passes through a redactor built from the API key, so an echo of the key in a
 * response body (Braze's 401 says `Invalid API key: <key>`) never reaches the user.
 */

/** What the key is replaced with. */
export const REDACTED = '[REDACTED]';

/** Replaces secrets (and their URL/JSON-encoded forms) and bearer tokens in a string. */
export type Redactor = (text: string) => string;

/**
 * Builds a redactor for the given secrets.
 *
 * @example
 * ```ts
 * const redact = createRedactor(['s3cret']);
 * redact('Invalid API key: s3cret'); // 'Invalid API key: [REDACTED]'
 * ```
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a form that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of ordered) out = out.split(form).join(REDACTED);
    return out.replace(/\b(Bearer)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`);
  };
}
