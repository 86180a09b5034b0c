/**
 * Quoting a spec or option value in an error message. It can be any length (a fault spec
 * from the command line or the control API), so only its start is shown, with its length.
 * The emulator imports only src/api, hence its own copy of this helper.
 */

/** Characters of a bad value shown in a message; the rest is summarised by its length. */
export const MAX_QUOTED_CHARS = 80;

/**
 * The value in JSON string syntax (line breaks and control characters stay escaped, so the
 * message keeps to one line), cut after {@link MAX_QUOTED_CHARS} characters. A value from
 * JSON that is not a string (the control API) shows as itself when a scalar, else by kind.
 *
 * @example
 * quoteInput('503:nowhere'); // '"503:nowhere"'
 * quoteInput('9'.repeat(20_000)); // '"99…9…" (20000 chars)' with 80 nines
 * quoteInput({ kind: 1 }); // 'an object'
 */
export function quoteInput(value: unknown, max = MAX_QUOTED_CHARS): string {
  if (typeof value !== 'string') {
    if (value === null || typeof value !== 'object') return String(value);
    return Array.isArray(value) ? 'an array' : 'an object';
  }
  if (value.length <= max) return JSON.stringify(value);
  // Never cut a surrogate pair in half: the excerpt would end in an unpaired escape.
  const code = value.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return `${JSON.stringify(`${value.slice(0, end)}…`)} (${value.length} chars)`;
}
