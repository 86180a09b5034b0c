/**
 * Quoting what a user gave (a flag, a config value, a database URL, a query parameter) in
 * an error message. It can be any length (a pasted file, a runaway shell expansion), and
 * echoing it whole makes a 20,000-character line, so only its start is shown, with its
 * length. Shared by the CLI, sync and the dashboard; the emulator, which imports only
 * src/api, keeps its own copy.
 */

/** Characters of a bad value shown in a message; the rest is summarised by its length. */
export const MAX_QUOTED_CHARS = 80;

/**
 * The value in JSON string syntax (line breaks and control characters stay escaped, so the
 * message keeps to one line), cut after {@link MAX_QUOTED_CHARS} characters.
 *
 * @example
 * quoteInput('yesterday'); // '"yesterday"'
 * quoteInput('9'.repeat(20_000)); // '"99…9…" (20000 chars)' with 80 nines
 */
export function quoteInput(value: string, max = MAX_QUOTED_CHARS): string {
  if (value.length <= max) return JSON.stringify(value);
  // Never cut a surrogate pair in half: the excerpt would end in an unpaired escape.
  const code = value.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${JSON.stringify(`${value.slice(0, end)}…`)} (${value.length} chars)`;
}
